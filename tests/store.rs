//! The storage layer against real SQLite and PostgreSQL databases: responses round-trip,
//! writes are guarded by revisions, submission is atomic and happens once.

mod common;

use anketa::store::{
    ExportFilter, ExportedResponse, NewInvitation, NewResponse, Progress, Status, Store,
    StoreError, WriteOutcome,
};
use anketa::survey::{Answer, Answers, Lang};
use common::db::TestDb;
use futures_util::TryStreamExt;
use time::OffsetDateTime;
use time::macros::datetime;

async fn store(db: &TestDb) -> Store {
    let store = Store::connect(&db.url).await.expect("connect");
    store.migrate().await.expect("migrate");
    store
        .record_survey_version("s", "v1", "id = \"s\"", datetime!(2024-01-01 0:00 UTC))
        .await
        .unwrap();
    store
}

fn answers(role: &str) -> Answers {
    let mut a = Answers::new();
    a.insert(
        "role".into(),
        Answer::Choice {
            value: role.into(),
            other: None,
        },
    );
    a.insert(
        "note".into(),
        Answer::Text("Příliš žluťoučký kůň \"quoted\"".into()),
    );
    a
}

fn progress<'a>(answers: &'a Answers, page: &'a str, language: Lang) -> Progress<'a> {
    Progress {
        survey_version: "v1",
        language,
        current_page: page,
        answers,
    }
}

async fn new_response(store: &Store, id: &str, at: OffsetDateTime) {
    let a = answers("mas");
    let new = NewResponse {
        id,
        survey_id: "s",
        survey_version: "v1",
        language: Lang::Cs,
        current_page: "p1",
        answers: &a,
    };
    store.create_response(&new, at).await.expect("create");
}

async fn migrations_are_idempotent(db: TestDb) {
    let store = store(&db).await;
    store.migrate().await.expect("second migrate is a no-op");
    store
        .record_survey_version("s", "v1", "changed?", datetime!(2025-01-01 0:00 UTC))
        .await
        .unwrap();
    let versions = store.survey_versions("s").await.unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(
        versions[0].source, "id = \"s\"",
        "a recorded version is never overwritten"
    );
    store.ping().await.expect("ping");
}

async fn versions_are_listed_newest_first(db: TestDb) {
    let store = store(&db).await;
    store
        .record_survey_version("s", "v2", "new", datetime!(2024-06-01 0:00 UTC))
        .await
        .unwrap();
    store
        .record_survey_version("other", "x", "o", datetime!(2024-07-01 0:00 UTC))
        .await
        .unwrap();
    let versions: Vec<_> = store
        .survey_versions("s")
        .await
        .unwrap()
        .into_iter()
        .map(|v| v.version)
        .collect();
    assert_eq!(versions, ["v2", "v1"]);
}

async fn responses_round_trip(db: TestDb) {
    let store = store(&db).await;
    let at = datetime!(2024-01-16 10:00:00.123 UTC);
    new_response(&store, "r1", at).await;
    let r = store.response("r1").await.unwrap().expect("found");
    assert_eq!(
        (r.survey_id.as_str(), r.survey_version.as_str(), r.status),
        ("s", "v1", Status::InProgress)
    );
    assert_eq!(
        (r.language, r.current_page.as_str(), r.revision),
        (Lang::Cs, "p1", 1)
    );
    assert_eq!(r.answers, answers("mas"));
    assert_eq!((r.created_at, r.updated_at, r.submitted_at), (at, at, None));
    assert!(store.response("nope").await.unwrap().is_none());
    let a = answers("x");
    let again = NewResponse {
        id: "r1",
        survey_id: "s",
        survey_version: "v1",
        language: Lang::En,
        current_page: "p9",
        answers: &a,
    };
    assert!(
        matches!(
            store.create_response(&again, at).await,
            Err(anketa::store::StoreError::Duplicate)
        ),
        "an existing id is reported as a duplicate"
    );
    assert_eq!(
        store.response("r1").await.unwrap().unwrap().current_page,
        "p1",
        "and left unchanged"
    );
}

