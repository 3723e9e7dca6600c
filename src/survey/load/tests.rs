//! Tests of the loader: valid surveys build the right model, and every kind of mistake
//! produces a diagnostic at the right line and column.

use std::path::Path;

use super::load_str;
use crate::survey::diagnostic::{Diagnostic, Severity};
use crate::survey::model::QuestionKind;
use crate::survey::text::Lang;
use crate::survey::types;

const VALID: &str = r#"
id = "seminar"
title = { cs = "Zpětná vazba", en = "Feedback" }
languages = ["cs", "en"]
intro = "Úvod"

[choices.agree5]
options = [
  { value = 1, label = { cs = "Nesouhlasím", en = "Disagree" } },
  { value = 2, label = { cs = "Souhlasím", en = "Agree" } },
]

[choices.town]
attributes = ["region"]
options = [
  { value = "kolin", label = "Kolín", region = "Hradec Králové" },
  { value = "most", label = "Most", region = "Praha" },
]

[[page]]
id = "about"
title = "O vás"
  [[page.question]]
  id = "role"
  type = "single"
  text = "Role"
  options = [ { value = "mas", label = "MAS" }, { value = "other", label = "Jiná" } ]
  required = true
  [[page.question]]
  id = "role_other"
  type = "text"
  text = "Jaká?"
  show_if = "role == 'other'"
  [[page.question]]
  id = "town"
  type = "hidden"
  privacy = "quasi_identifier"
  choices = "town"

[[page]]
id = "rating"
show_if = "role == 'mas'"
  [[page.question]]
  id = "useful"
  type = "likert"
  text = "Užitečné"
  choices = "agree5"
  [[page.question]]
  id = "blocks"
  type = "matrix"
  text = "Bloky"
  choices = "agree5"
  rows = [ { id = "a", text = "A" }, { id = "b", text = "B" } ]
  [[page.question]]
  id = "age"
  type = "number"
  text = "Věk"
  privacy = "quasi_identifier"
  integer = true
  min = 18
  max = 99
  [[page.question]]
  id = "years"
  type = "number"
  text = "Roky praxe"
  privacy = "quasi_identifier"
  validate = { rule = "years <= age - 15", message = { cs = "Příliš", en = "Too many" } }
"#;

fn load(src: &str) -> (Option<crate::survey::Survey>, Vec<Diagnostic>) {
    let l = load_str(Path::new("surveys/t.toml"), src);
    (l.survey, l.diagnostics)
}

fn errors(src: &str) -> Vec<Diagnostic> {
    let (survey, diags) = load(src);
    let errs: Vec<_> = diags
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(survey.is_none() || errs.is_empty());
    errs
}

/// One error expected: returns (line, column, message, help).
fn one_error(src: &str) -> (usize, usize, String, Option<String>) {
    let errs = errors(src);
    assert_eq!(
        errs.len(),
        1,
        "expected one error, got: {}",
        errs.iter().map(|e| e.to_string()).collect::<String>()
    );
    let e = &errs[0];
    (
        e.line().unwrap_or(0),
        e.column().unwrap_or(0),
        e.message.clone(),
        e.help.clone(),
    )
}

/// Replace the first occurrence of `from` in the valid survey.
fn broken(from: &str, to: &str) -> String {
    assert!(VALID.contains(from), "fixture lacks {from:?}");
    VALID.replacen(from, to, 1)
}

fn line_of(src: &str, needle: &str) -> usize {
    src[..src.find(needle).unwrap()].matches('\n').count() + 1
}

