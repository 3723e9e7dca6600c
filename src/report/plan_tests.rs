//! The plan checker: the repository's plans load; each kind of mistake is reported on
//! its line with a fix.

use std::path::{Path, PathBuf};

use super::plan::{Correction, Link};
use super::plan_load::{load_dir, load_str};
use crate::survey::{Survey, load_paths};

fn surveys() -> Vec<Survey> {
    load_paths(&[PathBuf::from("surveys")]).surveys
}

/// The diagnostics of a plan, as `file:line: message (help)` strings.
fn problems(plan: &str) -> Vec<String> {
    let (loaded, diagnostics) = load_str(Path::new("p.toml"), plan, &surveys());
    assert!(loaded.is_none() || diagnostics.iter().all(|d| !d.is_error()));
    diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}: {} ({})",
                d.line().unwrap_or(0),
                d.message,
                d.help.clone().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn the_repository_plans_load_without_problems() {
    let plans = load_dir(Path::new("analysis/plans"), &surveys());
    assert!(plans.diagnostics.is_empty(), "{:?}", plans.diagnostics);
    let training = plans
        .plans
        .iter()
        .find(|p| p.survey == "skoleni-po")
        .unwrap();
    assert_eq!(training.prepost.len(), 2);
    assert_eq!(
        training.prepost[0].link,
        Link::Invitation("participant".into())
    );
    assert_eq!(
        training.prepost[0].items.len(),
        8,
        "a matrix stands for its rows"
    );
    assert_eq!(training.correction, Correction::Holm);
    assert_eq!(training.scales[0].items.len(), 5);
}

#[test]
fn unknown_surveys_variables_and_keys_are_reported_with_suggestions() {
    let p = problems("survey = \"skoleni-poo\"\n");
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("1: there is no survey \"skoleni-poo\" (did you mean \"skoleni-po\"?)"),
        "{p:?}"
    );

    let p = problems("survey = \"skoleni-po\"\ndescribe = [\"overal\"]\ncorection = \"holm\"\n");
    assert!(
        p[0].starts_with(
            "2: survey \"skoleni-po\" has no variable \"overal\" (did you mean \"overall\"?)"
        ),
        "{p:?}"
    );
    assert!(p[1].starts_with("3: unknown key `corection`"), "{p:?}");

    let p = problems("survey = \"skoleni-po\"\ncorrection = \"bonferoni\"\n");
    assert!(p[0].contains("unknown correction \"bonferoni\""), "{p:?}");
}

#[test]
fn variables_of_the_wrong_kind_are_refused() {
    let p = problems(
        "survey = \"skoleni-po\"\n[[crosstab]]\nrows = \"overall\"\ncolumns = \"recommend\"\n\
         [[compare]]\nvariable = \"comments\"\ngroups = \"recommend\"\n\
         [[compare]]\nvariable = \"overall\"\ngroups = \"knowledge\"\n",
    );
    assert!(
        p[0].starts_with("3: \"overall\" is a number, but this needs a choice or scale item"),
        "{p:?}"
    );
    assert!(
        p[1].starts_with("6: \"comments\" is typed text, but this needs a number or scale item"),
        "{p:?}"
    );
    assert!(
        p[2].starts_with("10: \"knowledge\" has several rows; name one of them"),
        "{p:?}"
    );
}

#[test]
fn scales_need_two_scored_items() {
    let p = problems("survey = \"skoleni-po\"\n[[scale]]\nid = \"x\"\nitems = [\"overall\"]\n");
    assert!(
        p[0].starts_with("2: a scale needs at least two items"),
        "{p:?}"
    );
    let p = problems(
        "survey = \"skoleni-po\"\n[[scale]]\nid = \"x\"\nitems = [\"overall\", \"recommend\"]\n",
    );
    assert!(
        p[0].contains("\"recommend\" is a choice, but items must be numbers or scale items"),
        "{p:?}"
    );
    let p = problems(
        "survey = \"cinnosti-socialni-prace\"\n[[scale]]\nid = \"x\"\nitems = [\"time_split\"]\n",
    );
    assert!(
        p[0].starts_with("4: \"time_split\" is a constant sum: its items always add up"),
        "{p:?}"
    );
}

