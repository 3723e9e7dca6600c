//! The report's own words, generated from its results: the front matter (what, when,
//! how many), a short summary of findings that claims only what the tests support, and
//! the method in plain words. Czech and English; formal Czech.

use analysis::suppress::Cell;

use super::labels::{labels, num, p_value};
use super::model::{
    ComparisonSection, CrosstabSection, GroupStats, ManyGroupTests, PrePostSection,
    ReliabilitySection, Report, Section, TwoGroupTests,
};
use super::plan::Correction;
use crate::survey::Lang;

/// "p = 0,031" or "p < 0,001" (not "p = < 0,001").
fn p_is(lang: Lang, p: f64) -> String {
    let written = p_value(lang, p);
    if written.starts_with('<') {
        format!("p {written}")
    } else {
        format!("p = {written}")
    }
}

/// Below this (after the plan's correction) a result is called statistically significant.
const ALPHA: f64 = 0.05;

/// The summary of findings: for each test the report holds, what differed, how much and
/// how sure, in words; a change or an association is called one only when its p (adjusted
/// for multiple testing where the plan says so) is below 0.05 and an effect size is there
/// to say how large it is. Nothing is said of what the report withholds.
pub fn summary(report: &Report, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for section in &report.sections {
        match section {
            Section::PrePost(p) => prepost(&mut out, p, lang),
            Section::Crosstab(c) => out.extend(crosstab(c, lang)),
            Section::Reliability(r) => out.extend(reliability(r, lang)),
            Section::Comparison(ComparisonSection {
                variable,
                groups_by,
                groups,
                two,
                many,
                p_adjusted,
            }) => out.extend(comparison(
                variable,
                groups_by,
                groups,
                two.as_ref(),
                many.as_ref(),
                *p_adjusted,
                lang,
            )),
            // Described in their tables.
            Section::Numeric { .. }
            | Section::Frequencies { .. }
            | Section::MultiChoice { .. }
            | Section::Scale { .. }
            | Section::Text { .. } => {}
        }
    }
    out
}

/// A pre/post block: the items whose change is shown, and how many could not be.
fn prepost(out: &mut Vec<String>, section: &PrePostSection, lang: Lang) {
    let cs = lang == Lang::Cs;
    let PrePostSection { title, items, .. } = section;
    let (mut shown, mut unclear) = (Vec::new(), 0);
    for item in items {
        let c = &item.comparison;
        let p = item
            .wilcoxon_p_adjusted
            .or(c.wilcoxon.as_ref().map(|w| w.p_value));
        match (c.summary.as_ref(), p, c.cohens_dz) {
            (Some(s), Some(p), Some(dz)) if p < ALPHA => {
                let direction = match (s.mean_after.partial_cmp(&s.mean_before), cs) {
                    (Some(std::cmp::Ordering::Greater), true) => "vzrostl",
                    (Some(std::cmp::Ordering::Less), true) => "klesl",
                    (_, true) => "se změnil",
                    (Some(std::cmp::Ordering::Greater), false) => "rose",
                    (Some(std::cmp::Ordering::Less), false) => "fell",
                    (_, false) => "changed",
                };
                shown.push(if cs {
                    format!(
                        "u položky „{}“ průměr {direction} z {} na {} (d_z = {}, Wilcoxonův test: {})",
                        item.label,
                        num(lang, s.mean_before, 2),
                        num(lang, s.mean_after, 2),
                        num(lang, dz, 2),
                        p_is(lang, p)
                    )
                } else {
                    format!(
                        "for “{}” the mean {direction} from {} to {} (d_z = {}, Wilcoxon test: {})",
                        item.label,
                        num(lang, s.mean_before, 2),
                        num(lang, s.mean_after, 2),
                        num(lang, dz, 2),
                        p_is(lang, p)
                    )
                });
            }
            _ => unclear += 1,
        }
    }
    if !shown.is_empty() {
        out.push(if cs {
            format!(
                "{title}: statisticky průkazná změna mezi měřením před a po: {}.",
                shown.join("; ")
            )
        } else {
            format!(
                "{title}: a statistically significant change between before and after: {}.",
                shown.join("; ")
            )
        });
    }
    if unclear > 0 {
        out.push(if cs {
            format!(
                "{title}: u {unclear} {} se změnu prokázat nepodařilo.",
                if unclear == 1 { "položky" } else { "položek" }
            )
        } else {
            format!("{title}: no significant change could be shown for {unclear} item(s).")
        });
    }
}

