//! Interviews in storage on SQLite and PostgreSQL: created empty, saved with a revision
//! check (a stale autosave is refused, never applied over newer work), finished, and
//! listed per interviewer and survey.

mod common;

use anketa::interview::{Interview, TopicRecord};
use anketa::staff::Role;
use anketa::store::{InterviewFilter, Status, Store, WriteOutcome};
use common::db::TestDb;
use time::macros::datetime;

async fn store(db: &TestDb) -> Store {
    let store = Store::connect(&db.url).await.expect("connect");
    store.migrate().await.expect("migrate");
    let t = datetime!(2024-01-01 0:00 UTC);
    for (id, email) in [("u1", "ivana@example.cz"), ("u2", "petr@example.cz")] {
        let created = anketa::store::AuditEntry {
            at: t,
            actor_id: None,
            actor_email: Some("command line".into()),
            action: "user_created".into(),
            survey_id: None,
            target: Some(email.into()),
            details: serde_json::json!({}),
            ip: None,
        };
        store
            .create_user(id, email, Role::Interviewer, t, &created)
            .await
            .unwrap();
    }
    store
}

fn with_notes(notes: &str) -> Interview {
    let mut i = Interview::default();
    i.topics.insert(
        "situation".into(),
        TopicRecord {
            notes: notes.into(),
            probes: vec!["staffing".into()],
            skipped: None,
            seconds: 42,
            counted_until: Some(1_709_632_800),
        },
    );
    i
}

async fn interviews_are_saved_with_revisions_and_listed(db: TestDb) {
    let store = store(&db).await;
    let t0 = datetime!(2024-03-05 10:00 UTC);
    store
        .create_interview("i1", "rozhovor-starosta", "v1", "u1", t0)
        .await
        .unwrap();
    store
        .create_interview("i2", "rozhovor-orp", "v9", "u2", t0)
        .await
        .unwrap();
    let fresh = store.interview("i1").await.unwrap().unwrap();
    assert_eq!(fresh.data, Interview::default());
    assert_eq!((fresh.status, fresh.revision), (Status::InProgress, 1));
    assert_eq!(fresh.interviewer_id, "u1");

    // Two tabs read revision 1; the first save wins, the stale one is refused.
    let first = with_notes("Dva pracovníci, \"uvozovky\" a ' apostrof.");
    let t1 = datetime!(2024-03-05 10:05 UTC);
    assert_eq!(
        store
            .save_interview("i1", 1, "v1", &first, false, t1)
            .await
            .unwrap(),
        WriteOutcome::Written
    );
    assert_eq!(
        store
            .save_interview("i1", 1, "v1", &with_notes("stale"), false, t1)
            .await
            .unwrap(),
        WriteOutcome::Conflict
    );
    let saved = store.interview("i1").await.unwrap().unwrap();
    assert_eq!(saved.data, first);
    assert_eq!((saved.revision, saved.updated_at), (2, t1));

    // Finishing marks it complete once; later corrections keep the first finish time.
    let t2 = datetime!(2024-03-05 11:00 UTC);
    store
        .save_interview("i1", 2, "v2", &first, true, t2)
        .await
        .unwrap();
    let t3 = datetime!(2024-03-06 09:00 UTC);
    store
        .save_interview("i1", 3, "v2", &first, true, t3)
        .await
        .unwrap();
    let done = store.interview("i1").await.unwrap().unwrap();
    assert_eq!(
        (done.status, done.finished_at),
        (Status::Complete, Some(t2))
    );
    assert_eq!(
        done.survey_version, "v2",
        "moved to the guide version in use"
    );
    assert_eq!(
        store
            .save_interview("nope", 1, "v1", &first, false, t3)
            .await
            .unwrap(),
        WriteOutcome::NotFound
    );

    let ids = |list: Vec<anketa::store::StoredInterview>| {
        list.into_iter().map(|i| i.id).collect::<Vec<_>>()
    };
    let all = store
        .list_interviews(&InterviewFilter::default())
        .await
        .unwrap();
    assert_eq!(ids(all), ["i1", "i2"], "most recently changed first");
    let mine = InterviewFilter {
        interviewer_id: Some("u2"),
        ..Default::default()
    };
    assert_eq!(ids(store.list_interviews(&mine).await.unwrap()), ["i2"]);
    let complete = InterviewFilter {
        survey_id: Some("rozhovor-starosta"),
        status: Some(Status::Complete),
        ..Default::default()
    };
    assert_eq!(ids(store.list_interviews(&complete).await.unwrap()), ["i1"]);
    // An interview needs an existing interviewer.
    assert!(
        store
            .create_interview("i3", "rozhovor-orp", "v9", "ghost", t0)
            .await
            .is_err()
    );
    store.close().await;
}

on_both_databases!(interviews_are_saved_with_revisions_and_listed);