#[test]
fn valid_survey_loads_into_the_model() {
    let (survey, diags) = load(VALID);
    assert!(diags.is_empty(), "{diags:?}");
    let s = survey.unwrap();
    assert_eq!(s.id, "seminar");
    assert_eq!(s.languages, vec![Lang::Cs, Lang::En]);
    assert_eq!(s.title.get(Lang::En), "Feedback");
    assert_eq!(s.pages.len(), 2);
    assert_eq!(s.version.len(), 16);
    let role_other = s.question("role_other").unwrap();
    assert_eq!(
        role_other.show_if.as_ref().unwrap().source,
        "role == 'other'"
    );
    let QuestionKind::Hidden(types::Hidden { param, options }) = &s.question("town").unwrap().kind
    else {
        panic!()
    };
    assert_eq!(param, "town");
    let most = options.as_ref().unwrap().get("most").unwrap();
    assert_eq!(
        most.attributes,
        vec![("region".to_string(), "Praha".to_string())]
    );
    let QuestionKind::Likert(types::Likert { options }) = &s.question("useful").unwrap().kind
    else {
        panic!()
    };
    assert_eq!(
        options.codes(),
        vec!["1", "2"],
        "integer values become string codes"
    );
    assert_eq!(s.question("years").unwrap().validations.len(), 1);
    assert!(s.question("role").unwrap().required);
}

#[test]
fn version_is_a_hash_of_the_source() {
    let a = load(VALID).0.unwrap();
    let b = load(&VALID.replace("Úvod", "Úvod!")).0.unwrap();
    assert_ne!(a.version, b.version);
    assert_eq!(a.version, load(VALID).0.unwrap().version);
}

#[test]
fn unknown_question_type_suggests_the_nearest() {
    let src = broken("type = \"likert\"", "type = \"likret\"");
    let (line, col, msg, help) = one_error(&src);
    assert_eq!((line, col), (line_of(&src, "\"likret\""), 10));
    assert_eq!(msg, "unknown question type \"likret\"");
    assert_eq!(help.as_deref(), Some("did you mean \"likert\"?"));
}

#[test]
fn toml_syntax_errors_are_reported_with_position_and_reading_goes_on() {
    let src = broken("intro = \"Úvod\"", "intro = \"Úvod")
        .replace("type = \"likert\"", "type = \"likret\"");
    let errs = errors(&src);
    assert!(errs.len() >= 2, "{errs:?}");
    assert!(errs[0].message.starts_with("invalid TOML"), "{}", errs[0]);
    assert_eq!(errs[0].line(), Some(line_of(&src, "intro")));
    assert!(
        errs.iter().any(|e| e.message.contains("likret")),
        "later mistakes are still found"
    );
}

#[test]
fn unknown_keys_are_errors_with_suggestions() {
    let src = broken("text = \"Role\"", "txt = \"Role\"");
    let errs = errors(&src);
    let msgs: Vec<_> = errs
        .iter()
        .map(|e| (e.message.as_str(), e.help.as_deref()))
        .collect();
    assert!(
        msgs.contains(&(
            "unknown key `txt` in this question",
            Some("did you mean `text`?")
        )),
        "{msgs:?}"
    );
    assert!(
        msgs.contains(&("this question has no `text`", Some("add text = \"...\""))),
        "{msgs:?}"
    );
    let e = errs.iter().find(|e| e.message.contains("txt")).unwrap();
    assert_eq!(
        (e.line(), e.column()),
        (Some(line_of(&src, "txt")), Some(3))
    );
}

#[test]
fn keys_of_other_types_say_where_they_apply() {
    let (_, _, msg, help) = one_error(&broken(
        "text = \"Jaká?\"",
        "text = \"Jaká?\"\n  integer = true",
    ));
    assert_eq!(msg, "`integer` does not apply to this question");
    assert_eq!(help.as_deref(), Some("`integer` applies to: number"));
}

#[test]
fn root_level_mistakes() {
    let (_, _, msg, help) = one_error(&broken(
        "intro = \"Úvod\"",
        "intro = \"Úvod\"\ntitel = \"x\"",
    ));
    assert_eq!(
        (msg.as_str(), help.as_deref()),
        (
            "unknown key `titel` in this survey file",
            Some("did you mean `title`?")
        )
    );
    let (_, _, msg, _) = one_error(&broken("id = \"seminar\"", "id = \"Seminar MAS\""));
    assert_eq!(msg, "\"Seminar MAS\" is not a valid survey id");
    let (_, _, msg, help) = one_error(&broken(
        "languages = [\"cs\", \"en\"]",
        "languages = [\"cs\", \"en\", \"de\"]",
    ));
    assert_eq!(msg, "unsupported language \"de\"");
    assert!(help.unwrap().contains("\"cs\", \"en\""));
    let (_, _, msg, _) = one_error(&format!("{VALID}\n[[question]]\nid = \"x\""));
    assert_eq!(msg, "`question` does not apply to this survey file");
}