/// A crosstab's association (or that none could be shown), with the caution a large
/// table of small expected counts needs; nothing without a test.
fn crosstab(section: &CrosstabSection, lang: Lang) -> Option<String> {
    let cs = lang == Lang::Cs;
    let CrosstabSection {
        rows,
        columns,
        chi_square: Some(c),
        p_adjusted,
        fisher,
        ..
    } = section
    else {
        return None;
    };
    let p = p_adjusted
        .or(fisher
            .as_ref()
            .filter(|_| c.low_expected_warning)
            .map(|f| f.p_value))
        .unwrap_or(c.p_value);
    // A larger table with many small expected counts has no exact test here:
    // its association is stated with the table's own caution.
    let caution = c.low_expected_warning && fisher.is_none();
    let sentence = match (p < ALPHA, cs) {
        (true, true) => format!(
            "Mezi „{rows}“ a „{columns}“ byla zjištěna statisticky průkazná souvislost (Cramérovo V = {}, {}).",
            num(lang, c.cramers_v, 2),
            p_is(lang, p)
        ),
        (false, true) => format!(
            "Souvislost mezi „{rows}“ a „{columns}“ se neprokázala ({}).",
            p_is(lang, p)
        ),
        (true, false) => format!(
            "There is a statistically significant association between “{rows}” and “{columns}” (Cramér's V = {}, {}).",
            num(lang, c.cramers_v, 2),
            p_is(lang, p)
        ),
        (false, false) => format!(
            "No association between “{rows}” and “{columns}” could be shown ({}).",
            p_is(lang, p)
        ),
    };
    Some(match (caution && p < ALPHA, cs) {
        (true, true) => format!(
            "{sentence} Mnoho očekávaných četností je ale menších než 5, výsledek je proto třeba vykládat opatrně."
        ),
        (true, false) => format!(
            "{sentence} Many expected counts are below 5, however, so the result should be read with caution."
        ),
        (false, _) => sentence,
    })
}

/// A scale's internal consistency in words, where alpha is published.
fn reliability(section: &ReliabilitySection, lang: Lang) -> Option<String> {
    let cs = lang == Lang::Cs;
    let ReliabilitySection {
        title,
        reliability: Some(r),
        ..
    } = section
    else {
        return None;
    };
    let alpha = r.alpha?;
    let word = match (alpha >= 0.8, alpha >= 0.7, cs) {
        (true, _, true) => "dobrá",
        (false, true, true) => "přijatelná",
        (false, false, true) => "nízká",
        (true, _, false) => "good",
        (false, true, false) => "acceptable",
        (false, false, false) => "low",
    };
    Some(if cs {
        format!(
            "Škála „{title}“: vnitřní konzistence je {word} (Cronbachovo alfa = {}).",
            num(lang, alpha, 2)
        )
    } else {
        format!(
            "Scale “{title}”: internal consistency is {word} (Cronbach's alpha = {}).",
            num(lang, alpha, 2)
        )
    })
}

