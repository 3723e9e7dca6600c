//! Tests of reading response CSVs: good rows of every question type (and the round trip
//! through the export's cells), every kind of bad cell, the header, skip logic,
//! required questions, rules, ids and files that are not CSV at all.

use std::path::Path;

use time::macros::{date, datetime};

use super::*;
use crate::survey::answer::Answer;
use crate::survey::load_str;
use crate::survey::variables::cell;

const SRC: &str = r#"
id = "papir"
title = "Papír"
languages = ["cs", "en"]
[[page]]
id = "about"
  [[page.question]]
  id = "role"
  type = "single"
  text = "Role"
  options = [ { value = "mas", label = "MAS" }, { value = "town", label = "Obec" } ]
  other = true
  required = true
  [[page.question]]
  id = "why"
  type = "text"
  text = "Proč?"
  show_if = "role == 'town'"
  [[page.question]]
  id = "topics"
  type = "multi"
  text = "Témata"
  options = [ { value = "law", label = "Právo" }, { value = "debt", label = "Dluhy" }, { value = "housing", label = "Bydlení" } ]
  max = 2
  other = true
  [[page.question]]
  id = "often"
  type = "matrix"
  text = "Jak často"
  rows = [ { id = "a", text = "A" }, { id = "b", text = "B" } ]
  options = [ { value = "1", label = "Zřídka" }, { value = "2", label = "Často" } ]
  required = true
  [[page.question]]
  id = "rank"
  type = "ranking"
  text = "Pořadí"
  options = [ { value = "x", label = "X" }, { value = "y", label = "Y" }, { value = "z", label = "Z" } ]
  [[page.question]]
  id = "hours"
  type = "number"
  text = "Hodin"
  integer = true
  min = 0
  max = 100
  [[page.question]]
  id = "years"
  type = "number"
  text = "Let"
  validate = { rule = "years <= hours", message = "Víc let než hodin" }
  [[page.question]]
  id = "nps"
  type = "rating"
  text = "Doporučil byste?"
  min = 0
  max = 10
  [[page.question]]
  id = "when"
  type = "date"
  text = "Kdy"
  min = 2024-01-01
  [[page.question]]
  id = "ok"
  type = "yesno"
  text = "OK?"
  [[page.question]]
  id = "place"
  type = "dropdown"
  text = "Obec"
  options = [ { value = "kolin", label = "Kolín" }, { value = "most", label = "Most" } ]
  [[page.question]]
  id = "scale"
  type = "likert"
  text = "Souhlas"
  options = [ { value = "1", label = "Ne" }, { value = "2", label = "Ano" } ]
  [[page.question]]
  id = "comment"
  type = "textarea"
  text = "Komentář"
  max_length = 20
  [[page.question]]
  id = "src"
  type = "hidden"
  [[page.question]]
  id = "agree"
  type = "consent"
  text = "Souhlas"
  version = "v1"
[[page]]
id = "mas_only"
show_if = "role == 'mas'"
  [[page.question]]
  id = "project"
  type = "yesno"
  text = "Projekt?"
  required = true
[[page]]
id = "end"
  [[page.question]]
  id = "bye"
  type = "note"
  text = "Díky"
"#;

const NOW: OffsetDateTime = datetime!(2024-06-01 12:00 UTC);

fn survey() -> Survey {
    load_str(Path::new("papir.toml"), SRC)
        .survey
        .expect("valid")
}

/// The minimum a town's response needs: role, the matrix, the consent.
const HEADER: &str = "response_id,survey_version,submitted_at,language,role,role.other_text,why,often.a,often.b,agree";

fn read_csv(csv: &str) -> Outcome {
    read(&survey(), csv.as_bytes(), NOW).expect("a readable file")
}

fn error(csv: &[u8]) -> String {
    read(&survey(), csv, NOW)
        .expect_err("an unreadable file")
        .to_string()
}

/// (line, column, message) of every problem.
fn problems(o: &Outcome) -> Vec<(u64, &str, &str)> {
    o.problems
        .iter()
        .map(|p| (p.line, p.column.as_str(), p.message.as_str()))
        .collect()
}

