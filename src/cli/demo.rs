//! `anketa demo interviews`: the project's 39 interviews (15 mayors, 6 ORP, 18 social
//! workers) as realistic demo data, recorded by a demo interviewer account, so the staff
//! area and the interview exports can be tried without anyone's real answers.

use std::process::ExitCode;

use anyhow::bail;

use super::{DemoArgs, DemoResponsesArgs, DemoTrainingArgs};
use crate::accounts::{self, AccountError, Actor};
use crate::demo;
use crate::staff::Role;
use crate::store::WriteOutcome;
use crate::survey;

/// The account demo interviews are recorded by (it has no password: nobody signs in as it).
pub const DEMO_INTERVIEWER: &str = "demo.tazatel@example.invalid";

pub(super) async fn interviews(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let catalog = survey::load_paths(std::slice::from_ref(&args.surveys));
    let mut guides = Vec::new();
    for (id, count) in demo::PROJECT_INTERVIEWS {
        match catalog
            .surveys
            .iter()
            .find(|s| s.id == id)
            .and_then(|s| s.as_interview())
        {
            Some(guide) => guides.push((guide, count)),
            None => bail!(
                "the guide \"{id}\" is not in {} (the demo needs the example guides)",
                args.surveys.display()
            ),
        }
    }
    let store = super::open_store(&args.database).await?;
    let actor = Actor::command_line();
    let ids: Vec<String> = guides.iter().map(|(g, _)| g.survey.id.clone()).collect();
    let interviewer = match accounts::find(&store, DEMO_INTERVIEWER).await {
        Ok(user) => user,
        Err(AccountError::NotFound(_)) => {
            accounts::create(&store, &actor, DEMO_INTERVIEWER, Role::Interviewer, &ids).await?
        }
        Err(e) => return Err(e.into()),
    };
    let mut rng = demo::rng(args.seed);
    let mut total = 0;
    for (guide, count) in guides {
        let survey = guide.survey;
        let now = time::OffsetDateTime::now_utc();
        store
            .record_survey_version(&survey.id, &survey.version, &survey.source, now)
            .await?;
        for n in 0..count {
            let data = demo::interview(guide, n, &interviewer.id, &mut rng);
            let finished = demo::finished_at(&data);
            let id = uuid::Uuid::new_v4().to_string();
            store
                .create_interview(
                    &id,
                    &survey.id,
                    &survey.version,
                    &interviewer.id,
                    finished - time::Duration::hours(1),
                    None,
                )
                .await?;
            let outcome = store
                .save_interview(&id, 1, &survey.version, &data, true, finished, None)
                .await?;
            if outcome != WriteOutcome::Written {
                bail!("could not store demo interview {id}: {outcome:?}");
            }
            total += 1;
        }
        println!("{count} demo interviews for {}", survey.id);
    }
    println!("{total} finished demo interviews, recorded by {DEMO_INTERVIEWER}");
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// `anketa demo responses`: complete demo responses to a questionnaire.
pub(super) async fn responses(args: DemoResponsesArgs) -> anyhow::Result<ExitCode> {
    let catalog = survey::load_paths(std::slice::from_ref(&args.demo.surveys));
    let Some(survey) = catalog
        .surveys
        .iter()
        .find(|s| s.id == args.survey_id && !s.is_interview())
    else {
        bail!(
            "there is no questionnaire \"{}\" in {}",
            args.survey_id,
            args.demo.surveys.display()
        );
    };
    let mut rng = demo::rng(args.demo.seed);
    let generated =
        demo::responses::responses(survey, args.count, args.one_per.as_deref(), &mut rng)
            .map_err(anyhow::Error::msg)?;
    let store = super::open_store(&args.demo.database).await?;
    store
        .record_survey_version(
            &survey.id,
            &survey.version,
            &survey.source,
            time::OffsetDateTime::now_utc(),
        )
        .await?;
    for r in &generated {
        store_response(&store, survey, &uuid::Uuid::now_v7().to_string(), r).await?;
    }
    println!(
        "{} complete demo responses for {}",
        generated.len(),
        survey.id
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Store one demo response as submitted (created 20 minutes before it was submitted).
async fn store_response(
    store: &crate::store::Store,
    survey: &survey::Survey,
    id: &str,
    r: &demo::responses::DemoResponse,
) -> anyhow::Result<()> {
    let started = r.submitted_at - time::Duration::minutes(20);
    store
        .create_response(
            &crate::store::NewResponse {
                id,
                survey_id: &survey.id,
                survey_version: &survey.version,
                language: r.language,
                current_page: &survey.pages[0].id,
                answers: &crate::survey::Answers::new(),
            },
            started,
        )
        .await?;
    let outcome = store
        .submit(
            id,
            1,
            &crate::store::Progress {
                survey_version: &survey.version,
                language: r.language,
                current_page: &r.last_page,
                answers: &r.answers,
            },
            r.submitted_at,
        )
        .await?;
    if outcome != WriteOutcome::Written {
        bail!("could not store demo response {id}: {outcome:?}");
    }
    Ok(())
}

/// `anketa demo training`: invitations to both training questionnaires for every
/// participant of the programme, and their answers (with the built-in effect).
pub(super) async fn training(args: DemoTrainingArgs) -> anyhow::Result<ExitCode> {
    use demo::training::{AFTER, BEFORE};
    let catalog = survey::load_paths(std::slice::from_ref(&args.demo.surveys));
    let find = |id: &str| {
        catalog
            .surveys
            .iter()
            .find(|s| s.id == id && !s.is_interview())
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "there is no questionnaire \"{id}\" in {} (the demo needs the example surveys)",
                    args.demo.surveys.display()
                )
            })
    };
    let (before, after) = (find(BEFORE)?, find(AFTER)?);
    let mut rng = demo::rng(args.demo.seed);
    let people = demo::training::participants(before, after, args.runs, args.per_run, &mut rng)
        .map_err(anyhow::Error::msg)?;
    let store = super::open_store(&args.demo.database).await?;
    let now = time::OffsetDateTime::now_utc();
    let mut answered = [0usize; 2];
    for (i, s) in [before, after].into_iter().enumerate() {
        store
            .record_survey_version(&s.id, &s.version, &s.source, now)
            .await?;
        let invitations: Vec<crate::store::NewInvitation> = people
            .iter()
            .map(|p| crate::store::NewInvitation {
                id: uuid::Uuid::new_v4().to_string(),
                token_hash: crate::tokens::hash(&crate::tokens::new_token()),
                response_id: uuid::Uuid::now_v7().to_string(),
                attributes: p.attributes.clone(),
            })
            .collect();
        store.create_invitations(&s.id, &invitations, now).await?;
        for (p, inv) in people.iter().zip(&invitations) {
            let response = if i == 0 { &p.before } else { &p.after };
            if let Some(r) = response {
                store_response(&store, s, &inv.response_id, r).await?;
                answered[i] += 1;
            }
        }
    }
    println!(
        "{} participants invited to {BEFORE} and {AFTER}; {} answered before, {} after",
        people.len(),
        answered[0],
        answered[1]
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// `anketa demo all`: every example survey filled with demo data.
pub(super) async fn all(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let make = |survey_id: &str, count: usize, one_per: Option<&str>| DemoResponsesArgs {
        survey_id: survey_id.into(),
        count,
        one_per: one_per.map(String::from),
        demo: args.clone(),
    };
    responses(make("obce-socialni-prace", 0, Some("municipality"))).await?;
    responses(make("seminar-mas-2024", 60, None)).await?;
    responses(make("cinnosti-socialni-prace", 80, None)).await?;
    training(DemoTrainingArgs {
        runs: 15,
        per_run: 15,
        demo: args.clone(),
    })
    .await?;
    interviews(args).await
}