/// A comparison of groups in words: which group's mean was higher (two groups) or that
/// the means differed (more), with the effect size and the p the section rests on
/// (Welch's t-test or the ANOVA, adjusted where the plan says so). A difference is
/// claimed only below 0.05 with an effect size; the means are quoted only where the
/// table publishes them.
fn comparison(
    variable: &str,
    groups_by: &str,
    groups: &[GroupStats],
    two: Option<&TwoGroupTests>,
    many: Option<&ManyGroupTests>,
    p_adjusted: Option<f64>,
    lang: Lang,
) -> Option<String> {
    let cs = lang == Lang::Cs;
    if let Some(w) = two.and_then(|t| t.welch.as_ref()) {
        let p = p_adjusted.unwrap_or(w.p_value);
        let d = two.and_then(|t| t.cohens_d);
        let compared: Vec<&GroupStats> = groups.iter().filter(|g| g.stats.is_some()).collect();
        return Some(match (compared.as_slice(), d) {
            ([a, b], Some(d)) if p < ALPHA => {
                let (high, low) = if w.mean_difference >= 0.0 {
                    (a, b)
                } else {
                    (b, a)
                };
                let mean = |g: &GroupStats| {
                    g.stats
                        .as_ref()
                        .and_then(|s| s.mean)
                        .map(|m| format!(" ({})", num(lang, m, 2)))
                        .unwrap_or_default()
                };
                let (hl, ll, hm, lm) = (&high.label, &low.label, mean(high), mean(low));
                let (d, p) = (num(lang, d.abs(), 2), p_is(lang, p));
                if cs {
                    format!(
                        "Průměr „{variable}“ byl ve skupině „{hl}“{hm} vyšší než ve skupině „{ll}“{lm}; rozdíl je statisticky průkazný (Cohenovo d = {d}, Welchův t-test: {p})."
                    )
                } else {
                    format!(
                        "The mean of “{variable}” was higher in the group “{hl}”{hm} than in “{ll}”{lm}; the difference is statistically significant (Cohen's d = {d}, Welch's t-test: {p})."
                    )
                }
            }
            _ if p < ALPHA => differed(
                variable,
                groups_by,
                p,
                "Welchův t-test",
                "Welch's t-test",
                lang,
            ),
            _ => no_difference(variable, groups_by, p, lang),
        });
    }
    let a = many.and_then(|m| m.anova.as_ref())?;
    let p = p_adjusted.unwrap_or(a.p_value);
    Some(if p < ALPHA {
        let (eta, p) = (num(lang, a.eta_squared, 3), p_is(lang, p));
        if cs {
            format!(
                "Průměr „{variable}“ se mezi skupinami podle „{groups_by}“ statisticky průkazně lišil (η² = {eta}, analýza rozptylu: {p})."
            )
        } else {
            format!(
                "The mean of “{variable}” differed significantly between the groups of “{groups_by}” (η² = {eta}, analysis of variance: {p})."
            )
        }
    } else {
        no_difference(variable, groups_by, p, lang)
    })
}

/// A significant difference whose direction or size the report does not publish (a
/// group's statistics withheld, no effect size): said without them.
fn differed(
    variable: &str,
    groups_by: &str,
    p: f64,
    test_cs: &str,
    test_en: &str,
    lang: Lang,
) -> String {
    let p = p_is(lang, p);
    if lang == Lang::Cs {
        format!(
            "Průměr „{variable}“ se mezi skupinami podle „{groups_by}“ statisticky průkazně lišil ({test_cs}: {p})."
        )
    } else {
        format!(
            "The mean of “{variable}” differed significantly between the groups of “{groups_by}” ({test_en}: {p})."
        )
    }
}

fn no_difference(variable: &str, groups_by: &str, p: f64, lang: Lang) -> String {
    let p = p_is(lang, p);
    if lang == Lang::Cs {
        format!("Rozdíl v „{variable}“ mezi skupinami podle „{groups_by}“ se neprokázal ({p}).")
    } else {
        format!(
            "No difference in “{variable}” between the groups of “{groups_by}” could be shown ({p})."
        )
    }
}