async fn stale_revisions_are_rejected(db: TestDb) {
    let store = store(&db).await;
    let t = datetime!(2024-01-16 10:00 UTC);
    new_response(&store, "r1", t).await;
    let later = datetime!(2024-01-16 10:05 UTC);
    assert_eq!(
        store
            .save_progress("r1", 1, &progress(&answers("other"), "p2", Lang::En), later)
            .await
            .unwrap(),
        WriteOutcome::Written
    );
    assert_eq!(
        store
            .save_progress("r1", 1, &progress(&answers("mas"), "p1", Lang::Cs), later)
            .await
            .unwrap(),
        WriteOutcome::Conflict
    );
    let r = store.response("r1").await.unwrap().unwrap();
    assert_eq!(
        (r.revision, r.current_page.as_str(), r.language),
        (2, "p2", Lang::En)
    );
    assert_eq!(
        r.answers,
        answers("other"),
        "the stale write changed nothing"
    );
    assert_eq!(r.updated_at, later);
    assert_eq!(
        store
            .save_progress("missing", 1, &progress(&answers("x"), "p", Lang::Cs), later)
            .await
            .unwrap(),
        WriteOutcome::NotFound
    );
}

async fn submission_happens_exactly_once(db: TestDb) {
    let store = store(&db).await;
    new_response(&store, "r1", datetime!(2024-01-16 10:00 UTC)).await;
    let at = datetime!(2024-01-16 10:30 UTC);
    // Ten concurrent submits of the same revision (a double click, replayed POSTs).
    let mut tasks = Vec::new();
    for i in 0..10 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .submit(
                    "r1",
                    1,
                    &progress(
                        &answers(if i == 0 { "mas" } else { "other" }),
                        "p1",
                        Lang::Cs,
                    ),
                    at,
                )
                .await
                .unwrap()
        }));
    }
    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.push(t.await.unwrap());
    }
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| **o == WriteOutcome::Written)
            .count(),
        1,
        "{outcomes:?}"
    );
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, WriteOutcome::Written | WriteOutcome::AlreadySubmitted)),
        "{outcomes:?}"
    );
    let r = store.response("r1").await.unwrap().unwrap();
    assert_eq!(
        (r.status, r.submitted_at, r.revision),
        (Status::Complete, Some(at), 2)
    );
    assert_eq!(
        store
            .save_progress("r1", 2, &progress(&answers("x"), "p1", Lang::Cs), at)
            .await
            .unwrap(),
        WriteOutcome::AlreadySubmitted
    );
    assert_eq!(
        store.count_responses("s", Status::Complete).await.unwrap(),
        1
    );
}

/// Responses a-d, all started at 9:00; a, b and c submitted at 10:03, 10:01 and 10:02
/// (not in the order they were created), d left in progress.
async fn four_responses(store: &Store) {
    for (id, minute) in [("a", 3), ("b", 1), ("c", 2), ("d", 0)] {
        new_response(store, id, datetime!(2024-01-16 9:00 UTC)).await;
        if id != "d" {
            let at = datetime!(2024-01-16 10:00 UTC) + time::Duration::minutes(minute);
            assert_eq!(
                store
                    .submit(id, 1, &progress(&answers(id), "p1", Lang::Cs), at)
                    .await
                    .unwrap(),
                WriteOutcome::Written
            );
        }
    }
}

async fn complete_responses_stream_in_submission_order(db: TestDb) {
    let store = store(&db).await;
    four_responses(&store).await;
    let ids: Vec<String> = store
        .complete_responses("s")
        .map_ok(|r| r.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["b", "c", "a"], "in-progress d is not exported");
    assert_eq!(
        store
            .count_responses("s", Status::InProgress)
            .await
            .unwrap(),
        1
    );
}

