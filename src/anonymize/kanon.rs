//! k-anonymity by local cell suppression. Records are grouped by their tuple of
//! quasi-identifier values (after coarsening); a group ("equivalence class") smaller than k
//! lets someone who knows those values single a respondent out. The planner blanks
//! quasi-identifier cells of the records in small classes, one quasi-identifier at a time,
//! choosing each time the one that leaves the fewest records in small classes (then the
//! fewest cells blanked); records that are still in a small class with every
//! quasi-identifier blank are dropped. A final pass puts back every blanked cell that can
//! be restored without breaking k, so no single suppression in the plan is unneeded.
//!
//! A blank (suppressed) cell is the empty string, exactly as it appears in the export, so
//! a suppressed value and a missing answer are one class: the classes checked are the
//! classes an analyst of the published file can see. The plan is decided per original
//! tuple, so a second pass over the data applies it by looking the tuple up.

use std::collections::{BTreeMap, HashMap};

/// A record's quasi-identifier values, in the order they were declared.
pub type Tuple = Vec<String>;

/// What to do to the records with one original tuple.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Action {
    /// Blank these quasi-identifiers (true = blank); all false: publish as is.
    Blank(Vec<bool>),
    /// Leave the records out.
    Drop,
}

/// The suppression plan for one data set.
#[derive(Debug, Clone)]
pub struct Plan {
    pub k: usize,
    actions: HashMap<Tuple, (u64, Action)>,
}

/// What a plan does, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Records considered.
    pub records: u64,
    /// Records left out.
    pub dropped: u64,
    /// Cells blanked, per quasi-identifier (declaration order).
    pub blanked: Vec<u64>,
    /// The smallest class published (`None`: nothing published).
    pub smallest_class: Option<u64>,
    /// How many classes of each size are published.
    pub class_sizes: BTreeMap<u64, u64>,
    /// Published values and how many records have them, per quasi-identifier.
    pub values: Vec<BTreeMap<String, u64>>,
}

impl Outcome {
    pub fn cells_blanked(&self) -> u64 {
        self.blanked.iter().sum()
    }

    /// Whether the data needed no suppression at all.
    pub fn untouched(&self) -> bool {
        self.dropped == 0 && self.cells_blanked() == 0
    }
}

fn masked(tuple: &[String], mask: &[bool]) -> Tuple {
    tuple
        .iter()
        .zip(mask)
        .map(|(v, &blank)| if blank { String::new() } else { v.clone() })
        .collect()
}

/// Class sizes of the published data under the given masks (dropped records excluded).
fn class_counts<'a>(
    items: impl Iterator<Item = (&'a Tuple, u64, &'a Vec<bool>)>,
) -> HashMap<Tuple, u64> {
    let mut counts = HashMap::new();
    for (tuple, n, mask) in items {
        *counts.entry(masked(tuple, mask)).or_insert(0) += n;
    }
    counts
}

