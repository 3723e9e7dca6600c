//! The staff area's storage on SQLite and PostgreSQL: accounts, grants, one-time
//! password links, the audit log, dashboard numbers, listing, flags, deletion, erasure.

mod common;

use anketa::staff::Role;
use anketa::store::{
    AuditEntry, Flag, ListFilter, NewInvitation, NewResponse, Progress, Status, Store,
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

fn answers(town: &str) -> Answers {
    [(
        "town".to_string(),
        Answer::Choice {
            value: town.into(),
            other: None,
        },
    )]
    .into()
}

/// A response created at `created`, submitted `minutes` later (or left in progress on `page`).
async fn response(
    store: &Store,
    id: &str,
    created: OffsetDateTime,
    minutes: Option<i64>,
    page: &str,
) {
    let a = answers(id);
    let new = NewResponse {
        id,
        survey_id: "s",
        survey_version: "v1",
        language: Lang::Cs,
        current_page: page,
        answers: &a,
    };
    store.create_response(&new, created).await.unwrap();
    if let Some(m) = minutes {
        let p = Progress {
            survey_version: "v1",
            language: Lang::Cs,
            current_page: page,
            answers: &a,
        };
        store
            .submit(id, 1, &p, created + time::Duration::minutes(m))
            .await
            .unwrap();
    }
}

async fn accounts_grants_and_password_links(db: TestDb) {
    let store = store(&db).await;
    let now = datetime!(2024-05-01 9:00 UTC);
    store
        .create_user(
            "u1",
            "jana@mpsv.cz",
            Role::Evaluator,
            now,
            &entry("user_created", "admin@example.cz", "::1", now),
        )
        .await
        .unwrap();
    assert!(
        matches!(
            store
                .create_user(
                    "u2",
                    "jana@mpsv.cz",
                    Role::Admin,
                    now,
                    &entry("user_created", "admin@example.cz", "::1", now)
                )
                .await,
            Err(anketa::store::StoreError::Duplicate)
        ),
        "e-mails are unique"
    );
    let u = store.user_by_email("jana@mpsv.cz").await.unwrap().unwrap();
    assert_eq!(
        (u.role, u.password_hash.as_deref(), u.disabled),
        (Role::Evaluator, None, false)
    );
    // A new password ends older links and sessions, with its audit entry, together.
    store
        .create_password_token(
            "h0",
            "u1",
            datetime!(2024-05-08 9:00 UTC),
            &entry("password_link_created", "admin@example.cz", "::1", now),
        )
        .await
        .unwrap();
    let changed = datetime!(2024-05-01 10:00 UTC);
    assert!(
        store
            .set_password_hash(
                "u1",
                "$argon2id$x",
                &entry("password_set", "jana@mpsv.cz", "::1", changed)
            )
            .await
            .unwrap()
    );
    assert_eq!(
        store.password_token_user("h0", now).await.unwrap(),
        None,
        "the link stops working"
    );
    assert_eq!(
        store
            .user_by_id("u1")
            .await
            .unwrap()
            .unwrap()
            .sessions_valid_after,
        changed
    );
    assert_eq!(
        store
            .audit_page(10, 0)
            .await
            .unwrap()
            .iter()
            .filter(|e| e.action == "password_set")
            .count(),
        1
    );
    assert!(
        store
            .set_disabled(
                "u1",
                true,
                &entry("user_disabled", "admin@example.cz", "::1", now)
            )
            .await
            .unwrap()
    );
    let u = store.user_by_id("u1").await.unwrap().unwrap();
    assert_eq!(
        (u.password_hash.as_deref(), u.disabled),
        (Some("$argon2id$x"), true)
    );
    store
        .end_sessions(
            "u1",
            &entry(
                "logout_everywhere",
                "admin@example.cz",
                "::1",
                datetime!(2024-05-02 9:00 UTC),
            ),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .user_by_id("u1")
            .await
            .unwrap()
            .unwrap()
            .sessions_valid_after,
        datetime!(2024-05-02 9:00 UTC)
    );

    let granted = entry("grant_added", "admin@example.cz", "::1", now);
    assert!(store.grant("u1", "obce", &granted).await.unwrap());
    assert!(
        !store.grant("u1", "obce", &granted).await.unwrap(),
        "idempotent"
    );
    assert!(store.grant("u1", "seminar", &granted).await.unwrap());
    assert_eq!(store.grants_of("u1").await.unwrap(), ["obce", "seminar"]);
    let revoked = entry("grant_removed", "admin@example.cz", "::1", now);
    assert!(store.revoke("u1", "seminar", &revoked).await.unwrap());
    assert!(!store.revoke("u1", "seminar", &revoked).await.unwrap());
    assert_eq!(store.grants_of("u1").await.unwrap(), ["obce"]);

    store
        .create_password_token(
            "h1",
            "u1",
            datetime!(2024-05-08 9:00 UTC),
            &entry("password_link_created", "admin@example.cz", "::1", now),
        )
        .await
        .unwrap();
    // A newer link replaces it: only the newest works.
    store
        .create_password_token(
            "h2",
            "u1",
            datetime!(2024-05-08 9:00 UTC),
            &entry("password_link_created", "admin@example.cz", "::1", now),
        )
        .await
        .unwrap();
    assert_eq!(store.password_token_user("h1", now).await.unwrap(), None);
    assert_eq!(
        store
            .password_token_user("h2", now)
            .await
            .unwrap()
            .as_deref(),
        Some("u1")
    );
    store
        .create_password_token(
            "h1",
            "u1",
            datetime!(2024-05-08 9:00 UTC),
            &entry("password_link_created", "admin@example.cz", "::1", now),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .password_token_user("h1", now)
            .await
            .unwrap()
            .as_deref(),
        Some("u1")
    );
    assert_eq!(
        store
            .take_password_token("h1", datetime!(2024-05-09 0:00 UTC))
            .await
            .unwrap(),
        None,
        "expired"
    );
    assert_eq!(
        store
            .take_password_token("h1", now)
            .await
            .unwrap()
            .as_deref(),
        Some("u1")
    );
    assert_eq!(
        store.take_password_token("h1", now).await.unwrap(),
        None,
        "a link works once"
    );
    assert_eq!(store.list_users().await.unwrap().len(), 1);
    // Every change came with its audit entry, in its transaction: the duplicate account
    // and the repeated grant changed nothing and left none.
    let audit: Vec<AuditEntry> = store.audit_all().try_collect().await.unwrap();
    let count = |action: &str| audit.iter().filter(|e| e.action == action).count();
    assert_eq!(
        [
            count("user_created"),
            count("password_link_created"),
            count("password_set"),
            count("user_disabled"),
            count("logout_everywhere"),
            count("grant_added"),
            count("grant_removed"),
        ],
        [1, 4, 1, 1, 1, 2, 1],
        "{audit:?}"
    );
}

fn entry(action: &str, email: &str, ip: &str, at: OffsetDateTime) -> AuditEntry {
    AuditEntry {
        at,
        actor_id: None,
        actor_email: Some(email.into()),
        action: action.into(),
        survey_id: Some("s".into()),
        target: None,
        details: serde_json::json!({"n": 1}),
        ip: Some(ip.into()),
    }
}

async fn the_audit_log_lists_entries_newest_first(db: TestDb) {
    let store = store(&db).await;
    let t = datetime!(2024-05-01 9:00 UTC);
    for i in 0..3 {
        store
            .audit(&entry(
                "login_failed",
                "jana@mpsv.cz",
                "192.0.2.1",
                t + time::Duration::minutes(i),
            ))
            .await
            .unwrap();
    }
    store
        .audit(&entry("login_failed", "petr@mpsv.cz", "192.0.2.9", t))
        .await
        .unwrap();
    store
        .audit(&entry(
            "login",
            "jana@mpsv.cz",
            "192.0.2.1",
            t + time::Duration::minutes(5),
        ))
        .await
        .unwrap();
    let page = store.audit_page(2, 0).await.unwrap();
    assert_eq!(
        page.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["login", "login_failed"],
        "newest first"
    );
    assert_eq!(page[0].details, serde_json::json!({"n": 1}));
    assert_eq!(store.count_audit().await.unwrap(), 5);
    let all: Vec<AuditEntry> = store.audit_all().try_collect().await.unwrap();
    assert_eq!(all.len(), 5);
    assert!(all.windows(2).all(|w| w[0].at <= w[1].at), "oldest first");
}

/// Sign-in attempts: stored, then counted with this one included, per account and per
/// address, within the window; a finished one is forgotten, old ones are deleted.
async fn sign_in_attempts_are_counted_before_their_check(db: TestDb) {
    let store = store(&db).await;
    let t = datetime!(2024-05-01 9:00 UTC);
    let window = t - time::Duration::minutes(15);
    let mut counts = Vec::new();
    for i in 0..3 {
        counts.push(
            store
                .begin_login_attempt(&format!("a{i}"), "jana@mpsv.cz", "192.0.2.1", t, window)
                .await
                .unwrap(),
        );
    }
    assert_eq!(counts, [(1, 1), (2, 2), (3, 3)]);
    let other = store
        .begin_login_attempt("b", "petr@mpsv.cz", "192.0.2.1", t, window)
        .await
        .unwrap();
    assert_eq!(other, (1, 4), "another account, the same address");
    store.end_login_attempt("a0").await.unwrap();
    let later = t + time::Duration::minutes(20);
    let after = store
        .begin_login_attempt(
            "c",
            "jana@mpsv.cz",
            "192.0.2.9",
            later,
            later - time::Duration::minutes(15),
        )
        .await
        .unwrap();
    assert_eq!(after, (1, 1), "older attempts are outside the window");
    assert_eq!(
        store.forget_login_attempts(later).await.unwrap(),
        3,
        "a1, a2 and b"
    );
    let again = store
        .begin_login_attempt("d", "jana@mpsv.cz", "192.0.2.1", later, window)
        .await
        .unwrap();
    assert_eq!(again, (2, 1), "c and d are left");
}

async fn dashboard_numbers(db: TestDb) {
    let store = store(&db).await;
    let day1 = datetime!(2024-03-01 10:00 UTC);
    let day2 = datetime!(2024-03-02 23:30 UTC); // already 3 March in Prague (+01:00)
    response(&store, "a", day1, Some(10), "p2").await;
    response(&store, "b", day1, Some(20), "p2").await;
    response(&store, "c", day2, Some(40), "p2").await;
    response(&store, "d", day2, Some(30), "p2").await;
    response(&store, "e", day2, None, "p1").await;
    response(&store, "f", day2, None, "p2").await;
    response(&store, "g", day2, None, "p2").await;
    response(&store, "t", day2, Some(1), "p2").await;
    assert!(
        store
            .set_flag(
                "s",
                "t",
                Some(Flag::Test),
                Some("pilot"),
                &entry(
                    "response_flagged",
                    "staff@example.cz",
                    "::1",
                    datetime!(2024-05-01 9:00 UTC)
                )
            )
            .await
            .unwrap()
    );
    let stats = store.survey_stats("s").await.unwrap();
    assert_eq!(
        (stats.in_progress, stats.complete, stats.set_aside),
        (3, 4, 1)
    );
    assert_eq!(
        stats.median_completion,
        Some(time::Duration::minutes(25)),
        "median of 10, 20, 30, 40 minutes"
    );
    assert_eq!(stats.completion_rate(), Some(4.0 / 7.0));
    assert_eq!(
        stats.last_activity,
        Some(day2 + time::Duration::minutes(40))
    );
    let per_day = store.completions_per_day("s", 3_600_000).await.unwrap();
    let day = |d: OffsetDateTime| d.unix_timestamp() / 86400;
    assert_eq!(per_day, [(day(day1), 2), (day(day2) + 1, 2)], "Prague days");
    let mut pages = store.in_progress_by_page("s").await.unwrap();
    pages.sort();
    assert_eq!(pages, [("p1".to_string(), 1), ("p2".to_string(), 2)]);
    assert_eq!(
        store.count_responses("s", Status::Complete).await.unwrap(),
        4,
        "the test response does not count"
    );
}

async fn listing_flags_deletion_and_erasure(db: TestDb) {
    let store = store(&db).await;
    let t = datetime!(2024-03-01 10:00 UTC);
    let inv = NewInvitation {
        id: "i1".into(),
        token_hash: "th".into(),
        response_id: "r3".into(),
        attributes: [("email".to_string(), "jana@x.cz".to_string())].into(),
    };
    store.create_invitations("s", &[inv], t).await.unwrap();
    response(&store, "r1", t, Some(5), "p").await;
    response(&store, "r2", t + time::Duration::hours(1), None, "p").await;
    response(&store, "r3", t + time::Duration::hours(2), Some(5), "p").await;
    store
        .replace_resume_code("r3", "code", t, t + time::Duration::days(9))
        .await
        .unwrap();
    let ids = |f: ListFilter| {
        let store = store.clone();
        async move {
            store
                .list_responses("s", &f)
                .map_ok(|r| r.id)
                .try_collect::<Vec<_>>()
                .await
                .unwrap()
        }
    };
    assert_eq!(
        ids(ListFilter::default()).await,
        ["r3", "r2", "r1"],
        "newest first"
    );
    assert_eq!(
        ids(ListFilter {
            status: Some(Status::Complete),
            ..Default::default()
        })
        .await,
        ["r3", "r1"]
    );
    assert_eq!(
        ids(ListFilter {
            from: Some(t + time::Duration::minutes(30)),
            until: Some(t + time::Duration::minutes(90)),
            ..Default::default()
        })
        .await,
        ["r2"]
    );
    // A value that would break naive SQL is just a value.
    assert!(
        !store
            .set_flag(
                "s",
                "r1' OR '1'='1",
                Some(Flag::Excluded),
                Some("x"),
                &entry(
                    "response_flagged",
                    "staff@example.cz",
                    "::1",
                    datetime!(2024-05-01 9:00 UTC)
                )
            )
            .await
            .unwrap()
    );
    assert!(
        !store
            .set_flag(
                "other-survey",
                "r1",
                Some(Flag::Excluded),
                None,
                &entry(
                    "response_flagged",
                    "staff@example.cz",
                    "::1",
                    datetime!(2024-05-01 9:00 UTC)
                )
            )
            .await
            .unwrap(),
        "ids are checked against their survey"
    );
    assert!(
        store
            .set_flag(
                "s",
                "r1",
                Some(Flag::Excluded),
                Some("duplicate"),
                &entry(
                    "response_flagged",
                    "staff@example.cz",
                    "::1",
                    datetime!(2024-05-01 9:00 UTC)
                )
            )
            .await
            .unwrap()
    );
    let r1 = store.response("r1").await.unwrap().unwrap();
    assert_eq!(
        (r1.flag.as_deref(), r1.flag_reason.as_deref()),
        (Some("excluded"), Some("duplicate"))
    );
    assert!(
        store
            .soft_delete(
                "s",
                "r2",
                t,
                &entry("response_deleted", "staff@example.cz", "::1", t)
            )
            .await
            .unwrap()
    );
    assert!(
        !store
            .soft_delete(
                "s",
                "r2",
                t,
                &entry("response_deleted", "staff@example.cz", "::1", t)
            )
            .await
            .unwrap(),
        "once"
    );
    assert_eq!(ids(ListFilter::default()).await, ["r3", "r1"]);
    assert_eq!(
        ids(ListFilter {
            include_deleted: true,
            ..Default::default()
        })
        .await,
        ["r3", "r2", "r1"]
    );
    let exported: Vec<String> = store
        .complete_responses("s")
        .map_ok(|r| r.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        exported,
        ["r3"],
        "flagged and deleted responses are not exported"
    );
    // Erasure removes the response, its resume code and its invitation with personal data.
    assert!(
        store
            .erase(
                "s",
                "r3",
                &entry("response_erased", "staff@example.cz", "::1", t)
            )
            .await
            .unwrap()
    );
    assert!(store.response("r3").await.unwrap().is_none());
    assert_eq!(
        store.response_for_resume_code("code", t).await.unwrap(),
        None
    );
    assert!(
        store
            .invitation_by_token_hash("th")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        !store
            .erase(
                "s",
                "r3",
                &entry("response_erased", "staff@example.cz", "::1", t)
            )
            .await
            .unwrap()
    );
    // Each change that happened has its audit entry, written with it; the attempts that
    // changed nothing (another survey, an injected id, a second erasure) have none.
    let audit: Vec<AuditEntry> = store.audit_all().try_collect().await.unwrap();
    let count = |action: &str| audit.iter().filter(|e| e.action == action).count();
    assert_eq!(
        (
            count("response_flagged"),
            count("response_deleted"),
            count("response_erased")
        ),
        (1, 1, 1),
        "{audit:?}"
    );
}

/// The release lease: one holder at a time; given back, or taken over once expired.
async fn one_release_lease_per_survey(db: TestDb) {
    let store = store(&db).await;
    let t = datetime!(2024-05-01 9:00 UTC);
    let until = datetime!(2024-05-01 9:01 UTC);
    assert!(
        store
            .take_release_lease("obce", "a", t, until)
            .await
            .unwrap()
    );
    assert!(
        !store
            .take_release_lease("obce", "b", t, until)
            .await
            .unwrap(),
        "held by a"
    );
    assert!(
        store
            .take_release_lease("skoleni", "b", t, until)
            .await
            .unwrap(),
        "another survey"
    );
    // b may not give back a's lease.
    store.end_release_lease("obce", "b").await.unwrap();
    assert!(
        !store
            .take_release_lease("obce", "c", t, until)
            .await
            .unwrap()
    );
    store.end_release_lease("obce", "a").await.unwrap();
    assert!(
        store
            .take_release_lease("obce", "c", t, until)
            .await
            .unwrap(),
        "given back"
    );
    // c stops without giving it back: after it expires, d takes it over.
    let later = datetime!(2024-05-01 9:02 UTC);
    assert!(
        !store
            .take_release_lease("obce", "d", datetime!(2024-05-01 9:00:30 UTC), later)
            .await
            .unwrap()
    );
    assert!(
        store
            .take_release_lease("obce", "d", later, datetime!(2024-05-01 9:03 UTC))
            .await
            .unwrap()
    );
    // Many at once: exactly one gets it.
    let t2 = datetime!(2024-05-01 10:00 UTC);
    let tries = (0..16).map(|i| {
        let store = store.clone();
        async move {
            store
                .take_release_lease(
                    "seminar",
                    &format!("h{i}"),
                    t2,
                    datetime!(2024-05-01 10:01 UTC),
                )
                .await
                .unwrap()
        }
    });
    let won = futures_util::future::join_all(tries).await;
    assert_eq!(won.iter().filter(|w| **w).count(), 1, "{won:?}");
}

/// An account made when addresses were checked less strictly (a non-ASCII local part, no
/// dot in the domain) is still found, so it can still be disabled or reset from the
/// command line; new accounts get the stricter check.
async fn accounts_with_addresses_of_an_older_check_are_still_found(db: TestDb) {
    let store = store(&db).await;
    let now = datetime!(2024-05-01 9:00 UTC);
    for (id, email) in [("u1", "jána@obec.cz"), ("u2", "admin@localhost")] {
        store
            .create_user(
                id,
                email,
                Role::Admin,
                now,
                &entry("user_created", "admin@example.cz", "::1", now),
            )
            .await
            .unwrap();
    }
    let found = anketa::accounts::find(&store, " JÁNA@obec.cz ")
        .await
        .unwrap();
    assert_eq!(found.id, "u1");
    let found = anketa::accounts::find(&store, "admin@localhost")
        .await
        .unwrap();
    assert_eq!(found.id, "u2");
    assert!(matches!(
        anketa::accounts::find(&store, "nikdo@obec.cz").await,
        Err(anketa::accounts::AccountError::NotFound(_))
    ));
    assert!(anketa::staff::normalize_email("jána@obec.cz").is_err());
    store.close().await;
}

on_both_databases!(
    accounts_with_addresses_of_an_older_check_are_still_found,
    one_release_lease_per_survey,
    accounts_grants_and_password_links,
    the_audit_log_lists_entries_newest_first,
    sign_in_attempts_are_counted_before_their_check,
    dashboard_numbers,
    listing_flags_deletion_and_erasure,
);
