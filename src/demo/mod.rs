//! Demo data: a realistic set of finished interviews for the example guides (seed 002:
//! 15 with mayors, 6 with ORP representatives, 18 with social workers), for trying the
//! staff area and the exports without real people's data. Generation is pure and
//! repeatable from a seed; every interview goes through [`Interview::record_consent`]
//! and [`Interview::save_topic`], so demo data obeys the same rules as real data.

pub mod pages;
pub mod responses;
pub mod training;

use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use time::{Date, Duration, OffsetDateTime};

use crate::interview::Interview;
use crate::survey::Lang;
use crate::survey::form::FormInput;
use crate::survey::model::{InterviewGuide, InterviewMode, QuestionKind, SkipReason};
use crate::survey::types;

/// How many interviews of each example guide the project held (seed 002).
pub const PROJECT_INTERVIEWS: [(&str, usize); 3] = [
    ("rozhovor-starosta", 15),
    ("rozhovor-orp", 6),
    ("rozhovor-socialni-pracovnik", 18),
];

const OBSERVATIONS: [&str; 12] = [
    "Agendu sociální práce má na starosti jedna pracovnice, částečně i další agendy.",
    "Nejčastěji řeší zadlužení, bydlení a péči o seniory.",
    "Spolupráce s ORP funguje hlavně neformálně, po telefonu.",
    "Chybí dostupné sociální bydlení a terénní služby v menších obcích.",
    "Supervizi dříve neměli, v projektu ji hodnotí jako velmi přínosnou.",
    "Případové konference pomohly sladit postup úřadu, školy a OSPOD.",
    "Starosta vnímá sociální práci jako prevenci větších problémů v obci.",
    "Financování je nejisté, dotace na výkon sociální práce nepokrývá náklady.",
    "Metodika by měla obsahovat vzory dokumentů a postupy pro malé obce.",
    "Vzdělávání je obtížné skloubit s provozem, oceňují kurzy v regionu.",
    "Klienti se často obracejí nejdřív na starostu, ten je pak předává dál.",
    "Pracovní zátěž roste, zejména po covidu a s energetickou krizí.",
];

/// One finished interview for an interview guide, numbered `n`.
pub fn interview(
    InterviewGuide { survey, guide }: InterviewGuide<'_>,
    n: usize,
    interviewer_id: &str,
    rng: &mut StdRng,
) -> Interview {
    let organisation = &guide.organisation.options[n % guide.organisation.options.len()];
    let category = guide.categories.options.choose(rng).expect("categories");
    let date = Date::from_calendar_date(2021, time::Month::March, 1).expect("a date")
        + Duration::days(rng.random_range(0..420));
    let mode = *InterviewMode::ALL
        .choose_weighted(rng, |m| match m {
            InterviewMode::InPerson => 6,
            InterviewMode::Phone => 2,
            InterviewMode::Video => 1,
        })
        .expect("modes");
    let mut data = Interview::default();
    let header = FormInput::new(vec![
        ("category".into(), category.value.clone()),
        ("organisation".into(), organisation.value.clone()),
        ("date".into(), date.to_string()),
        ("mode".into(), mode.code().into()),
        ("consent".into(), "yes".into()),
        (
            "recording".into(),
            if rng.random_bool(0.7) { "yes" } else { "no" }.into(),
        ),
    ]);
    let given = date.midnight().assume_utc() + Duration::hours(9);
    data.record_consent(guide, &header, interviewer_id, given)
        .expect("demo header is valid");
    for (page, topic) in survey.pages.iter().zip(&guide.topics) {
        let mut fields: Vec<(String, String)> = Vec::new();
        if rng.random_bool(0.08) {
            let reason = SkipReason::ALL.choose(rng).expect("reasons");
            fields.push(("skipped".into(), reason.code().into()));
        } else {
            for p in &topic.probes {
                if rng.random_bool(0.7) {
                    fields.push(("probe".into(), p.id.clone()));
                }
            }
            let mut lines: Vec<&str> = OBSERVATIONS.to_vec();
            lines.shuffle(rng);
            let count = rng.random_range(1..=3);
            let notes = format!(
                "{}: {}",
                organisation.label.get(Lang::Cs),
                lines[..count].join(" ")
            );
            fields.push(("notes".into(), notes));
            for q in &page.questions {
                if let Some(value) = demo_value(&q.kind, rng) {
                    fields.push((q.id.clone(), value));
                }
            }
        }
        let seconds = rng.random_range(180..900);
        let problems = data
            .save_topic(survey, &topic.id, &FormInput::new(fields), Some(0), seconds)
            .expect("a topic of the guide");
        assert!(problems.is_empty(), "demo topics are valid: {problems:?}");
    }
    data
}

/// A plausible form value for a structured item (`None`: left unanswered).
fn demo_value(kind: &QuestionKind, rng: &mut StdRng) -> Option<String> {
    match kind {
        QuestionKind::Rating(types::Rating { min, max, .. }) => {
            // Ratings lean positive, as they do in evaluation interviews.
            let top = (*max - 1).max(*min);
            Some(rng.random_range(top.min(*min + 1)..=*max).to_string())
        }
        QuestionKind::YesNo(types::YesNo) => {
            Some(if rng.random_bool(0.65) { "1" } else { "0" }.into())
        }
        // One option of a list; kinds without one (typed answers, dates, notes) are left
        // unanswered, as interviewers often leave a structured item.
        QuestionKind::Text(_)
        | QuestionKind::Textarea(_)
        | QuestionKind::Email(types::Email)
        | QuestionKind::Number(_)
        | QuestionKind::Single(_)
        | QuestionKind::Dropdown(_)
        | QuestionKind::Multi(_)
        | QuestionKind::Likert(_)
        | QuestionKind::Matrix(_)
        | QuestionKind::Date(_)
        | QuestionKind::Consent(_)
        | QuestionKind::Ranking(_)
        | QuestionKind::ConstantSum(_)
        | QuestionKind::Note(types::Note)
        | QuestionKind::Hidden(_) => kind
            .options()
            .and_then(|l| l.options.choose(rng))
            .map(|o| o.value.clone()),
    }
}

/// When a demo interview took place and was finished: its date plus an hour.
pub fn finished_at(data: &Interview) -> OffsetDateTime {
    data.consent
        .as_ref()
        .map_or(OffsetDateTime::UNIX_EPOCH, |c| {
            c.given_at + Duration::hours(1)
        })
}

pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interview::TopicState;

    #[test]
    fn demo_interviews_are_valid_complete_and_repeatable() {
        let catalog = crate::survey::load_paths(&[std::path::PathBuf::from("surveys")]);
        for (id, count) in PROJECT_INTERVIEWS {
            let survey = catalog.surveys.iter().find(|s| s.id == id).expect(id);
            let guide = survey.as_interview().expect("a guide");
            let mut a = rng(7);
            let mut b = rng(7);
            for n in 0..count {
                let one = interview(guide, n, "demo", &mut a);
                assert_eq!(one, interview(guide, n, "demo", &mut b), "repeatable");
                assert!(one.has_consent());
                let guide = guide.guide;
                assert_eq!(one.topics.len(), guide.topics.len(), "every topic recorded");
                for t in &guide.topics {
                    let record = &one.topics[&t.id];
                    assert!((180..900).contains(&record.seconds));
                    match one.topic_state(&t.id) {
                        TopicState::Skipped(_) => assert!(record.notes.is_empty()),
                        _ => assert!(!record.notes.is_empty()),
                    }
                }
            }
        }
    }
}