/// The method in plain words: which data, which tests for which kind of result, the
/// correction for many tests, and what is hidden and why; only what this report contains.
pub fn method(report: &Report, lang: Lang) -> Vec<String> {
    let has = |f: fn(&Section) -> bool| report.sections.iter().any(f);
    let crosstabs = has(|s| matches!(s, Section::Crosstab(_)));
    let comparisons = has(|s| matches!(s, Section::Comparison(_)));
    let reliability = has(|s| matches!(s, Section::Reliability(_)));
    let prepost = has(|s| matches!(s, Section::PrePost(_)));
    let cs = lang == Lang::Cs;
    let mut out = vec![if cs {
        "Zpráva popisuje dokončené odpovědi; rozpracované, testovací a vyřazené odpovědi nezahrnuje. \
         Podíly jsou uvedeny ze všech, kdo na otázku odpověděli, s 95% intervalem spolehlivosti (Wilsonova metoda)."
            .to_string()
    } else {
        "The report describes complete responses; responses in progress, test runs and excluded responses are left out. \
         Shares are of everyone who answered the question, with a 95% confidence interval (Wilson's method)."
            .to_string()
    }];
    let mut tests = Vec::new();
    if crosstabs {
        tests.push(if cs {
            "souvislost dvou otázek chí-kvadrát testem nezávislosti (u tabulek 2 × 2 také Fisherovým exaktním testem), sílu souvislosti Cramérovým V"
        } else {
            "the association of two questions with the chi-square test of independence (for 2 × 2 tables also Fisher's exact test), its strength with Cramér's V"
        });
    }
    if comparisons {
        tests.push(if cs {
            "rozdíly mezi skupinami Mannovým-Whitneyho testem a Welchovým t-testem (dvě skupiny), Kruskalovým-Wallisovým testem a analýzou rozptylu (více skupin)"
        } else {
            "differences between groups with the Mann-Whitney test and Welch's t-test (two groups), the Kruskal-Wallis test and one-way ANOVA (more groups)"
        });
    }
    if prepost {
        tests.push(if cs {
            "změnu mezi měřením před a po u týchž lidí (propojených pseudonymem) párovým t-testem a Wilcoxonovým párovým testem, velikost změny Cohenovým d_z"
        } else {
            "the change between before and after in the same people (linked by a pseudonym) with the paired t-test and the Wilcoxon signed-rank test, its size with Cohen's d_z"
        });
    }
    if reliability {
        tests.push(if cs {
            "vnitřní konzistenci škál Cronbachovým alfa"
        } else {
            "the internal consistency of scales with Cronbach's alpha"
        });
    }
    if !tests.is_empty() {
        let correction = match (report.correction, cs) {
            (Correction::Holm, true) => {
                " p-hodnoty jsou upraveny pro mnohonásobné testování Holmovou metodou."
            }
            (Correction::Holm, false) => {
                " p-values are adjusted for multiple testing with Holm's method."
            }
            (Correction::BenjaminiHochberg, true) => {
                " p-hodnoty jsou upraveny pro mnohonásobné testování metodou Benjaminiho a Hochberga."
            }
            (Correction::BenjaminiHochberg, false) => {
                " p-values are adjusted for multiple testing with the Benjamini-Hochberg method."
            }
            (Correction::None, true) => " p-hodnoty nejsou upraveny pro mnohonásobné testování.",
            (Correction::None, false) => " p-values are not adjusted for multiple testing.",
        };
        out.push(if cs {
            format!("Zpráva posuzuje {}.{correction}", tests.join("; "))
        } else {
            format!("The report assesses {}.{correction}", tests.join("; "))
        });
    }
    if report.min_cell > 1 {
        let t = report.min_cell;
        out.push(if cs {
            format!(
                "Ochrana respondentů: počty menší než {t} se nezveřejňují („<{t}“) a buňky, ze kterých by šly dopočítat, jsou skryté („x“); \
                 statistiky malých skupin (průměr, medián, kvartily) se neuvádějí. Grafy skryté podíly vyznačují. \
                 Údaje, které by mohly identifikovat konkrétní osobu nebo úřad, se zveřejňují jen zhrubené."
            )
        } else {
            format!(
                "Protecting respondents: counts below {t} are not published (\"<{t}\") and cells they could be worked out from are hidden (\"x\"); \
                 statistics of small groups (mean, median, quartiles) are withheld. Charts mark hidden shares. \
                 Answers that could identify a person or an office are published only coarsened."
            )
        });
    }
    out
}

/// The front matter's facts: responses (with the invitations and the response rate where
/// there are invitations), the filter, the field period, the analysis plan (never its
/// file), the date produced.
pub fn front_matter(report: &Report, lang: Lang) -> Vec<(String, String)> {
    let l = labels(lang);
    let mut facts = vec![(l.survey.to_string(), report.survey_title.clone())];
    facts.push((l.responses.to_string(), report.responses.to_string()));
    // A filtered view describes a group, not the invited: no response rate there.
    let invited = report.invited.filter(|&i| i > 0 && report.filter.is_none());
    if let (Some(invited), Cell::Count(n)) = (invited, report.responses) {
        facts.push((l.invited.to_string(), invited.to_string()));
        let rate = 100.0 * n as f64 / invited as f64;
        facts.push((
            l.response_rate.to_string(),
            format!("{} %", num(lang, rate, 0)),
        ));
    }
    if let Some(f) = &report.filter {
        facts.push((l.filter.to_string(), f.clone()));
    }
    if let Some(period) = report.timeline.as_ref().and_then(|t| field_period(t, lang)) {
        facts.push((l.field_period.to_string(), period));
    }
    facts.push((
        l.plan.to_string(),
        if report.plan.is_some() {
            l.custom_plan
        } else {
            l.default_plan
        }
        .to_string(),
    ));
    if let Some(day) = &report.produced {
        facts.push((l.produced.to_string(), date(day, lang)));
    }
    facts
}