#[track_caller]
fn has(o: &Outcome, column: &str, fragment: &str) {
    assert!(
        o.problems
            .iter()
            .any(|p| p.column == column && p.message.contains(fragment)),
        "no problem in {column:?} with {fragment:?}: {:#?}",
        o.problems
    );
}

#[test]
fn good_rows_of_every_question_type_become_answers() {
    let csv = "response_id,survey_version,submitted_at,language,role,role.other_text,why,topics.law,topics.debt,topics.housing,topics.other,topics.other_text,often.a,often.b,rank.x,rank.y,rank.z,hours,years,nps,when,ok,place,scale,comment,src,agree,project\n\
        r-1,old-hash,2024-03-05T14:30:00+01:00,en,mas,,,1,0,0,1,bydlení,1,2,2,1,,40,\"3,5\",0,2024-03-05,1,kolin,2,\" Dobré \r\nlepší\",leaflet,v1,0\n\
        ,,,,other,starosta,,,,,,,2,2,,,,,,,,,,,,,v1,\n";
    let o = read_csv(csv);
    assert_eq!(problems(&o), []);
    assert_eq!((o.rows, o.skipped()), (2, 0));
    let [first, second] = &o.responses[..] else {
        panic!("two responses: {:?}", o.responses);
    };
    assert_eq!((first.id.as_str(), first.id_from_file), ("r-1", true));
    assert_eq!(first.language, Lang::En);
    assert_eq!(first.submitted_at, datetime!(2024-03-05 13:30 UTC));
    assert_eq!(first.last_page, "end");
    let a = &first.answers;
    let choice = |v: &str| Answer::Choice {
        value: v.into(),
        other: None,
    };
    assert_eq!(a["role"], choice("mas"));
    assert_eq!(
        a["topics"],
        Answer::Choices {
            values: vec!["law".into(), "other".into()],
            other: Some("bydlení".into())
        }
    );
    assert_eq!(
        a["often"],
        Answer::Matrix([("a".into(), "1".into()), ("b".into(), "2".into())].into())
    );
    assert_eq!(a["rank"], Answer::Ranking(vec!["y".into(), "x".into()]));
    assert_eq!(a["hours"], Answer::Number(40.0));
    assert_eq!(
        a["years"],
        Answer::Number(3.5),
        "a decimal comma is a number"
    );
    assert_eq!(a["nps"], Answer::Number(0.0));
    assert_eq!(a["when"], Answer::Date(date!(2024 - 03 - 05)));
    assert_eq!(a["ok"], Answer::Bool(true));
    assert_eq!(a["place"], choice("kolin"));
    assert_eq!(a["scale"], choice("2"));
    assert_eq!(
        a["comment"],
        Answer::Text("Dobré \nlepší".into()),
        "trimmed, LF"
    );
    assert_eq!(a["src"], Answer::Text("leaflet".into()));
    assert_eq!(
        a["agree"],
        Answer::Consent {
            version: "v1".into()
        }
    );
    assert_eq!(a["project"], Answer::Bool(false));
    assert_eq!(a.len(), 15);

    assert!(!second.id_from_file);
    assert_eq!(
        uuid::Uuid::parse_str(&second.id).map(|u| u.get_version_num()),
        Ok(4)
    );
    assert_eq!((second.language, second.submitted_at), (Lang::Cs, NOW));
    assert_eq!(
        second.answers["role"],
        Answer::Choice {
            value: "other".into(),
            other: Some("starosta".into())
        }
    );
    assert_eq!(second.last_page, "end");
    assert!(
        !second.answers.contains_key("project"),
        "not a MAS: no MAS page"
    );
}