/// Plan the suppression for `counts` (original tuple -> number of records) so every
/// published class has at least `k` records. `keep` ranks the quasi-identifiers: one with
/// a higher rank is only blanked when blanking lower-ranked ones cannot help any more,
/// and is restored first (the survey's `[privacy] keep` list; all 0 = no preference).
pub fn plan(counts: &HashMap<Tuple, u64>, k: usize, keep: &[usize]) -> Plan {
    let k64 = k as u64;
    let width = counts.keys().next().map_or(0, Vec::len);
    // Work on a sorted list so the plan does not depend on hash order.
    let mut items: Vec<(Tuple, u64, Vec<bool>)> = counts
        .iter()
        .map(|(t, &n)| (t.clone(), n, vec![false; width]))
        .collect();
    items.sort();
    let violating = |items: &[(Tuple, u64, Vec<bool>)]| -> Vec<usize> {
        let classes = class_counts(items.iter().map(|(t, n, m)| (t, *n, m)));
        items
            .iter()
            .enumerate()
            .filter(|(_, (t, _, m))| classes[&masked(t, m)] < k64)
            .map(|(i, _)| i)
            .collect()
    };
    loop {
        let small = violating(&items);
        if small.is_empty() {
            break;
        }
        // Candidates: a quasi-identifier some record in a small class still shows.
        let rank = |j: usize| keep.get(j).copied().unwrap_or(0);
        let mut best: Option<(usize, u64, u64, usize)> = None;
        for j in 0..width {
            let cells: u64 = small
                .iter()
                .filter(|&&i| !items[i].2[j] && !items[i].0[j].is_empty())
                .map(|&i| items[i].1)
                .sum();
            if cells == 0 {
                continue;
            }
            let mut trial = items.clone();
            for &i in &small {
                trial[i].2[j] = true;
            }
            let still: u64 = violating(&trial).iter().map(|&i| trial[i].1).sum();
            let candidate = (rank(j), still, cells, j);
            if best.is_none_or(|b| candidate < b) {
                best = Some(candidate);
            }
        }
        let Some((_, _, _, j)) = best else {
            // Every quasi-identifier of the small classes is blank already: only leaving
            // those records out is left.
            break;
        };
        for &i in &small {
            items[i].2[j] = true;
        }
    }
    let mut dropped = vec![false; items.len()];
    for i in violating(&items) {
        dropped[i] = true;
    }
    restore(&mut items, &mut dropped, k64, keep);
    Plan {
        k,
        actions: items
            .into_iter()
            .zip(dropped)
            .map(|((t, n, mask), drop)| {
                let action = if drop {
                    Action::Drop
                } else {
                    Action::Blank(mask)
                };
                (t, (n, action))
            })
            .collect(),
    }
}

/// Put back every blanked cell whose return keeps all published classes at k or more
/// (a class may also become empty). Repeats until nothing more can be restored.
fn restore(items: &mut [(Tuple, u64, Vec<bool>)], dropped: &mut [bool], k: u64, keep: &[usize]) {
    let width = items.first().map_or(0, |(t, _, _)| t.len());
    // The most wanted quasi-identifiers are restored first.
    let mut order: Vec<usize> = (0..width).collect();
    order.sort_by_key(|&j| std::cmp::Reverse(keep.get(j).copied().unwrap_or(0)));
    let mut classes = class_counts(
        items
            .iter()
            .zip(dropped.iter())
            .filter(|(_, d)| !**d)
            .map(|((t, n, m), _)| (t, *n, m)),
    );
    let mut changed = true;
    while changed {
        changed = false;
        for &j in &order {
            for i in 0..items.len() {
                if dropped[i] || !items[i].2[j] {
                    continue;
                }
                let (tuple, n, mask) = &items[i];
                let from = masked(tuple, mask);
                let mut new_mask = mask.clone();
                new_mask[j] = false;
                let to = masked(tuple, &new_mask);
                if from == to {
                    // The value was missing anyway: nothing to restore.
                    continue;
                }
                let left = classes[&from] - n;
                let joined = classes.get(&to).copied().unwrap_or(0) + n;
                if (left == 0 || left >= k) && joined >= k {
                    *classes.get_mut(&from).expect("class exists") -= n;
                    *classes.entry(to).or_insert(0) += n;
                    items[i].2 = new_mask;
                    changed = true;
                }
            }
        }
    }
}

impl Plan {
    /// The published quasi-identifier values for a record's original tuple; `None`: the
    /// record is left out. A tuple the plan has never seen (data changed since it was
    /// made) is left out too: the file never holds a record the plan did not check.
    pub fn apply(&self, tuple: &[String]) -> Option<Tuple> {
        match self.actions.get(tuple) {
            Some((_, Action::Blank(mask))) => Some(masked(tuple, mask)),
            _ => None,
        }
    }