#[test]
fn missing_translation_is_reported_at_the_table() {
    let src = broken(
        "{ cs = \"Souhlasím\", en = \"Agree\" }",
        "{ cs = \"Souhlasím\" }",
    );
    let (line, col, msg, help) = one_error(&src);
    assert_eq!(line, line_of(&src, "{ cs = \"Souhlasím\" }"));
    assert_eq!(col, 24);
    assert_eq!(msg, "`label` is missing its English (en) text");
    assert_eq!(help.as_deref(), Some("add en = \"...\" to this table"));
}

#[test]
fn translation_for_an_undeclared_language_is_an_error() {
    let src = broken("languages = [\"cs\", \"en\"]", "languages = [\"cs\"]");
    let errs = errors(&src);
    assert!(!errs.is_empty());
    assert!(
        errs.iter()
            .all(|e| e.message.contains("does not declare that language")),
        "{errs:?}"
    );
}

#[test]
fn duplicate_ids_point_to_the_first_use() {
    let src = broken("id = \"role_other\"", "id = \"role\"");
    let errs = errors(&src);
    let e = errs
        .iter()
        .find(|e| e.message == "duplicate question id \"role\"")
        .expect("duplicate reported");
    assert_eq!(
        e.help.as_deref(),
        Some(
            format!(
                "it is already used on line {}; question ids must be unique in the survey",
                line_of(&src, "id = \"role\"")
            )
            .as_str()
        )
    );
    let (_, _, msg, _) = one_error(&broken("id = \"rating\"", "id = \"about\""));
    assert_eq!(msg, "duplicate page id \"about\"");
    let (_, _, msg, _) = one_error(&broken("{ value = \"most\"", "{ value = \"kolin\""));
    assert_eq!(msg, "duplicate option value \"kolin\"");
    let (_, _, msg, _) = one_error(&broken(
        "{ id = \"b\", text = \"B\" }",
        "{ id = \"a\", text = \"B\" }",
    ));
    assert_eq!(msg, "duplicate row id \"a\"");
}

#[test]
fn missing_choice_list_suggests_defined_ones() {
    let (_, _, msg, help) = one_error(&broken("choices = \"agree5\"", "choices = \"agree6\""));
    assert_eq!(msg, "there is no choice list \"agree6\"");
    assert_eq!(help.as_deref(), Some("did you mean \"agree5\"?"));
}

#[test]
fn option_attributes_must_be_declared_and_present() {
    let errs = errors(&broken("region = \"Praha\"", "regoin = \"Praha\""));
    let msgs: Vec<_> = errs
        .iter()
        .map(|e| (e.message.as_str(), e.help.as_deref()))
        .collect();
    assert_eq!(
        msgs,
        vec![
            ("this option has no `region`", Some("add region = \"...\"")),
            (
                "unknown key `regoin` in this option",
                Some("did you mean `region`?")
            ),
        ]
    );
    let (_, _, msg, help) = one_error(&broken(
        "{ value = \"mas\", label = \"MAS\" }",
        "{ value = \"mas\", label = \"MAS\", region = \"x\" }",
    ));
    assert_eq!(msg, "`region` does not apply to this option");
    assert!(help.unwrap().contains("shared list"));
}

#[test]
fn bad_expressions_are_located_inside_the_string() {
    let src = broken(
        "show_if = \"role == 'other'\"",
        "show_if = \"role == 'othr'\"",
    );
    let (line, col, msg, help) = one_error(&src);
    assert_eq!((line, col), (line_of(&src, "'othr'"), 22));
    assert_eq!(msg, "'othr' is not an option of question `role`");
    assert_eq!(help.as_deref(), Some("did you mean 'other'?"));

    let src = broken(
        "show_if = \"role == 'other'\"",
        "show_if = \"rol == 'other'\"",
    );
    let (_, col, msg, help) = one_error(&src);
    assert_eq!(
        (col, msg.as_str(), help.as_deref()),
        (14, "unknown question `rol`", Some("did you mean `role`?"))
    );

    let (_, col, msg, _) = one_error(&broken(
        "show_if = \"role == 'other'\"",
        "show_if = \"role = 'other'\"",
    ));
    assert_eq!(
        (col, msg.as_str()),
        (19, "in this expression: a single `=` is not a comparison")
    );
}