#[test]
fn answers_survive_the_round_trip_through_the_exports_cells() {
    let s = survey();
    let vars = variables(&s);
    let csv =
        "r1,,,,mas,,,1,0,0,1,jiné,1,2,3,1,2,7,7,10,2024-12-31,0,most,1,\"a, \"\"b\"\"\",x,v1,1\n";
    let header: Vec<&str> = [RESPONSE_ID, SURVEY_VERSION, SUBMITTED_AT, LANGUAGE]
        .into_iter()
        .chain(vars.iter().map(|v| v.name.as_str()))
        .collect();
    let text = format!("{}\n{csv}", header.join(","));
    let o = read(&s, text.as_bytes(), NOW).unwrap();
    assert_eq!(problems(&o), []);
    let answers = &o.responses[0].answers;
    let cells: Vec<String> = vars.iter().map(|v| cell(v, answers)).collect();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer.write_record(&cells).unwrap();
    let written = String::from_utf8(writer.into_inner().unwrap()).unwrap();
    assert_eq!(format!("r1,,,,{written}"), csv);
}

#[test]
fn every_kind_of_bad_cell_is_reported_with_its_column() {
    let csv = "response_id,submitted_at,language,response_status,role,topics.law,topics.other_text,often.a,often.b,rank.x,rank.y,rank.z,hours,nps,when,ok,place,scale,agree\n\
        a b,yesterday,de,in_progress,boss,2,text,1,3,0,1,1,many,11,5. 13. 2024,ano,kolín,5,yes\n";
    let o = read_csv(csv);
    assert!(o.responses.is_empty());
    assert_eq!(o.skipped(), 1);
    has(&o, "response_id", "not a usable response id");
    has(&o, "submitted_at", "\"yesterday\" is not a date and time");
    has(&o, "language", "\"de\" is not a language of this survey");
    has(&o, "response_status", "only complete responses");
    has(&o, "role", "\"boss\" is not a code of question \"role\"");
    has(&o, "topics.law", "\"2\" is not a tick");
    has(&o, "often.b", "\"3\" is not a code of question \"often\"");
    has(&o, "rank.x", "\"0\" is not a rank");
    has(&o, "rank.z", "rank 1 is given twice");
    has(&o, "hours", "\"many\" is not a number");
    has(
        &o,
        "nps",
        "\"11\" is not a rating: write a whole number from 0 to 10",
    );
    has(&o, "when", "\"5. 13. 2024\" is not a date");
    has(&o, "ok", "\"ano\" is not a yes/no answer");
    has(&o, "place", "\"kolín\" is not a code");
    has(&o, "scale", "\"5\" is not a code");
    has(&o, "agree", "\"yes\" is not the consent version");
    // The bad code gets a suggestion; problems come in column order.
    let place = o.problems.iter().find(|p| p.column == "place").unwrap();
    assert_eq!(place.hint.as_deref(), Some("did you mean \"kolin\"?"));
    let columns: Vec<&str> = o.problems.iter().map(|p| p.column.as_str()).collect();
    assert_eq!(
        columns[..4],
        ["response_id", "submitted_at", "language", "response_status"]
    );
    assert!(o.problems.iter().all(|p| (p.row, p.line) == (1, 2)));
    // Nothing follows from the unreadable cells: no "required" for role or the matrix.
    assert!(
        !o.problems.iter().any(|p| p.message.contains("required")),
        "{:#?}",
        o.problems
    );
}

#[test]
fn ranges_lengths_and_rules_come_from_the_form() {
    let csv = "role,often.a,often.b,agree,hours,years,when,comment,topics.law,topics.debt,topics.housing,topics.other,rank.x,rank.z\n\
        mas,1,1,v1,1.5,,2023-12-31,this comment is far too long,1,1,1,,1,3\n\
        mas,1,1,v1,10,11,,,,,,1,,\n";
    let o = read_csv(&csv.replace("mas,1,1,v1", "town,1,1,v1"));
    has(&o, "hours", "1.5 is not a whole number");
    has(&o, "when", "2023-12-31 is before 2024-01-01");
    has(&o, "comment", "longer than 20 characters");
    has(&o, "topics.*", "tick at most 2 options");
    has(&o, "rank.*", "rank 2 is missing");
    has(
        &o,
        "years",
        "breaks a rule of the survey: Víc let než hodin",
    );
    has(
        &o,
        "topics.other_text",
        "\"other\" is chosen in \"topics\" but its text is empty",
    );
    assert_eq!(o.skipped(), 2);
}

