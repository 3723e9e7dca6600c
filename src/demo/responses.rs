//! Demo responses for a questionnaire: complete, valid answers (every page that applies,
//! every shown question answered, every rule kept), with a few typed comments that carry
//! contact details the way real ones do, so anonymized exports can be tried and tested.
//! Scale answers lean the same way within a response (as real ones do), centred on the
//! favourable side of the scale. Pure and repeatable from a seed.

use rand::Rng;
use rand::rngs::StdRng;
use rand_distr::StandardNormal;
use time::{Duration, OffsetDateTime};

use crate::survey::answer::{Answer, Answers};
use crate::survey::flow::{first_invalid_page, page_applies};
use crate::survey::form::is_shown;
use crate::survey::{Lang, Survey};

/// One generated response.
#[derive(Debug, Clone)]
pub struct DemoResponse {
    pub answers: Answers,
    pub language: Lang,
    pub submitted_at: OffsetDateTime,
    /// The last page that applies (where a submitted response stands).
    pub last_page: String,
}

/// `count` complete responses; with `one_per`, one response for each option of that
/// choice question, in option order (e.g. one per municipality).
pub fn responses(
    survey: &Survey,
    count: usize,
    one_per: Option<&str>,
    rng: &mut StdRng,
) -> Result<Vec<DemoResponse>, String> {
    let fixed: Vec<Option<(String, String)>> = match one_per {
        None => vec![None; count],
        Some(id) => {
            let list = survey
                .question(id)
                .and_then(|q| q.kind.options())
                .ok_or_else(|| format!("\"{id}\" is not a choice question of \"{}\"", survey.id))?;
            list.options
                .iter()
                .map(|o| Some((id.to_string(), o.value.clone())))
                .collect()
        }
    };
    fixed
        .into_iter()
        .map(|fixed| {
            // Random answers can break a rule (sw_project <= sw_total): try again.
            for _ in 0..200 {
                let answers = answer_all(survey, fixed.as_ref(), rng);
                if first_invalid_page(survey, &answers).is_none() {
                    let last = (0..survey.pages.len())
                        .rev()
                        .find(|&i| page_applies(survey, i, &answers))
                        .unwrap_or(0);
                    let days = rng.random_range(1..120);
                    return Ok(DemoResponse {
                        answers,
                        language: survey.languages[0],
                        submitted_at: OffsetDateTime::now_utc()
                            - Duration::days(days)
                            - Duration::minutes(rng.random_range(0..600)),
                        last_page: survey.pages[last].id.clone(),
                    });
                }
            }
            Err(format!(
                "could not generate a valid response for \"{}\" (its rules are too strict for random answers)",
                survey.id
            ))
        })
        .collect()
}

pub(crate) fn answer_all(
    survey: &Survey,
    fixed: Option<&(String, String)>,
    rng: &mut StdRng,
) -> Answers {
    // How the respondent leans: shifts every scale answer the same way, so items of one
    // scale correlate as real ones do.
    let leaning: f64 = rng.sample(StandardNormal);
    let mut answers = Answers::new();
    for (i, page) in survey.pages.iter().enumerate() {
        if !page_applies(survey, i, &answers) {
            continue;
        }
        for q in &page.questions {
            if !is_shown(q, &answers) {
                continue;
            }
            let answer = match fixed {
                Some((id, value)) if *id == q.id => Some(Answer::Choice {
                    value: value.clone(),
                    other: None,
                }),
                _ if !q.required && rng.random_bool(0.15) => None,
                _ => q.kind.rules().sample_answer(leaning, rng),
            };
            if let Some(a) = answer {
                answers.insert(q.id.clone(), a);
            }
        }
    }
    answers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_responses_for_the_mpsv_survey_are_valid_and_one_per_municipality() {
        let catalog = crate::survey::load_paths(&[std::path::PathBuf::from("surveys")]);
        let survey = catalog
            .surveys
            .iter()
            .find(|s| s.id == "obce-socialni-prace")
            .expect("the MPSV survey");
        let mut rng = crate::demo::rng(7);
        let out = responses(survey, 0, Some("municipality"), &mut rng).unwrap();
        assert_eq!(out.len(), 15);
        let mut towns: Vec<String> = out
            .iter()
            .map(|r| match &r.answers["municipality"] {
                Answer::Choice { value, .. } => value.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        towns.dedup();
        assert_eq!(towns.len(), 15);
        for r in &out {
            assert!(first_invalid_page(survey, &r.answers).is_none());
        }
        let again = responses(survey, 0, Some("municipality"), &mut crate::demo::rng(7)).unwrap();
        assert_eq!(
            out.iter().map(|r| &r.answers).collect::<Vec<_>>(),
            again.iter().map(|r| &r.answers).collect::<Vec<_>>(),
            "the same seed gives the same answers"
        );
        assert!(responses(survey, 0, Some("sw_total"), &mut rng).is_err());
    }

    /// Found with the `survey_toml` fuzz target (its reproducer is
    /// `fuzz/regressions/survey_toml/date-min-near-the-end.toml`): with only a `min` near
    /// the last date `time` supports, `min + 1000 days` overflowed and panicked.
    #[test]
    fn dates_with_only_a_min_near_the_end_of_time() {
        let src = r#"
id = "d"
title = "D"
[[page]]
id = "p"
  [[page.question]]
  id = "when"
  type = "date"
  text = "When"
  min = "9999-12-01"
"#;
        let survey = crate::survey::load_str(std::path::Path::new("d.toml"), src)
            .survey
            .expect("a valid survey");
        let answers = answer_all(&survey, None, &mut crate::demo::rng(1));
        let Some(Answer::Date(d)) = answers.get("when") else {
            panic!("{answers:?}");
        };
        assert!(
            d.year() == 9999 && d.month() == time::Month::December,
            "{d}"
        );
    }

    #[test]
    fn demo_points_add_up_to_the_total_and_pass_the_form_rules() {
        let src = include_str!("../../tests/fixtures/constant_sum.toml")
            .replace("unit = \"%\"", "unit = \"%\"\n  required = true");
        let survey = crate::survey::load_str(std::path::Path::new("s.toml"), &src)
            .survey
            .expect("a valid survey");
        let mut rng = crate::demo::rng(3);
        let mut spread = std::collections::BTreeSet::new();
        for _ in 0..200 {
            let answers = answer_all(&survey, None, &mut rng);
            let Some(Answer::Points(points)) = answers.get("time") else {
                panic!("{answers:?}");
            };
            assert_eq!(
                points.keys().collect::<Vec<_>>(),
                ["admin", "cases", "network"]
            );
            assert_eq!(crate::survey::form::points_sum(points), 100, "{points:?}");
            assert!(first_invalid_page(&survey, &answers).is_none());
            spread.insert(points["cases"]);
        }
        assert!(spread.len() > 20, "shares vary: {spread:?}");
    }

    #[test]
    fn an_allocation_has_one_share_per_part_and_adds_up() {
        let mut rng = crate::demo::rng(1);
        let cases = [(1, 10), (2, 0), (5, 1), (4, 1_000_000)];
        assert!(!cases.is_empty());
        for (parts, total) in cases {
            let shares = crate::survey::sample::allocation(parts, total, &mut rng);
            assert_eq!(shares.len(), parts);
            assert_eq!(
                shares.iter().map(|&s| u64::from(s)).sum::<u64>(),
                u64::from(total)
            );
        }
    }
}