#[test]
fn references_must_point_backwards() {
    let (_, _, msg, help) = one_error(&broken(
        "show_if = \"role == 'other'\"",
        "show_if = \"age > 3\"",
    ));
    assert_eq!(
        msg,
        "question `age` comes later in the survey (page `rating`)"
    );
    assert_eq!(
        help.as_deref(),
        Some("a condition can only use answers given before it")
    );
    let (_, _, msg, _) = one_error(&broken(
        "show_if = \"role == 'other'\"",
        "show_if = \"answered(role_other)\"",
    ));
    assert_eq!(msg, "the condition of `role_other` refers to itself");
    let (_, _, msg, _) = one_error(&broken(
        "show_if = \"role == 'mas'\"",
        "show_if = \"useful == '1'\"",
    ));
    assert_eq!(
        msg,
        "a page condition cannot use question `useful` on the same page"
    );
    // validate rules may use anything up to their own page, including later questions on it
    assert!(
        errors(&broken(
            "rule = \"years <= age - 15\"",
            "rule = \"age >= years + 15\""
        ))
        .is_empty()
    );
}

#[test]
fn impossible_logic_is_reported() {
    let (_, _, msg, _) = one_error(&broken(
        "show_if = \"role == 'mas'\"",
        "show_if = \"1 > 2\"",
    ));
    assert_eq!(
        msg,
        "this condition can never be true, so page `rating` is never shown"
    );
    let src = broken(
        "show_if = \"role == 'other'\"",
        "show_if = \"answered(role) and 1 == 2\"",
    );
    assert_eq!(
        one_error(&src).2,
        "this condition can never be true, so question `role_other` is never shown"
    );
    let (_, _, msg, _) = one_error(&broken("rule = \"years <= age - 15\"", "rule = \"1 == 0\""));
    assert_eq!(
        msg,
        "this rule is always false, so the question can never be answered"
    );
}

#[test]
fn questions_depending_on_never_shown_questions_are_unreachable() {
    let src = broken("show_if = \"role == 'other'\"", "show_if = \"false\"")
        .replace("choices = \"town\"", "choices = \"town\"\n  [[page.question]]\n  id = \"more\"\n  type = \"text\"\n  text = \"x\"\n  show_if = \"answered(role_other)\"");
    let errs = errors(&src);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!(
        errs[1].message,
        "this condition can never be true, so question `more` is never shown"
    );
    assert_eq!(
        errs[1].help.as_deref(),
        Some("it only uses questions that are never shown themselves")
    );
}

#[test]
fn type_specific_rules() {
    let (_, _, msg, _) = one_error(&broken("max = 99", "max = 9"));
    assert_eq!(msg, "`max` (9) is smaller than `min` (18)");
    let (_, _, msg, _) = one_error(&broken("integer = true", "integer = \"yes\""));
    assert_eq!(
        msg,
        "`integer` must be true or false (without quotes), found a string"
    );
    let (_, _, msg, _) = one_error(&broken(
        "required = true",
        "required = true\n  other = true",
    ));
    assert_eq!(
        msg,
        "the options already have the value \"other\", which `other` would add"
    );
    let (_, _, msg, _) = one_error(&broken(
        "choices = \"town\"",
        "choices = \"town\"\n  required = true",
    ));
    assert_eq!(
        msg,
        "a hidden question cannot be required: respondents do not answer it"
    );
    let (_, _, msg, _) = one_error(&broken("{ value = \"kolin\"", "{ value = \"kol in\""));
    assert_eq!(msg, "\"kol in\" is not a valid option value");
    let (_, _, msg, _) = one_error(&broken(
        "rows = [ { id = \"a\", text = \"A\" }, { id = \"b\", text = \"B\" } ]",
        "",
    ));
    assert_eq!(msg, "this question has no `rows`");
    let (_, _, msg, _) = one_error(&broken(
        "options = [ { value = \"mas\", label = \"MAS\" }, { value = \"other\", label = \"Jiná\" } ]",
        "",
    ));
    assert_eq!(msg, "this question has no options");
}