/// The export reader (a thread of its own; on SQLite a direct rusqlite connection):
/// every filter, the promised order, damaged rows reported, an abandoned export harmless.
async fn exports_choose_order_and_report_damaged_rows(db: TestDb) {
    let store = store(&db).await;
    four_responses(&store).await;
    let ids = |filter: ExportFilter| {
        let store = store.clone();
        async move {
            let rows: Vec<ExportedResponse> = store
                .export_responses("s", &filter)
                .try_collect()
                .await
                .unwrap();
            rows.into_iter().map(|r| r.id).collect::<Vec<_>>()
        }
    };
    let complete = ExportFilter {
        status: Some(Status::Complete),
        ..Default::default()
    };
    assert_eq!(ids(complete.clone()).await, ["b", "c", "a"]);
    // Any status: by submission, or last change for d (in progress since 9:00).
    assert_eq!(ids(ExportFilter::default()).await, ["d", "b", "c", "a"]);
    let in_progress = ExportFilter {
        status: Some(Status::InProgress),
        ..Default::default()
    };
    assert_eq!(ids(in_progress).await, ["d"]);
    let window = ExportFilter {
        from: Some(datetime!(2024-01-16 10:01 UTC)),
        until: Some(datetime!(2024-01-16 10:03 UTC)),
        ..complete.clone()
    };
    assert_eq!(ids(window.clone()).await, ["b", "c"]);
    assert_eq!(
        ids(ExportFilter {
            status: None,
            ..window
        })
        .await,
        ["b", "c"]
    );
    let other_version = ExportFilter {
        version: Some("v2".into()),
        ..Default::default()
    };
    assert!(ids(other_version).await.is_empty());
    let first = store.export_responses("s", &complete).try_next().await;
    let first = first.unwrap().unwrap();
    assert_eq!(
        (first.id.as_str(), first.status, first.language),
        ("b", Status::Complete, Lang::Cs)
    );
    assert_eq!(first.answers, answers("b"));
    assert_eq!(first.submitted_at, Some(datetime!(2024-01-16 10:01 UTC)));
    // Abandoned after one row (the reader stops); writing and exporting go on.
    store
        .submit(
            "d",
            1,
            &progress(&answers("d"), "p1", Lang::Cs),
            datetime!(2024-01-16 10:04 UTC),
        )
        .await
        .unwrap();
    assert_eq!(ids(complete.clone()).await, ["b", "c", "a", "d"]);

    // A damaged row is an error naming the response, after the rows before it.
    db.execute("UPDATE responses SET answers = '{\"role\": ' WHERE id = 'c'")
        .await;
    let mut rows = store.export_responses("s", &complete);
    assert_eq!(rows.try_next().await.unwrap().unwrap().id, "b");
    let err = rows.try_next().await.expect_err("damaged answers");
    assert!(
        matches!(&err, StoreError::Corrupt(m) if m.contains("response c: answers")),
        "{err}"
    );
}

async fn responses_need_a_recorded_survey_version(db: TestDb) {
    let store = store(&db).await;
    let a = Answers::new();
    let new = NewResponse {
        id: "r",
        survey_id: "s",
        survey_version: "unknown",
        language: Lang::Cs,
        current_page: "p",
        answers: &a,
    };
    let err = store
        .create_response(&new, OffsetDateTime::now_utc())
        .await
        .expect_err("foreign key");
    assert!(
        !err.is_unavailable(),
        "a constraint violation is not an outage: {err}"
    );
}

fn invitation(n: u32, municipality: &str) -> NewInvitation {
    NewInvitation {
        id: format!("inv{n}"),
        token_hash: format!("hash{n}"),
        response_id: format!("resp{n}"),
        attributes: [
            ("name".to_string(), format!("Osoba {n}")),
            ("municipality".to_string(), municipality.to_string()),
        ]
        .into(),
    }
}

