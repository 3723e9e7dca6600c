//! Pre/post blocks: pairing the responses of the same people in two surveys (by an
//! invitation column or a question both ask; the link values are only matched, never
//! shown), then each item's paired comparison and the mean over all items. A block with
//! fewer linked people than the plan's threshold publishes no statistics.

use std::borrow::Cow;
use std::collections::HashMap;

use analysis::paired::{PrePostComparison, compare_pre_post};
use analysis::suppress::Cell;

use super::dataset::Dataset;
use super::model::{PrePostItem, PrePostSection, Section};
use super::plan::{Link, Plan, PrePostSpec};
use crate::disclosure::distribution;
use crate::survey::Lang;
use crate::survey::answer::Answer;

/// One value per response, in response order (`None`: no usable link). Codes are
/// compared trimmed and case-insensitively; a blank code links nobody.
fn link_values<'a>(data: &Dataset<'a>, link: &Link) -> Vec<Option<Cow<'a, str>>> {
    data.responses
        .iter()
        .map(|r| {
            let raw = match link {
                Link::Invitation(column) => r.invitation.as_ref()?.get(column)?.as_str(),
                Link::Question(q) => match r.answers.get(q)? {
                    Answer::Text(s) => s.as_str(),
                    Answer::Choice { value, .. } => value.as_str(),
                    _ => return None,
                },
            };
            let code = raw.trim();
            if code.is_empty() {
                None
            } else if code.chars().any(char::is_uppercase) {
                Some(Cow::Owned(code.to_lowercase()))
            } else {
                Some(Cow::Borrowed(code))
            }
        })
        .collect()
}

pub(super) fn section(
    plan: &Plan,
    spec: &PrePostSpec,
    before: &Dataset<'_>,
    after: &Dataset<'_>,
    rows: Option<&[bool]>,
    lang: Lang,
) -> Section {
    // A link value used twice on either side pairs nobody.
    let before_links = link_values(before, &spec.link);
    let mut index: HashMap<&str, Option<usize>> = HashMap::with_capacity(before_links.len());
    for (i, v) in before_links.iter().enumerate() {
        if let Some(v) = v {
            index.entry(v).and_modify(|e| *e = None).or_insert(Some(i));
        }
    }
    let after_links = link_values(after, &spec.link);
    let mut seen_after: HashMap<&str, usize> = HashMap::with_capacity(after_links.len());
    for v in after_links.iter().flatten() {
        *seen_after.entry(v).or_default() += 1;
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut unlinked = 0;
    for (j, v) in after_links.iter().enumerate() {
        if rows.is_some_and(|keep| !keep[j]) {
            continue;
        }
        match v.as_ref().and_then(|v| {
            Some((
                index.get(v.as_ref()).copied().flatten()?,
                seen_after[v.as_ref()],
            ))
        }) {
            Some((i, 1)) => pairs.push((i, j)),
            _ => unlinked += 1,
        }
    }
    let scores =
        |data: &Dataset<'_>, name: &str, side: fn(&(usize, usize)) -> usize| -> Vec<Option<f64>> {
            match data.values(name) {
                Some(v) => pairs.iter().map(|p| v.score(side(p))).collect(),
                None => vec![None; pairs.len()],
            }
        };
    let mut items = Vec::new();
    let mut per_item = Vec::new();
    for name in &spec.items {
        let b = scores(before, name, |p| p.0);
        let a = scores(after, name, |p| p.1);
        items.push(PrePostItem {
            name: name.clone(),
            label: after.label(name),
            comparison: compare_pre_post(&b, &a),
            p_adjusted: None,
            wilcoxon_p_adjusted: None,
        });
        per_item.push((b, a));
    }
    let p_t: Vec<f64> = items
        .iter()
        .map(|i| i.comparison.t_test.as_ref().map_or(f64::NAN, |t| t.p_value))
        .collect();
    let p_w: Vec<f64> = items
        .iter()
        .map(|i| {
            i.comparison
                .wilcoxon
                .as_ref()
                .map_or(f64::NAN, |w| w.p_value)
        })
        .collect();
    for ((item, t), w) in items
        .iter_mut()
        .zip(plan.correction.adjust(&p_t))
        .zip(plan.correction.adjust(&p_w))
    {
        item.p_adjusted = t;
        item.wilcoxon_p_adjusted = w;
    }
    let overall = (per_item.len() > 1).then(|| {
        let (b, a): (Vec<_>, Vec<_>) = per_item.into_iter().unzip();
        compare_pre_post(&person_means(&b), &person_means(&a))
    });
    let scale = spec
        .items
        .first()
        .and_then(|n| after.specs.iter().find(|s| &s.name == n))
        .map(|s| s.categories.iter().map(|c| c.label.clone()).collect())
        .unwrap_or_default();
    let t = plan.min_cell;
    let (link_counts, _) = distribution(&[pairs.len() as u64], unlinked, t, Vec::new());
    // Too few people, or a number of them that is withheld: nothing about them.
    let enough = matches!(link_counts.cells[0], Cell::Count(n) if n >= t);
    let mut published_items = Vec::new();
    let mut withheld = Vec::new();
    for mut item in items {
        match publishable(item.comparison.clone(), t) {
            Some(c) => {
                // A withheld Wilcoxon test takes its adjusted p with it.
                if c.wilcoxon.is_none() {
                    item.wilcoxon_p_adjusted = None;
                }
                item.comparison = c;
                published_items.push(item);
            }
            None => withheld.push(item.label),
        }
    }
    Section::PrePost(PrePostSection {
        title: spec.title.as_ref().map_or_else(
            || format!("{} → {}", spec.before, after.survey.id),
            |t| t.get(lang).to_string(),
        ),
        before: before.survey.title.get(lang).to_string(),
        // Everyone after is linked or not (and that number is published): audited as one
        // distribution.
        linked: link_counts.cells[0],
        unlinked: link_counts.missing,
        scale,
        items: if enough { published_items } else { Vec::new() },
        withheld: if enough { withheld } else { Vec::new() },
        overall: overall.filter(|_| enough).and_then(|o| publishable(o, t)),
    })
}