/// From the first day of the first period to the last day of the last one (periods hold
/// at least the threshold's responses each, so the ends name no one's day).
fn field_period(t: &super::model::Timeline, lang: Lang) -> Option<String> {
    use super::model::Period;
    let first = t.points.first()?;
    let last = t.points.last()?;
    let start = crate::survey::expr::parse_date_literal(&first.start)?;
    let last_start =
        crate::survey::expr::parse_date_literal(last.end.as_deref().unwrap_or(&last.start))?;
    let end = match t.period {
        Period::Day => last_start,
        Period::Week => last_start + time::Duration::days(6),
        Period::Month => {
            let next = if last_start.month() == time::Month::December {
                time::Date::from_calendar_date(last_start.year() + 1, time::Month::January, 1)
            } else {
                time::Date::from_calendar_date(last_start.year(), last_start.month().next(), 1)
            };
            next.ok()? - time::Duration::days(1)
        }
    };
    Some(format!(
        "{} – {}",
        date(&start.to_string(), lang),
        date(&end.to_string(), lang)
    ))
}

/// An ISO date as the language writes it: `16. 1. 2024`, `16 January 2024`.
fn date(iso: &str, lang: Lang) -> String {
    let Some(d) = crate::survey::expr::parse_date_literal(iso) else {
        return iso.to_string();
    };
    match lang {
        Lang::Cs => format!("{}. {}. {}", d.day(), u8::from(d.month()), d.year()),
        Lang::En => format!("{} {} {}", d.day(), d.month(), d.year()),
    }
}

#[cfg(test)]
mod tests {
    use analysis::paired::compare_pre_post;

    use super::*;
    use crate::report::model::PrePostItem;

    fn item(label: &str, before: &[f64], after: &[f64], adjusted: Option<f64>) -> PrePostItem {
        let b: Vec<Option<f64>> = before.iter().copied().map(Some).collect();
        let a: Vec<Option<f64>> = after.iter().copied().map(Some).collect();
        PrePostItem {
            name: label.into(),
            label: label.into(),
            comparison: compare_pre_post(&b, &a),
            p_adjusted: None,
            wilcoxon_p_adjusted: adjusted,
        }
    }

    fn report(items: Vec<PrePostItem>) -> Report {
        Report {
            survey: "po".into(),
            title: "Hodnocení".into(),
            survey_title: "Po kurzu".into(),
            invited: None,
            produced: None,
            language: "cs".into(),
            plan: None,
            responses: Cell::Count(20),
            filter: None,
            min_cell: 5,
            correction: Correction::Holm,
            timeline: None,
            sections: vec![Section::PrePost(PrePostSection {
                title: "Znalosti".into(),
                before: "pred".into(),
                linked: Cell::Count(20),
                unlinked: Cell::Count(0),
                scale: Vec::new(),
                items,
                withheld: Vec::new(),
                overall: None,
            })],
        }
    }

    /// 20 people: before 1..4, after one more for everybody but two.
    fn gain() -> (Vec<f64>, Vec<f64>) {
        let before: Vec<f64> = (0..20).map(|i| f64::from(1 + i % 4)).collect();
        let after: Vec<f64> = before
            .iter()
            .enumerate()
            .map(|(i, b)| if i < 2 { *b } else { b + 1.0 })
            .collect();
        (before, after)
    }

