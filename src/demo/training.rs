//! Demo data for the 42-hour training programme (seed 001): 15 runs x 15 participants,
//! each invited to the entry (`skoleni-pred`) and exit (`skoleni-po`) questionnaires with
//! the same participant code, with a real effect built in: self-rated knowledge rises by
//! about one scale point and confidence by about 0.7 from before to after, varying by
//! topic and person. Some participants skip one of the questionnaires. Pure and repeatable
//! from a seed.

use std::collections::BTreeMap;

use rand::Rng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Normal, StandardNormal};
use time::{Date, Duration, Month, OffsetDateTime, Time};

use super::responses::{DemoResponse, answer_all};
use crate::survey::Survey;
use crate::survey::answer::Answer;
use crate::survey::flow::first_invalid_page;
use crate::survey::model::QuestionKind;
use crate::survey::types;

/// The entry and exit questionnaires.
pub const BEFORE: &str = "skoleni-pred";
pub const AFTER: &str = "skoleni-po";

/// The built-in average gain (scale points, 1-5) of the knowledge and confidence matrices.
pub const KNOWLEDGE_GAIN: f64 = 1.0;
pub const CONFIDENCE_GAIN: f64 = 0.7;

/// One invited participant: the invitation columns, and the responses (if they answered).
pub struct Participant {
    pub attributes: BTreeMap<String, String>,
    pub before: Option<DemoResponse>,
    pub after: Option<DemoResponse>,
}

/// The programme's participants, run by run.
pub fn participants(
    before: &Survey,
    after: &Survey,
    runs: usize,
    per_run: usize,
    rng: &mut StdRng,
) -> Result<Vec<Participant>, String> {
    let first_run = Date::from_calendar_date(2021, Month::September, 6).expect("a valid date");
    let mut out = Vec::with_capacity(runs * per_run);
    for run in 1..=runs {
        // A run every three weeks; the exit questionnaire six weeks after the start.
        let start = first_run + Duration::weeks(3 * (run as i64 - 1));
        for n in 1..=per_run {
            let person = Person::draw(rng);
            let code = format!("U{run:02}-{n:02}");
            let attributes = BTreeMap::from([
                ("participant".to_string(), code),
                ("run".to_string(), format!("{run:02}")),
                (
                    "email".to_string(),
                    format!("ucastnik.{run:02}.{n:02}@example.invalid"),
                ),
            ]);
            let answered_before = rng.random_bool(0.96);
            let answered_after = rng.random_bool(0.92);
            let before = answered_before
                .then(|| person.response(before, 0.0, start, rng))
                .transpose()?;
            let after = answered_after
                .then(|| person.response(after, 1.0, start + Duration::weeks(6), rng))
                .transpose()?;
            out.push(Participant {
                attributes,
                before,
                after,
            });
        }
    }
    Ok(out)
}

/// What stays the same about a person between the two questionnaires.
struct Person {
    /// General level: knowledgeable people rate themselves higher before and after.
    level: f64,
    /// How much this person gains from the programme (1 = average).
    benefit: f64,
}

impl Person {
    fn draw(rng: &mut StdRng) -> Person {
        let benefit: Normal<f64> = Normal::new(1.0, 0.45).expect("a valid spread");
        Person {
            level: rng.sample(StandardNormal),
            benefit: benefit.sample(rng).max(0.0),
        }
    }

    /// A complete response; `after` is 0 before the programme and 1 after it.
    fn response(
        &self,
        survey: &Survey,
        after: f64,
        day: Date,
        rng: &mut StdRng,
    ) -> Result<DemoResponse, String> {
        let mut answers = answer_all(survey, None, rng);
        for (question, gain) in [
            ("knowledge", KNOWLEDGE_GAIN),
            ("confidence", CONFIDENCE_GAIN),
        ] {
            let Some(QuestionKind::Matrix(types::Matrix { rows, options })) =
                survey.question(question).map(|q| &q.kind)
            else {
                return Err(format!("\"{}\" has no matrix \"{question}\"", survey.id));
            };
            let points = options.options.len();
            let cells = rows
                .iter()
                .enumerate()
                .map(|(t, row)| {
                    // Topics differ in how well they are known and how much they gain.
                    let topic = (t as f64 / rows.len().max(1) as f64) - 0.5;
                    let noise: f64 = rng.sample(StandardNormal);
                    let score = 1.6 - 0.6 * topic
                        + 0.6 * self.level
                        + after * gain * self.benefit * (1.0 + 0.5 * topic)
                        + 0.55 * noise;
                    let point = score.round().clamp(0.0, (points - 1) as f64) as usize;
                    (row.id.clone(), options.options[point].value.clone())
                })
                .collect();
            answers.insert(question.to_string(), Answer::Matrix(cells));
        }
        if let Some((page, _)) = first_invalid_page(survey, &answers) {
            return Err(format!(
                "the demo answers break a rule of \"{}\" on page \"{}\"",
                survey.id, survey.pages[page].id
            ));
        }
        let minutes = rng.random_range(8 * 60..18 * 60);
        let submitted_at = day.with_time(Time::MIDNIGHT).assume_utc() + Duration::minutes(minutes);
        Ok(DemoResponse {
            answers,
            language: survey.languages[0],
            submitted_at: submitted_at.min(OffsetDateTime::now_utc()),
            last_page: survey
                .pages
                .last()
                .map(|p| p.id.clone())
                .unwrap_or_default(),
        })
    }
}