#[test]
fn pre_post_blocks_need_two_linkable_surveys_asking_the_same_items() {
    let base = "survey = \"skoleni-po\"\n[[prepost]]\n";
    let p = problems(&format!(
        "{base}before = \"skoleni-pred\"\nlink = \"invitation.participant\"\nitems = [\"course\"]\n"
    ));
    assert!(p[0].starts_with("5: \"course.relevant\" must be asked the same way in \"skoleni-pred\" and \"skoleni-po\""), "{p:?}");
    let p = problems(&format!(
        "{base}before = \"skoleni-po\"\nlink = \"invitation.participant\"\nitems = [\"knowledge\"]\n"
    ));
    assert!(
        p[0].starts_with("3: \"skoleni-po\" cannot be the survey before"),
        "{p:?}"
    );
    let p = problems(&format!(
        "{base}before = \"seminar-mas-2024\"\nlink = \"invitation.participant\"\nitems = [\"knowledge\"]\n"
    ));
    assert!(
        p[0].starts_with("4: an invitation column can only link token surveys"),
        "{p:?}"
    );
    let p = problems(&format!(
        "{base}before = \"skoleni-pred\"\nlink = \"invitation.run\"\nitems = [\"knowledge\"]\n"
    ));
    assert!(
        p[0].starts_with("4: the link column `run` must be an identifier"),
        "{p:?}"
    );
    let p = problems(&format!(
        "{base}before = \"skoleni-pred\"\nlink = \"experience\"\nitems = [\"knowledge\"]\n"
    ));
    assert!(
        p[0].contains("\"experience\" is not a question of both"),
        "{p:?}"
    );
    let p = problems(&format!(
        "{base}before = \"skoleni-pred\"\nlink = \"invitation.participant\"\n"
    ));
    assert!(
        p[0].contains("this pre/post comparison has no `items`"),
        "{p:?}"
    );
}

#[test]
fn two_plans_for_one_survey_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.toml", "b.toml"] {
        std::fs::write(dir.path().join(name), "survey = \"skoleni-po\"\n").unwrap();
    }
    let plans = load_dir(dir.path(), &surveys());
    assert_eq!(plans.plans.len(), 1);
    assert!(
        plans.diagnostics[0]
            .message
            .contains("already has a plan in"),
        "{:?}",
        plans.diagnostics
    );
}

#[test]
fn reports_see_quasi_identifiers_only_as_the_export_publishes_them() {
    use super::variables::{Kind, specs, withheld};
    let all = surveys();
    let obce = all.iter().find(|s| s.id == "obce-socialni-prace").unwrap();
    let vars = specs(obce, crate::survey::Lang::Cs, &[]);
    // Staff numbers: in their bands, never as numbers to average.
    let sw_total = vars.iter().find(|s| s.name == "sw_total").unwrap();
    assert_eq!(sw_total.kind, Kind::Nominal);
    let bands: Vec<&str> = sw_total
        .categories
        .iter()
        .map(|c| c.code.as_str())
        .collect();
    assert_eq!(bands, ["<5", "5-9", "10+"]);
    // The municipality: only as its region.
    assert!(vars.iter().all(|s| s.name != "municipality"));
    assert!(vars.iter().any(|s| s.name == "municipality.region"));
    assert!(
        withheld(obce, "municipality")
            .unwrap()
            .contains("municipality.region")
    );
    // A plan comparing staff numbers by region is refused with the reason.
    let problems = problems(
        "survey = \"obce-socialni-prace\"\n[[compare]]\nvariable = \"sw_total\"\ngroups = \"municipality.region\"\n",
    );
    assert!(
        problems.iter().any(|p| p.contains("published in bands")),
        "{problems:?}"
    );
}
