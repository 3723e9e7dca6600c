//! How long `anketa analyze` takes on 100,000 responses (issue 8: "well under a
//! second"): the training programme's exit questionnaire with its plan (descriptives of
//! 21 variables, 2 scales, a 15-group comparison, a 2x15 crosstab, two pre/post blocks of
//! 8 items linking 100,000 entry responses), from stored responses in memory to the laid-
//! out report with its charts. Run: `cargo bench --bench analyze`.

use std::path::{Path, PathBuf};

use anketa::demo::training::{AFTER, BEFORE, participants};
use anketa::report::{self, plan_load};
use anketa::store::{Response, Status};
use anketa::survey::{Lang, Survey, load_paths};
use criterion::{Criterion, criterion_group, criterion_main};

const RUNS: usize = 400;
const PER_RUN: usize = 250;

fn response(
    survey: &Survey,
    i: usize,
    r: &anketa::demo::responses::DemoResponse,
    inv: &std::collections::BTreeMap<String, String>,
) -> Response {
    Response {
        id: format!("{}-{i}", survey.id),
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
        invitation: Some(inv.clone()),
        flag: None,
        flag_reason: None,
        deleted_at: None,
    }
}

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog = load_paths(&[root.join("surveys")]);
    let find = |id: &str| catalog.surveys.iter().find(|s| s.id == id).unwrap();
    let (before, after) = (find(BEFORE), find(AFTER));
    let people = participants(before, after, RUNS, PER_RUN, &mut anketa::demo::rng(8)).unwrap();
    let mut pre = Vec::new();
    let mut post = Vec::new();
    for (i, p) in people.iter().enumerate() {
        if let Some(r) = &p.before {
            pre.push(response(before, i, r, &p.attributes));
        }
        if let Some(r) = &p.after {
            post.push(response(after, i, r, &p.attributes));
        }
    }
    let plans = plan_load::load_dir(
        &root.join(PathBuf::from("analysis/plans")),
        &catalog.surveys,
    );
    let plan = plan_load::plan_for(&plans.plans, after);
    let pre = vec![(before, pre.as_slice())];
    eprintln!("{} responses after, {} before", post.len(), pre[0].1.len());

    let mut group = c.benchmark_group("analyze");
    group.sample_size(10);
    group.bench_function("skoleni-po plan, 100k responses + 100k linked", |b| {
        b.iter(|| report::build(&plan, after, &post, &pre, Lang::Cs, None))
    });
    let describe_only = anketa::report::plan::Plan::default_for(after);
    group.bench_function("default plan (describe all), 100k responses", |b| {
        b.iter(|| report::build(&describe_only, after, &post, &[], Lang::Cs, None))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
