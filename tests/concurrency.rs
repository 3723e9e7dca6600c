//! Concurrency: duplicate submits of one invitation from two devices at once, and two
//! `anketa serve` processes on one PostgreSQL database behind a round-robin balancer
//! (sessions, CSRF tokens and responses work across both; nothing lost or doubled).

mod common;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use anketa::store::{Status, Store};
use common::app::{Browser, TOKEN_SURVEY, TestApp, form_fields, path_of, survey_dir};
use common::db::{Backend, TestDb};
use common::load::{Load, OnError, SURVEY, SURVEY_ID, verify};
use common::server::Server;
use reqwest::StatusCode;

async fn one_invitation_answered_on_two_devices_at_once_makes_one_response(db: TestDb) {
    let surveys = survey_dir(&[("pozvanky", TOKEN_SURVEY)]);
    let app = TestApp::spawn_with(
        db,
        surveys.path(),
        anketa::app::Settings::DEFAULT_BODY_LIMIT,
    )
    .await;
    let (links, _) = common::app::invite(
        &app.db.url,
        surveys.path(),
        "obce-pozvanky",
        "name,email,municipality\nJana Nováková,jana@example.cz,kolin\n",
    );
    let link = path_of(&links[0]);
    // The same link open on a phone and a desktop: two sessions.
    let mut phone = app.browser();
    let mut desktop = app.browser();
    let on_phone = phone.open(&link).await.clone();
    let on_desktop = desktop.open(&link).await.clone();
    assert!(on_phone.url.ends_with("/p/one") && on_desktop.url.ends_with("/p/one"));

    // Both press Continue at the same moment: one response is created, and the slower
    // save is told that someone else wrote first (it reloads) or saves on top.
    let (phone_csrf, desktop_csrf) = (on_phone.csrf(), on_desktop.csrf());
    let action = on_phone.form_action().unwrap();
    let phone_fields = form_fields(&phone_csrf, "next", &[("staff", "4")]);
    let desktop_fields = form_fields(&desktop_csrf, "next", &[("staff", "4")]);
    let (a, b) = tokio::join!(
        phone.post_raw(&action, &phone_fields),
        desktop.post_raw(&action, &desktop_fields)
    );
    for r in [&a, &b] {
        assert!(
            r.status == StatusCode::SEE_OTHER || r.status == StatusCode::OK,
            "{} {}",
            r.status,
            r.body
        );
    }
    assert_eq!(
        app.store
            .count_responses("obce-pozvanky", Status::InProgress)
            .await
            .unwrap(),
        1
    );

    // Both reach the last page and submit at the same moment, then the phone replays
    // its submit (a reload of the POST).
    let last_phone = phone.open(&link).await.clone();
    let last_desktop = desktop.open(&link).await.clone();
    assert!(last_phone.url.ends_with("/p/two"), "{}", last_phone.url);
    assert!(last_desktop.url.ends_with("/p/two"), "{}", last_desktop.url);
    let (phone_csrf, desktop_csrf) = (last_phone.csrf(), last_desktop.csrf());
    let action = last_phone.form_action().unwrap();
    let phone_fields = form_fields(&phone_csrf, "next", &[("comment", "z telefonu")]);
    let desktop_fields = form_fields(&desktop_csrf, "next", &[("comment", "z počítače")]);
    let (a, b) = tokio::join!(
        phone.post_raw(&action, &phone_fields),
        desktop.post_raw(&action, &desktop_fields)
    );
    for r in [&a, &b] {
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(r.header("location").unwrap().ends_with("/done"));
    }
    let replay = phone.post_raw(&action, &phone_fields).await;
    assert!(replay.header("location").unwrap().ends_with("/done"));

    assert_eq!(
        app.store
            .count_responses("obce-pozvanky", Status::Complete)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        app.store
            .count_responses("obce-pozvanky", Status::InProgress)
            .await
            .unwrap(),
        0
    );
    // Exactly one of the two comments was stored, whole.
    let stored = app
        .store
        .export_responses("obce-pozvanky", &Default::default());
    let stored: Vec<_> = futures_util::TryStreamExt::try_collect(stored)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    let comment = stored[0].answers.get("comment").cloned();
    assert!(
        [
            Some(anketa::survey::Answer::Text("z telefonu".into())),
            Some(anketa::survey::Answer::Text("z počítače".into()))
        ]
        .contains(&comment),
        "{comment:?}"
    );
    app.stop().await;
}

on_both_databases!(one_invitation_answered_on_two_devices_at_once_makes_one_response);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgresql_share_sessions_and_lose_nothing() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let surveys = survey_dir(&[(SURVEY_ID, SURVEY)]);
    // Both start at once, as after a deployment: migrations must not trip over each other.
    let (a, b) = tokio::join!(
        Server::start(&db.url, surveys.path()),
        Server::start(&db.url, surveys.path())
    );

    // Every request goes to the other instance than the one before, so each session
    // and CSRF token created by one is read by the other.
    let load = Load {
        clients: 12,
        servers: vec![a.base.clone(), b.base.clone()],
        on_error: OnError::Stop,
        stop: Arc::new(AtomicBool::new(false)),
        rounds: 8,
    };
    let outcome = load.run().await;
    assert_eq!(outcome.flows.len(), 12 * 8);
    assert!(
        outcome.flows.iter().all(|f| f.acknowledged),
        "{:?} {:?}",
        outcome.statuses,
        outcome.error_pages
    );
    let store = Store::connect(&db.url).await.unwrap();
    let verified = verify(&store, &outcome).await;
    assert_eq!(verified.complete, 12 * 8);
    assert_eq!(verified.in_progress, 0);

    // One respondent's last page submitted to both instances at the same moment.
    let mut browser = Browser::at(&a.base, Default::default());
    let page = browser.open(&format!("/s/{SURVEY_ID}")).await.clone();
    let page = browser
        .post_form(
            &page,
            &[("_action", "next"), ("code", "oba"), ("role", "mayor")],
        )
        .await
        .clone();
    let last = browser
        .post_form(&page, &[("_action", "next"), ("staff", "3")])
        .await
        .clone();
    assert!(last.url.ends_with("/p/three"), "{}", last.url);
    let csrf = last.csrf();
    let action = last.form_action().unwrap();
    let fields = form_fields(&csrf, "next", &[("comment", "")]);
    let other = Browser::at(&b.base, browser.jar.clone());
    let (r1, r2) = tokio::join!(
        browser.post_raw(&action, &fields),
        other.post_raw(&action, &fields)
    );
    for r in [&r1, &r2] {
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(r.header("location").unwrap().ends_with("/done"));
    }
    assert_eq!(
        store
            .count_responses(SURVEY_ID, Status::Complete)
            .await
            .unwrap(),
        12 * 8 + 1
    );
    store.close().await;
    assert!(a.stop().await && b.stop().await);
}
