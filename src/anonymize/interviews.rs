//! Interview records as evaluators get them: the organisation coarsened by the guide's
//! `[privacy.coarsen] organisation` rule (or left out), the interview date left out, and
//! the notes and typed answers redacted (contacts, birth numbers, and the names of the
//! guide's organisations, which would name the place), and the answers to identifier
//! items (an e-mail item, unless the guide declares it otherwise) left out. Interviewers are pseudonyms
//! already (see the interview export).

use super::coarsen::coarsen;
use super::scrub::{Redactions, Scrubber};
use crate::interview::Interview;
use crate::survey::answer::Answer;
use crate::survey::model::{Coarsening, Guide, InterviewGuide, PrivacyClass};

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
    InterviewGuide { survey, guide }: InterviewGuide<'_>,
    organisation_rule: Option<&Coarsening>,
    scrubber: &Scrubber,
) -> (Interview, Redactions) {
    let mut out = data.clone();
    out.answers.retain(|id, _| {
        survey.question(id).and_then(|q| q.privacy) != Some(PrivacyClass::Identifier)
    });
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
        let g = survey.as_interview().unwrap();
        let (out, n) = anonymize(&data, g, rule, &s);
        let kept = out.header.organisation.clone().unwrap();
        assert_ne!(kept, town.value);
        assert!(town.attributes.iter().any(|(_, v)| *v == kept), "{kept}");
        assert_eq!(out.header.date, None);
        assert_eq!(
            out.topics["t"].notes,
            "V obci [name] chybí terénní služby, volejte [phone]."
        );
        assert_eq!((n.names, n.phones), (1, 1));
        let (none, _) = anonymize(&data, g, None, &s);
        assert_eq!(none.header.organisation, None, "no rule: left out");
    }

    /// An e-mail item of a guide is an identifier: its answer never reaches evaluators,
    /// whatever its form (the scrubber is not relied on); declared otherwise, it is
    /// scrubbed like other typed text.
    #[test]
    fn identifier_items_are_left_out_of_evaluators_records() {
        let guide_file = |privacy: &str| {
            format!(
                r#"
id = "g"
title = "Rozhovor"
kind = "interview"
[interview]
categories = [ {{ value = "mayor", label = "Starosta" }} ]
organisation = "municipality"
consent = "Souhlasíte?"
[choices.municipality]
options = [ {{ value = "kolin", label = "Kolín" }} ]
[[topic]]
id = "t"
opening = "Jak se daří?"
  [[topic.question]]
  id = "contact"
  type = "email"
  text = "Kontakt"
  {privacy}
"#
            )
        };
        let mut data = Interview::default();
        data.answers
            .insert("contact".into(), Answer::Text("o'brien@example.org".into()));
        for (privacy, kept) in [("", None), ("privacy = \"none\"", Some("[e-mail]"))] {
            let loaded =
                crate::survey::load_str(std::path::Path::new("g.toml"), &guide_file(privacy));
            let survey = loaded
                .survey
                .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
            let g = survey.as_interview().expect("a guide");
            let s = scrubber(g.guide, &survey.languages);
            let (out, _) = anonymize(&data, g, None, &s);
            assert_eq!(
                out.answers.get("contact"),
                kept.map(|k| Answer::Text(k.into())).as_ref(),
                "{privacy}"
            );
        }
    }
}
