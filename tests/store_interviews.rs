//! Interviews in storage on SQLite and PostgreSQL: created empty, saved with a revision
//! check (a stale autosave is refused, never applied over newer work), finished, and
//! listed per interviewer and survey; audited changes (starting, consent, finishing, an
//! import) are written with their audit entry or not at all.

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
        .create_interview("i1", "rozhovor-starosta", "v1", "u1", t0, None)
        .await
        .unwrap();
    store
        .create_interview("i2", "rozhovor-orp", "v9", "u2", t0, None)
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
            .save_interview("i1", 1, "v1", &first, false, t1, None)
            .await
            .unwrap(),
        WriteOutcome::Written
    );
    assert_eq!(
        store
            .save_interview("i1", 1, "v1", &with_notes("stale"), false, t1, None)
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
        .save_interview("i1", 2, "v2", &first, true, t2, None)
        .await
        .unwrap();
    let t3 = datetime!(2024-03-06 09:00 UTC);
    store
        .save_interview("i1", 3, "v2", &first, true, t3, None)
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
            .save_interview("nope", 1, "v1", &first, false, t3, None)
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
            .create_interview("i3", "rozhovor-orp", "v9", "ghost", t0, None)
            .await
            .is_err()
    );
    store.close().await;
}

on_both_databases!(
    interviews_are_saved_with_revisions_and_listed,
    a_change_and_its_audit_entry_are_written_together
);

fn entry(action: &str) -> anketa::store::AuditEntry {
    anketa::store::AuditEntry {
        at: datetime!(2024-03-05 10:00 UTC),
        actor_id: Some("u1".into()),
        actor_email: Some("ivana@example.cz".into()),
        action: action.into(),
        survey_id: Some("rozhovor-starosta".into()),
        target: Some("i1".into()),
        details: serde_json::json!({}),
        ip: None,
    }
}

async fn actions(store: &Store) -> Vec<String> {
    let mut all: Vec<String> = store
        .audit_page(1000, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .filter(|a| a != "user_created")
        .collect();
    all.sort();
    all
}

/// With the audit log unwritable, no audited change happens (the interview is not
/// created, its save not kept, the import not stored); a save that loses its revision
/// check writes no entry; each change that happens has exactly its one entry.
async fn a_change_and_its_audit_entry_are_written_together(db: TestDb) {
    let store = store(&db).await;
    let t0 = datetime!(2024-03-05 10:00 UTC);
    let answers = anketa::survey::Answers::from([(
        "q".to_string(),
        anketa::survey::Answer::Text("a".into()),
    )]);
    let paper = [anketa::store::CompleteResponse {
        id: "r1",
        language: anketa::survey::Lang::Cs,
        current_page: "p1",
        answers: &answers,
        submitted_at: t0,
    }];
    store
        .record_survey_version("s", "v1", "id = \"s\"", t0)
        .await
        .unwrap();

    db.execute("ALTER TABLE audit_log RENAME TO audit_log_away")
        .await;
    let started = entry("interview_started");
    store
        .create_interview("i1", "rozhovor-starosta", "v1", "u1", t0, Some(&started))
        .await
        .expect_err("no audit log");
    assert!(store.interview("i1").await.unwrap().is_none());
    store
        .import_responses("s", "v1", &paper, t0, &entry("import"))
        .await
        .expect_err("no audit log");
    assert!(store.response("r1").await.unwrap().is_none());
    db.execute("ALTER TABLE audit_log_away RENAME TO audit_log")
        .await;

    store
        .create_interview("i1", "rozhovor-starosta", "v1", "u1", t0, Some(&started))
        .await
        .unwrap();
    assert_eq!(actions(&store).await, ["interview_started"]);
    db.execute("ALTER TABLE audit_log RENAME TO audit_log_away")
        .await;
    let finished = entry("interview_finished");
    let notes = with_notes("kept only with its entry");
    store
        .save_interview("i1", 1, "v1", &notes, true, t0, Some(&finished))
        .await
        .expect_err("no audit log");
    let unchanged = store.interview("i1").await.unwrap().unwrap();
    assert_eq!(
        (unchanged.status, unchanged.revision, unchanged.data),
        (Status::InProgress, 1, Interview::default())
    );
    db.execute("ALTER TABLE audit_log_away RENAME TO audit_log")
        .await;

    // A stale save changes nothing and records nothing; the fresh one both.
    assert_eq!(
        store
            .save_interview("i1", 7, "v1", &notes, true, t0, Some(&finished))
            .await
            .unwrap(),
        WriteOutcome::Conflict
    );
    assert_eq!(actions(&store).await, ["interview_started"]);
    assert_eq!(
        store
            .save_interview("i1", 1, "v1", &notes, true, t0, Some(&finished))
            .await
            .unwrap(),
        WriteOutcome::Written
    );
    store
        .import_responses("s", "v1", &paper, t0, &entry("import"))
        .await
        .unwrap();
    assert_eq!(
        actions(&store).await,
        ["import", "interview_finished", "interview_started"]
    );
    assert!(store.response("r1").await.unwrap().is_some());
}