    #[test]
    fn a_change_is_named_only_with_a_significant_adjusted_p_and_its_size() {
        let (before, after) = gain();
        let r = report(vec![item("Právo", &before, &after, None)]);
        let text = summary(&r, Lang::Cs).join("\n");
        assert!(text.contains("statisticky průkazná změna"), "{text}");
        assert!(
            text.contains("u položky „Právo“ průměr vzrostl z 2,50 na 3,40"),
            "{text}"
        );
        assert!(
            text.contains("d_z = ") && text.contains("Wilcoxonův test: p"),
            "{text}"
        );
        // The same data, but the plan's correction leaves p above 0.05: no change claimed.
        let r = report(vec![item("Právo", &before, &after, Some(0.2))]);
        let text = summary(&r, Lang::Cs).join("\n");
        assert!(!text.contains("průkazná změna"), "{text}");
        assert!(
            text.contains("u 1 položky se změnu prokázat nepodařilo"),
            "{text}"
        );
        let en = summary(&r, Lang::En).join("\n");
        assert!(
            en.contains("no significant change could be shown for 1 item"),
            "{en}"
        );
    }

    #[test]
    fn no_change_is_claimed_where_there_is_none() {
        let same: Vec<f64> = (0..20).map(|i| f64::from(1 + i % 4)).collect();
        let r = report(vec![
            item("A", &same, &same, None),
            item("B", &same, &same, None),
        ]);
        let text = summary(&r, Lang::Cs).join("\n");
        assert!(!text.contains("průkazná změna"), "{text}");
        assert!(text.contains("u 2 položek"), "{text}");
    }

    fn groups(first: &[f64], second: &[f64], p_adjusted: Option<f64>) -> Report {
        let stats = |label: &str, x: &[f64]| GroupStats {
            label: label.into(),
            n: Cell::Count(x.len() as u64),
            stats: Some(
                analysis::descriptives::describe(&x.iter().copied().map(Some).collect::<Vec<_>>())
                    .into(),
            ),
        };
        let mut r = report(Vec::new());
        r.sections = vec![Section::Comparison(ComparisonSection {
            variable: "Spokojenost".into(),
            groups_by: "Kraj".into(),
            groups: vec![stats("Jihomoravský", first), stats("Zlínský", second)],
            two: Some(TwoGroupTests {
                welch: analysis::groups::welch_t_test(first, second),
                mann_whitney: None,
                cohens_d: analysis::effect::cohens_d(first, second),
                hedges_g: None,
            }),
            many: None,
            p_adjusted,
        })];
        r
    }

    #[test]
    fn a_group_difference_is_named_with_its_direction_size_and_p() {
        let low: Vec<f64> = (0..12).map(|i| f64::from(1 + i % 3)).collect();
        let high: Vec<f64> = low.iter().map(|x| x + 2.0).collect();
        // The second group is higher: the sentence names it first.
        let text = summary(&groups(&low, &high, None), Lang::Cs).join("\n");
        assert!(
            text.contains("ve skupině „Zlínský“ (4,00) vyšší než ve skupině „Jihomoravský“ (2,00)"),
            "{text}"
        );
        assert!(
            text.contains("Cohenovo d = 2,35") && text.contains("Welchův t-test: p <\u{a0}0,001"),
            "{text}"
        );
        let en = summary(&groups(&low, &high, None), Lang::En).join("\n");
        assert!(
            en.contains("higher in the group “Zlínský” (4.00) than in “Jihomoravský” (2.00)"),
            "{en}"
        );
        // The same data with an adjusted p above 0.05: no difference claimed.
        let text = summary(&groups(&low, &high, Some(0.08)), Lang::Cs).join("\n");
        assert!(!text.contains("vyšší"), "{text}");
        assert!(
            text.contains(
                "Rozdíl v „Spokojenost“ mezi skupinami podle „Kraj“ se neprokázal (p = 0,080)"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_difference_whose_groups_are_withheld_is_still_not_denied() {
        let low: Vec<f64> = (0..12).map(|i| f64::from(1 + i % 3)).collect();
        let high: Vec<f64> = low.iter().map(|x| x + 2.0).collect();
        let mut r = groups(&low, &high, None);
        if let Section::Comparison(ComparisonSection { groups, .. }) = &mut r.sections[0] {
            groups[1].stats = None;
        }
        let text = summary(&r, Lang::Cs).join("\n");
        assert!(
            text.contains("statisticky průkazně lišil (Welchův t-test: p"),
            "{text}"
        );
        assert!(
            !text.contains("neprokázal") && !text.contains("vyšší"),
            "{text}"
        );
    }
}