#[test]
fn every_problem_in_a_file_is_reported_in_order() {
    let src = broken("type = \"likert\"", "type = \"likret\"")
        .replace(
            "choices = \"agree5\"\n  rows",
            "choices = \"agree9\"\n  rows",
        )
        .replace("id = \"years\"", "id = \"Years\"");
    let errs = errors(&src);
    let msgs: Vec<_> = errs.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        msgs,
        vec![
            "unknown question type \"likret\"",
            "there is no choice list \"agree9\"",
            "\"Years\" is not a valid question id",
            // the rule still says `years`: a real mismatch the researcher must fix
            "unknown question `years`",
        ],
        "{msgs:?}"
    );
    let lines: Vec<_> = errs.iter().map(|e| e.line().unwrap()).collect();
    assert!(lines.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn unused_choice_list_is_a_warning_not_an_error() {
    let src =
        format!("{VALID}\n[choices.unused]\noptions = [ {{ value = \"a\", label = \"A\" }} ]\n");
    let (survey, diags) = load(&src);
    assert!(survey.is_some());
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].severity, Severity::Warning);
    assert_eq!(
        diags[0].message,
        "choice list \"unused\" is not used by any question"
    );
}

#[test]
fn access_modes_and_schedule_are_read() {
    use time::macros::datetime;
    let src = VALID.replace(
        "intro = \"Úvod\"",
        "intro = \"Úvod\"\naccess = \"token\"\nopens = 2024-01-16\ncloses = 2024-07-01\nquota = 15\nreview = true",
    );
    let (survey, diags) = load(&src);
    assert!(diags.is_empty(), "{diags:?}");
    let s = survey.unwrap();
    assert_eq!(s.access, crate::survey::model::Access::Token);
    assert!(s.review);
    // Bare dates are in Europe/Prague: winter +01:00, summer +02:00; `closes` takes the whole day.
    assert_eq!(s.schedule.opens, Some(datetime!(2024-01-15 23:00 UTC)));
    assert_eq!(s.schedule.closes, Some(datetime!(2024-07-01 22:00 UTC)));
    assert_eq!(s.schedule.quota, Some(15));
}

#[test]
fn schedule_times_with_offsets_and_zones() {
    use time::macros::datetime;
    let with = |extra: &str| {
        load(&VALID.replace("intro = \"Úvod\"", &format!("intro = \"Úvod\"\n{extra}")))
    };
    let s = with("opens = 2024-01-16T08:30:00+01:00\ncloses = \"2024-01-20T18:00:00Z\"")
        .0
        .unwrap();
    assert_eq!(s.schedule.opens, Some(datetime!(2024-01-16 7:30 UTC)));
    assert_eq!(s.schedule.closes, Some(datetime!(2024-01-20 18:00 UTC)));
    let s = with("timezone = \"Europe/London\"\nopens = 2024-07-01T09:00:00")
        .0
        .unwrap();
    assert_eq!(s.schedule.opens, Some(datetime!(2024-07-01 8:00 UTC)));
}

#[test]
fn schedule_mistakes_are_reported() {
    let with = |extra: &str| {
        one_error(&VALID.replace("intro = \"Úvod\"", &format!("intro = \"Úvod\"\n{extra}")))
    };
    assert_eq!(
        with("opens = 2024-02-01\ncloses = 2024-01-31").2,
        "the survey closes before it opens"
    );
    let (_, _, msg, help) = with("timezone = \"Europe/Praha\"");
    assert_eq!(
        (msg.as_str(), help.as_deref()),
        (
            "unknown time zone \"Europe/Praha\"",
            Some("use an IANA name such as \"Europe/Prague\"")
        )
    );
    assert_eq!(with("quota = 0").2, "`quota` must be at least 1");
    assert_eq!(
        with("opens = \"tomorrow\"").2,
        "`opens` must be a date or a date and time, found a string"
    );
    let (_, _, msg, help) = with("access = \"tokens\"");
    assert_eq!(
        (msg.as_str(), help.as_deref()),
        (
            "unknown access mode \"tokens\"",
            Some("did you mean \"token\"?")
        )
    );
}