async fn invitations_are_stored_all_or_none_and_attach_to_their_response(db: TestDb) {
    let store = store(&db).await;
    let at = datetime!(2024-01-10 9:00 UTC);
    store
        .create_invitations("s", &[invitation(1, "kolin"), invitation(2, "most")], at)
        .await
        .unwrap();
    let found = store
        .invitation_by_token_hash("hash2")
        .await
        .unwrap()
        .expect("found by hash");
    assert_eq!(
        (found.survey_id.as_str(), found.response_id.as_str()),
        ("s", "resp2")
    );
    assert_eq!(found.attributes["municipality"], "most");
    assert!(
        store
            .invitation_by_token_hash("nope")
            .await
            .unwrap()
            .is_none()
    );
    // A batch with a repeated token hash fails as a whole.
    let err = store
        .create_invitations("s", &[invitation(3, "pisek"), invitation(1, "kolin")], at)
        .await
        .expect_err("duplicate");
    assert!(matches!(err, StoreError::Duplicate), "{err}");
    assert_eq!(
        store.count_invitations("s").await.unwrap(),
        2,
        "the failed batch left nothing behind"
    );
    // The response reserved by an invitation carries the invitation's attributes.
    let a = answers("mas");
    let new = NewResponse {
        id: "resp1",
        survey_id: "s",
        survey_version: "v1",
        language: Lang::Cs,
        current_page: "p1",
        answers: &a,
    };
    store.create_response(&new, at).await.unwrap();
    let r = store.response("resp1").await.unwrap().unwrap();
    assert_eq!(r.invitation.unwrap()["name"], "Osoba 1");
    assert!(store.response("r-none").await.unwrap().is_none());
}

async fn resume_codes_expire_and_are_replaced(db: TestDb) {
    let store = store(&db).await;
    let now = datetime!(2024-01-10 9:00 UTC);
    let later = datetime!(2024-03-10 9:00 UTC);
    store
        .replace_resume_code("r1", "code-a", now, later)
        .await
        .unwrap();
    assert_eq!(
        store
            .response_for_resume_code("code-a", now)
            .await
            .unwrap()
            .as_deref(),
        Some("r1")
    );
    assert_eq!(
        store
            .response_for_resume_code("code-a", later)
            .await
            .unwrap(),
        None,
        "expired"
    );
    store
        .replace_resume_code("r1", "code-b", now, later)
        .await
        .unwrap();
    assert_eq!(
        store.response_for_resume_code("code-a", now).await.unwrap(),
        None,
        "the old code no longer works"
    );
    assert_eq!(
        store
            .response_for_resume_code("code-b", now)
            .await
            .unwrap()
            .as_deref(),
        Some("r1")
    );
}

on_both_databases!(
    invitations_are_stored_all_or_none_and_attach_to_their_response,
    resume_codes_expire_and_are_replaced,
    migrations_are_idempotent,
    versions_are_listed_newest_first,
    responses_round_trip,
    stale_revisions_are_rejected,
    submission_happens_exactly_once,
    complete_responses_stream_in_submission_order,
    exports_choose_order_and_report_damaged_rows,
    responses_need_a_recorded_survey_version,
);

#[tokio::test]
async fn bad_urls_get_a_clear_error() {
    let err = Store::connect("mysql://localhost/x")
        .await
        .expect_err("unsupported");
    assert!(
        err.to_string().contains("use sqlite://FILE or postgres://"),
        "{err}"
    );
    for url in ["sqlite::memory:", "sqlite://anketa.db?mode=memory"] {
        let err = Store::connect(url).await.expect_err("in memory");
        assert!(
            err.to_string().contains("use sqlite://FILE"),
            "{url}: {err}"
        );
    }
}

#[tokio::test]
async fn an_unreachable_postgres_is_reported_as_unavailable() {
    let err = Store::connect("postgres://postgres@127.0.0.1:1/none")
        .await
        .expect_err("nothing listens on port 1");
    assert!(err.is_unavailable(), "{err}");
}