#[test]
fn answers_that_skip_logic_hides_are_errors() {
    let csv = format!(
        "{HEADER},project\n\
         ,,,,town,,,1,2,v1,1\n\
         ,,,,mas,,\"not asked\",1,2,v1,0\n\
         ,,,,boss,,,1,2,v1,1\n"
    );
    let o = read_csv(&csv);
    assert_eq!(
        problems(&o),
        [
            (
                2,
                "project",
                "answered, but question \"project\" does not apply to this response: its page \"mas_only\" applies only if role == 'mas'"
            ),
            (
                3,
                "why",
                "answered, but question \"why\" does not apply to this response: it is asked only if role == 'town'"
            ),
            (4, "role", "\"boss\" is not a code of question \"role\""),
        ],
        "an unreadable role does not make the MAS page's answer an error too"
    );
}

#[test]
fn required_questions_on_pages_that_apply_must_be_answered() {
    let csv = format!("{HEADER}\n,,,,,,,1,,\n,,,,mas,,,1,2,v1\n,,,,other,,,1,2,v1\n");
    let o = read_csv(&csv);
    assert_eq!(
        problems(&o),
        [
            (2, "role", "required question \"role\" has no answer"),
            (
                2,
                "often.b",
                "required matrix \"often\": every row needs an answer"
            ),
            (
                2,
                "agree",
                "consent is required: a response without it cannot be stored"
            ),
            (3, "project", "required question \"project\" has no answer"),
            (
                4,
                "role.other_text",
                "\"other\" is chosen in \"role\" but its text is empty"
            ),
        ]
    );
    assert_eq!(
        o.problems[2].hint.as_deref(),
        Some("write \"v1\" if the respondent agreed")
    );
    assert!(o.responses.is_empty());
}

#[test]
fn other_texts_need_other_chosen() {
    let csv = "role,role.other_text,often.a,often.b,agree,topics.law,topics.other,topics.other_text\n\
        town,starosta,1,1,v1,,,\n\
        ,starosta,1,1,v1,,,\n\
        town,,1,1,v1,1,0,bydlení\n";
    let o = read_csv(csv);
    assert_eq!(
        problems(&o),
        [
            (
                2,
                "role.other_text",
                "an \"other\" text is given but \"other\" is not chosen in \"role\""
            ),
            (
                3,
                "role.other_text",
                "an \"other\" text is given but \"other\" is not chosen in \"role\""
            ),
            (
                4,
                "topics.other_text",
                "an \"other\" text is given but \"topics.other\" is not 1"
            ),
        ]
    );
}

#[test]
fn the_header_is_checked_first() {
    let o = read_csv(&format!(
        "{HEADER},rolle,,agree,invitation.name\n,,,,town,,,1,2,v1,,,v1,\n"
    ));
    assert_eq!(
        problems(&o),
        [
            (1, "rolle", "survey \"papir\" has no such column"),
            (1, "", "column 12 has no name"),
            (1, "agree", "this column appears twice"),
        ]
    );
    assert_eq!(
        o.problems[0].hint.as_deref(),
        Some("did you mean \"role\"?")
    );
    assert_eq!(o.header_problems(), 3);
    let far = read_csv("response_id,zzz_qqq\nx,1\n");
    assert_eq!(
        far.problems[0].hint.as_deref(),
        Some("the columns are those of the survey's CSV export: remove this one")
    );
}