    /// The outcome of the plan on the data it was made for.
    pub fn outcome(&self) -> Outcome {
        let width = self.actions.keys().next().map_or(0, Vec::len);
        let mut out = Outcome {
            records: 0,
            dropped: 0,
            blanked: vec![0; width],
            smallest_class: None,
            class_sizes: BTreeMap::new(),
            values: vec![BTreeMap::new(); width],
        };
        let mut published: Vec<(Tuple, u64)> = Vec::new();
        for (tuple, (n, action)) in &self.actions {
            out.records += n;
            match action {
                Action::Drop => out.dropped += n,
                Action::Blank(mask) => {
                    for (j, &blank) in mask.iter().enumerate() {
                        if blank && !tuple[j].is_empty() {
                            out.blanked[j] += n;
                        }
                    }
                    published.push((masked(tuple, mask), *n));
                }
            }
        }
        let mut classes: HashMap<Tuple, u64> = HashMap::new();
        for (t, n) in published {
            for (j, v) in t.iter().enumerate() {
                *out.values[j].entry(v.clone()).or_insert(0) += n;
            }
            *classes.entry(t).or_insert(0) += n;
        }
        for size in classes.into_values() {
            *out.class_sizes.entry(size).or_insert(0) += 1;
        }
        out.smallest_class = out.class_sizes.keys().next().copied();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(rows: &[(&[&str], u64)]) -> HashMap<Tuple, u64> {
        rows.iter()
            .map(|(t, n)| (t.iter().map(|s| s.to_string()).collect(), *n))
            .collect()
    }

    /// The smallest class in published tuples (`None` if there are none).
    fn smallest_class<'a>(published: impl IntoIterator<Item = &'a Tuple>) -> Option<u64> {
        let mut classes: HashMap<&Tuple, u64> = HashMap::new();
        for t in published {
            *classes.entry(t).or_insert(0) += 1;
        }
        classes.into_values().min()
    }

    fn published(p: &Plan, counts: &HashMap<Tuple, u64>) -> Vec<Tuple> {
        let mut out = Vec::new();
        for (t, n) in counts {
            if let Some(m) = p.apply(t) {
                out.extend(std::iter::repeat_n(m, *n as usize));
            }
        }
        out
    }

    #[test]
    fn data_that_is_k_anonymous_is_left_alone() {
        let counts = data(&[(&["Praha", "head"], 5), (&["Olomouc", "head"], 7)]);
        let p = plan(&counts, 5, &[]);
        let o = p.outcome();
        assert!(o.untouched());
        assert_eq!(o.smallest_class, Some(5));
        assert_eq!(o.records, 12);
        assert_eq!(
            p.apply(&["Praha".into(), "head".into()]).unwrap(),
            ["Praha", "head"]
        );
    }

    #[test]
    fn the_quasi_identifier_that_fixes_most_is_blanked_in_small_classes_only() {
        // Region alone is 5-anonymous; region x role is not. Blanking role in the small
        // classes fixes it; blanking region would not (roles are 3+3+2+1+1).
        let counts = data(&[
            (&["Praha", "head"], 3),
            (&["Praha", "coordinator"], 2),
            (&["Olomouc", "head"], 3),
            (&["Olomouc", "coordinator"], 1),
            (&["Olomouc", "other"], 1),
        ]);
        let p = plan(&counts, 5, &[]);
        let o = p.outcome();
        assert_eq!(o.dropped, 0);
        assert_eq!(o.blanked, vec![0, 10]);
        assert_eq!(o.smallest_class, Some(5));
        assert_eq!(
            p.apply(&["Praha".into(), "head".into()]).unwrap(),
            ["Praha", ""]
        );
        let out = published(&p, &counts);
        assert!(smallest_class(&out).unwrap() >= 5);
    }

    #[test]
    fn a_large_class_keeps_its_values_while_small_ones_are_blanked() {
        let counts = data(&[
            (&["Praha", "head"], 9),
            (&["Praha", "coordinator"], 2),
            (&["Olomouc", "coordinator"], 3),
        ]);
        let p = plan(&counts, 5, &[]);
        assert_eq!(
            p.apply(&["Praha".into(), "head".into()]).unwrap(),
            ["Praha", "head"]
        );
        let out = published(&p, &counts);
        assert_eq!(out.len(), 14, "nobody dropped: {:?}", p.outcome());
        assert!(smallest_class(&out).unwrap() >= 5);
        // The two small classes merge into one class of 5 by blanking one value each.
        assert_eq!(p.outcome().cells_blanked(), 5);
    }

