//! Interview records as evaluators get them: the organisation coarsened by the guide's
//! `[privacy.coarsen] organisation` rule (or left out), the interview date left out, and
//! the notes and typed answers redacted (contacts, birth numbers, and the names of the
//! guide's organisations, which would name the place). Interviewers are pseudonyms
//! already (see the interview export).

use super::coarsen::coarsen;
use super::scrub::{Redactions, Scrubber};
use crate::interview::Interview;
use crate::survey::answer::Answer;
use crate::survey::model::{Coarsening, Guide};

/// The scrubber for a guide's records: every organisation's label, in every language.
pub fn scrubber(guide: &Guide, languages: &[crate::survey::Lang]) -> Scrubber {
    let labels: Vec<String> = guide
        .organisation
        .options
        .iter()
        .flat_map(|o| languages.iter().map(|l| o.label.get(*l).to_string()))
        .collect();
    Scrubber::new(labels.iter().map(String::as_str))
}

/// The record an evaluator sees.
pub fn anonymize(
    data: &Interview,
    guide: &Guide,
    organisation_rule: Option<&Coarsening>,
    scrubber: &Scrubber,
) -> (Interview, Redactions) {
    let mut out = data.clone();
    let mut redactions = Redactions::default();
    out.header.organisation = match (organisation_rule, &data.header.organisation) {
        (Some(rule), Some(code)) => {
            Some(coarsen(code, rule, Some(&guide.organisation), false)).filter(|v| !v.is_empty())
        }
        _ => None,
    };
    out.header.date = None;
    let mut scrub = |text: &mut String| {
        let (clean, n) = scrubber.scrub(text);
        redactions.add(n);
        *text = clean;
    };
    for record in out.topics.values_mut() {
        scrub(&mut record.notes);
    }
    for answer in out.answers.values_mut() {
        match answer {
            Answer::Text(t) => scrub(t),
            Answer::Choice { other: Some(t), .. } | Answer::Choices { other: Some(t), .. } => {
                scrub(t)
            }
            _ => {}
        }
    }
    (out, redactions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interview::TopicRecord;

    #[test]
    fn organisation_date_and_place_names_do_not_reach_evaluators() {
        let catalog = crate::survey::load_paths(&[std::path::PathBuf::from("surveys")]);
        let survey = catalog
            .surveys
            .iter()
            .find(|s| s.id == "rozhovor-starosta")
            .expect("the mayors' guide");
        let guide = survey.guide().unwrap();
        let town = &guide.organisation.options[0];
        let mut data = Interview::default();
        data.header.organisation = Some(town.value.clone());
        data.header.date = Some(time::macros::date!(2024 - 03 - 05));
        data.topics.insert(
            "t".into(),
            TopicRecord {
                notes: format!(
                    "V obci {} chybí terénní služby, volejte 603 123 456.",
                    town.label.get(crate::survey::Lang::Cs)
                ),
                ..Default::default()
            },
        );
        let rule = survey.privacy.coarsening("organisation");
        assert!(rule.is_some(), "the guide coarsens the organisation");
        let s = scrubber(guide, &survey.languages);
        let (out, n) = anonymize(&data, guide, rule, &s);
        let kept = out.header.organisation.clone().unwrap();
        assert_ne!(kept, town.value);
        assert!(town.attributes.iter().any(|(_, v)| *v == kept), "{kept}");
        assert_eq!(out.header.date, None);
        assert_eq!(
            out.topics["t"].notes,
            "V obci [name] chybí terénní služby, volejte [phone]."
        );
        assert_eq!((n.names, n.phones), (1, 1));
        let (none, _) = anonymize(&data, guide, None, &s);
        assert_eq!(none.header.organisation, None, "no rule: left out");
    }
}