#[test]
fn ids_must_be_unique_and_invitations_empty() {
    let csv = format!(
        "{HEADER},invitation.name\n\
         a1,,,,town,,,1,2,v1,\n\
         a2,,,,town,,,1,2,v1,Jana\n\
         a1,,,,town,,,1,2,v1,\n\
         a3,,2030-01-01T00:00:00Z,,town,,,1,2,v1,\n"
    );
    let o = read_csv(&csv);
    assert_eq!(
        problems(&o),
        [
            (2, "response_id", "response id \"a1\" is used on line 4 too"),
            (
                3,
                "invitation.name",
                "imported responses cannot be linked to invitations"
            ),
            (4, "response_id", "response id \"a1\" is used on line 2 too"),
            (
                5,
                "submitted_at",
                "\"2030-01-01T00:00:00Z\" is in the future"
            ),
        ]
    );
    assert!(o.responses.is_empty());
    assert_eq!((o.rows, o.skipped()), (4, 4));
    let ids: Vec<_> = o.given_ids().map(|(_, _, id)| id).collect();
    assert_eq!(ids, ["a1", "a2", "a1", "a3"]);
}

#[test]
fn a_rejected_row_leaves_the_responses() {
    let mut o = read_csv(&format!(
        "{HEADER}\nk1,,,,town,,,1,2,v1\nk2,,,,town,,,1,2,v1\n,,,,,,,,,\n"
    ));
    assert_eq!(
        (o.rows, o.responses.len()),
        (2, 2),
        "the empty row is skipped"
    );
    o.reject(Problem {
        row: 1,
        line: 2,
        column: "response_id".into(),
        message: "exists".into(),
        hint: None,
    });
    assert_eq!(o.responses.len(), 1);
    assert_eq!(o.responses[0].id, "k2");
    assert_eq!(o.skipped(), 1);
}

#[test]
fn lines_are_counted_in_files_with_crlf_and_line_breaks_in_cells() {
    let csv = format!(
        "{HEADER}\r\n,,,,town,,,1,2,v1\r\n,,,,town,,,1,x,v1\r\n,,,,\"tow\r\nn\",,,1,2,v1\r\n,,,,town,,,1,y,v1\r\n"
    );
    let o = read_csv(&csv);
    assert_eq!(
        o.problems
            .iter()
            .map(|p| (p.row, p.line, p.column.as_str()))
            .collect::<Vec<_>>(),
        [(2, 3, "often.b"), (3, 4, "role"), (4, 6, "often.b")]
    );
    assert!(
        error(format!("{HEADER}\r\n,,,,town,,,1,2,v1\r\n,,\r\n").as_bytes())
            .starts_with("line 3: ")
    );
}

#[test]
fn missing_columns_are_empty_and_a_bom_is_fine() {
    let o = read(
        &survey(),
        "\u{feff}role,often.a,often.b,agree\r\ntown,1,2,v1\r\n".as_bytes(),
        NOW,
    )
    .unwrap();
    assert_eq!(problems(&o), []);
    assert_eq!(o.responses[0].answers.len(), 3);
}

#[test]
fn files_that_are_not_response_csvs_are_errors() {
    assert!(error(b"").contains("the file is empty"));
    assert!(error(b" \r\n").contains("the file is empty"));
    assert_eq!(
        error(HEADER.as_bytes()),
        "there are no responses in this file (only a header line)"
    );
    assert!(
        error(b"name,email\nJana,j@x.cz\n")
            .starts_with("the first line does not name the columns of survey \"papir\"")
    );
    assert_eq!(
        error(format!("{HEADER}\n,,,,town,,\"why,1,2,v1\n").as_bytes()),
        "line 2: a quote (\") opened here is never closed"
    );
    assert_eq!(
        error(format!("{HEADER}\n,,,,town,,,1,2,v1,extra\n").as_bytes()),
        "line 2: this row has 11 fields but the header has 10; check for a missing or extra comma"
    );
    let latin1 = [HEADER.as_bytes(), b"\n,,,,town,,\xe9,1,2,v1\n"].concat();
    assert_eq!(
        error(&latin1),
        "line 2: the file is not UTF-8; save it as \"CSV UTF-8\""
    );
    let guide = crate::survey::load_paths(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("surveys")])
        .surveys
        .into_iter()
        .find(Survey::is_interview)
        .expect("an example interview guide");
    assert!(matches!(
        read(&guide, b"a\n1\n", NOW),
        Err(ImportError::InterviewGuide(_))
    ));
}