    #[test]
    fn a_kept_quasi_identifier_is_blanked_only_when_nothing_else_helps() {
        // Without a preference blanking the region is cheapest (5 cells); keeping the
        // region blanks the role instead, and the regions survive.
        let counts = data(&[
            (&["Praha", "head"], 3),
            (&["Praha", "coordinator"], 2),
            (&["Olomouc", "head"], 2),
            (&["Olomouc", "coordinator"], 3),
        ]);
        let free = plan(&counts, 5, &[]).outcome();
        assert_eq!(free.blanked, vec![10, 0]);
        let kept = plan(&counts, 5, &[1, 0]);
        let o = kept.outcome();
        assert_eq!(o.blanked, vec![0, 10]);
        assert_eq!(
            o.values[0],
            BTreeMap::from([("Olomouc".into(), 5), ("Praha".into(), 5)])
        );
        let out = published(&kept, &counts);
        assert!(smallest_class(&out).unwrap() >= 5);
    }

    #[test]
    fn records_that_cannot_reach_k_even_fully_blanked_are_dropped() {
        let counts = data(&[(&["a", "x"], 6), (&["b", "y"], 2)]);
        let p = plan(&counts, 5, &[]);
        let o = p.outcome();
        assert_eq!(o.dropped, 2);
        assert_eq!(o.smallest_class, Some(6));
        assert_eq!(p.apply(&["b".into(), "y".into()]), None);
        assert_eq!(p.apply(&["a".into(), "x".into()]).unwrap(), ["a", "x"]);
    }

    #[test]
    fn missing_values_form_a_class_with_suppressed_ones() {
        // Two records never answered the role; three had it blanked: one class of five.
        let counts = data(&[
            (&["Praha", ""], 2),
            (&["Praha", "head"], 3),
            (&["Olomouc", "head"], 5),
        ]);
        let p = plan(&counts, 5, &[]);
        let o = p.outcome();
        assert_eq!(o.dropped, 0);
        assert_eq!(o.blanked, vec![0, 3]);
        assert_eq!(o.class_sizes, BTreeMap::from([(5, 2)]));
    }

    #[test]
    fn every_plan_is_k_anonymous_and_no_blank_can_be_restored() {
        // A deterministic pseudo-random sweep over small data sets.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        for _ in 0..200 {
            let k = 2 + next(4) as usize;
            let mut counts = HashMap::new();
            for _ in 0..(1 + next(12)) {
                // Some answers missing: they share a class with blanked cells.
                let t: Tuple = (0..3)
                    .map(|j| match next(2 + j) {
                        0 => String::new(),
                        v => format!("v{v}"),
                    })
                    .collect();
                *counts.entry(t).or_insert(0) += 1 + next(4);
            }
            let keep: Vec<usize> = (0..3).map(|_| next(3) as usize).collect();
            let p = plan(&counts, k, &keep);
            let out = published(&p, &counts);
            if let Some(min) = smallest_class(&out) {
                assert!(min >= k as u64, "k={k} counts={counts:?}");
            }
            // Local minimality: restoring any one blanked cell breaks k.
            for (t, (n, action)) in &p.actions {
                let Action::Blank(mask) = action else {
                    continue;
                };
                for j in 0..mask.len() {
                    if !mask[j] || t[j].is_empty() {
                        continue;
                    }
                    let mut alt = p.clone();
                    let mut m = mask.clone();
                    m[j] = false;
                    alt.actions.insert(t.clone(), (*n, Action::Blank(m)));
                    let alt_out = published(&alt, &counts);
                    assert!(
                        smallest_class(&alt_out).unwrap() < k as u64,
                        "cell {j} of {t:?} was blanked needlessly (k={k}, counts={counts:?})"
                    );
                }
            }
        }
    }
}
