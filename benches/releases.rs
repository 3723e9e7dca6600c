//! What planning a release costs at a million complete responses (issue 16 with issue
//! 25): every evaluator report view, dashboard and anonymized export turns each complete
//! response into a [`Subject`] (its id and a SHA-256 of its answers and invitation
//! columns), then plans against the survey's earlier releases, which compares digests of
//! the responses before each cutoff. Responses are the training exit questionnaire's demo
//! answers (10,000 distinct, repeated under new ids). Loading the responses from the
//! database is not measured here (see docs/performance.md). Run:
//! `cargo bench --bench releases`.

use std::path::Path;

use anketa::demo::training::{AFTER, BEFORE, participants};
use anketa::disclosure::releases::{Publication, Subject, to_millis};
use anketa::store::{ReleaseKind, Response, Status};
use anketa::survey::load_paths;
use criterion::{Criterion, criterion_group, criterion_main};
use time::{Duration, OffsetDateTime};

const RESPONSES: usize = 1_000_000;

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog = load_paths(&[root.join("surveys")]);
    let find = |id: &str| catalog.surveys.iter().find(|s| s.id == id).unwrap();
    let (before, after) = (find(BEFORE), find(AFTER));
    let people = participants(before, after, 40, 250, &mut anketa::demo::rng(8)).unwrap();
    let distinct: Vec<_> = people
        .iter()
        .filter_map(|p| p.after.as_ref().map(|r| (r, &p.attributes)))
        .collect();
    let start = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
    let responses: Vec<Response> = (0..RESPONSES)
        .map(|i| {
            let (r, invitation) = distinct[i % distinct.len()];
            let at = start + Duration::seconds(i as i64);
            Response {
                id: format!("{:032x}", i as u128 * 2_654_435_761),
                survey_id: after.id.clone(),
                survey_version: after.version.clone(),
                status: Status::Complete,
                language: r.language,
                current_page: r.last_page.clone(),
                answers: r.answers.clone(),
                revision: 1,
                created_at: at,
                updated_at: at,
                submitted_at: Some(at),
                invitation: Some(invitation.clone()),
                flag: None,
                flag_reason: None,
                deleted_at: None,
            }
        })
        .collect();
    let subjects: Vec<Subject> = responses
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Subject::new(r, i % 7 == 0))
        .collect();
    let now = to_millis(start + Duration::seconds(RESPONSES as i64 + 10));
    // Twenty earlier releases, every 50,000 responses, half of them filtered views of
    // the group.
    let mut earlier = Vec::new();
    for n in 1..=20 {
        let at = to_millis(start + Duration::seconds(n * 50_000));
        let planning = Publication {
            survey_id: &after.id,
            earlier: &[],
            subjects: &subjects,
            threshold: 5,
            now: at,
        };
        let filter = (n % 2 == 0).then_some("region:a");
        earlier.push(planning.release(ReleaseKind::Report, filter, at, None));
    }
    let publication = Publication {
        survey_id: &after.id,
        earlier: &earlier,
        subjects: &subjects,
        threshold: 5,
        now,
    };

    let mut group = c.benchmark_group("releases, 1M complete responses");
    group.sample_size(10);
    group.bench_function("subjects (a SHA-256 of each response)", |b| {
        b.iter(|| {
            responses
                .iter()
                .filter_map(|r| Subject::new(r, false))
                .count()
        })
    });
    group.bench_function("plan an unfiltered view, 20 earlier releases", |b| {
        b.iter(|| publication.plan_whole())
    });
    group.bench_function("plan a filtered view, 20 earlier releases", |b| {
        b.iter(|| publication.plan(Some("region:a")))
    });
    group.bench_function("the release record (digests of what it describes)", |b| {
        b.iter(|| publication.release(ReleaseKind::Report, Some("region:a"), now, None))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