/// A paired comparison as it may be published. Its pairs used and dropped (a value
/// missing on one side) are counts of people, audited together: with one withheld, the
/// comparison is not published (n and the t-test's degrees of freedom would give it
/// back). The numbers improved / unchanged / worsened likewise: with one withheld, the
/// summary showing them and the Wilcoxon test (whose zero differences are the unchanged)
/// are left out.
fn publishable(mut c: PrePostComparison, t: u64) -> Option<PrePostComparison> {
    let (pairs, _) = distribution(&[c.n_pairs as u64], c.dropped_missing as u64, t, Vec::new());
    if !matches!(pairs.cells[0], Cell::Count(n) if n >= t) || pairs.missing.is_suppressed() {
        return None;
    }
    if let Some(s) = &c.summary {
        let counts = [s.n_improved, s.n_unchanged, s.n_worsened].map(|n| n as u64);
        let (d, _) = distribution(&counts, 0, t, Vec::new());
        if !d.complete() {
            c.summary = None;
            c.wilcoxon = None;
        }
    }
    Some(c)
}

/// Each person's mean over the items (`items[item][person]`); `None` unless every item
/// has a value.
fn person_means(items: &[Vec<Option<f64>>]) -> Vec<Option<f64>> {
    let people = items.first().map_or(0, Vec::len);
    (0..people)
        .map(|k| {
            let mut sum = 0.0;
            for item in items {
                sum += item[k]?;
            }
            Some(sum / items.len() as f64)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::demo::training::{AFTER, BEFORE, participants};
    use crate::survey::response::{Response, Status};
    use crate::survey::{Survey, load_paths};

    fn response(survey: &Survey, r: &crate::demo::responses::DemoResponse, code: &str) -> Response {
        Response {
            id: format!("{}-{code}", survey.id),
            survey_id: survey.id.clone(),
            survey_version: survey.version.clone(),
            status: Status::Complete,
            language: r.language,
            current_page: r.last_page.clone(),
            answers: r.answers.clone(),
            revision: 1,
            created_at: r.submitted_at,
            updated_at: r.submitted_at,
            submitted_at: Some(r.submitted_at),
            invitation: Some([("participant".to_string(), code.to_string())].into()),
            flag: None,
            flag_reason: None,
            deleted_at: None,
        }
    }

    fn score(r: &Response, row: &str) -> f64 {
        match &r.answers["knowledge"] {
            Answer::Matrix(m) => m[row].parse().unwrap(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn pairs_follow_the_codes_even_with_blank_and_unmatched_ones() {
        let catalog = load_paths(&[PathBuf::from("surveys")]);
        let find = |id: &str| catalog.surveys.iter().find(|s| s.id == id).unwrap();
        let (before_survey, after_survey) = (find(BEFORE), find(AFTER));
        let people =
            participants(before_survey, after_survey, 1, 12, &mut crate::demo::rng(3)).unwrap();
        let people: Vec<_> = people
            .iter()
            .filter(|p| p.before.is_some() && p.after.is_some())
            .collect();
        // Before: a blank code first (links nobody), then everyone in reverse order with
        // codes in another case and with spaces; after: in order, plus one unmatched code.
        let mut pre = vec![response(
            before_survey,
            people[0].before.as_ref().unwrap(),
            "  ",
        )];
        for (i, p) in people.iter().enumerate().rev() {
            pre.push(response(
                before_survey,
                p.before.as_ref().unwrap(),
                &format!(" P{i} "),
            ));
        }
        let mut post: Vec<Response> = people
            .iter()
            .enumerate()
            .map(|(i, p)| response(after_survey, p.after.as_ref().unwrap(), &format!("p{i}")))
            .collect();
        post.push(response(
            after_survey,
            people[0].after.as_ref().unwrap(),
            "nobody",
        ));

        let lang = Lang::Cs;
        let mut plan = Plan::default_for(after_survey);
        plan.min_cell = 3;
        let spec = PrePostSpec {
            title: None,
            before: BEFORE.into(),
            link: Link::Invitation("participant".into()),
            items: vec!["knowledge.dluhy".into()],
        };
        let before = Dataset::new(before_survey, &pre, lang);
        let run = |post: &[Response]| {
            let after = Dataset::new(after_survey, post, lang);
            match section(&plan, &spec, &before, &after, None, lang) {
                Section::PrePost(PrePostSection {
                    linked,
                    unlinked,
                    items,
                    ..
                }) => (linked, unlinked, items),
                other => panic!("a pre/post section, not {other:?}"),
            }
        };
        // Everyone after is linked or not and that total is published: the one unlinked
        // person hides the linked count too, and then nothing about the linked people
        // is published (their n would give the count back).
        let (linked, unlinked, items) = run(&post);
        assert_eq!(linked, analysis::suppress::Cell::Hidden);
        assert_eq!(unlinked, analysis::suppress::suppress_count(1, 3));
        assert!(items.is_empty(), "{items:?}");
        // Without the unmatched code: every pair found, in another order and case.
        post.pop();
        let (linked, unlinked, items) = run(&post);
        let n = people.len();
        assert_eq!(linked, analysis::suppress::Cell::Count(n as u64));
        assert_eq!(unlinked, analysis::suppress::Cell::Count(0));
        let expected: f64 = people
            .iter()
            .enumerate()
            .map(|(i, _)| score(&post[i], "dluhy") - score(&pre[n - i], "dluhy"))
            .sum::<f64>()
            / n as f64;
        let change = items[0].comparison.t_test.as_ref().unwrap().mean_change;
        assert!((change - expected).abs() < 1e-12, "{change} vs {expected}");
    }
}
