//! `anketa demo interviews`: the project's 39 interviews (15 mayors, 6 ORP, 18 social
//! workers) as realistic demo data, recorded by a demo interviewer account, so the staff
//! area and the interview exports can be tried without anyone's real answers.

use std::process::ExitCode;

use anyhow::bail;

use super::DemoArgs;
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
        match catalog.surveys.iter().find(|s| s.id == id) {
            Some(s) if s.is_interview() => guides.push((s, count)),
            _ => bail!(
                "the guide \"{id}\" is not in {} (the demo needs the example guides)",
                args.surveys.display()
            ),
        }
    }
    let store = super::open_store(&args.database).await?;
    let actor = Actor::command_line();
    let ids: Vec<String> = guides.iter().map(|(s, _)| s.id.clone()).collect();
    let interviewer = match accounts::find(&store, DEMO_INTERVIEWER).await {
        Ok(user) => user,
        Err(AccountError::NotFound(_)) => {
            accounts::create(&store, &actor, DEMO_INTERVIEWER, Role::Interviewer, &ids).await?
        }
        Err(e) => return Err(e.into()),
    };
    let mut rng = demo::rng(args.seed);
    let mut total = 0;
    for (survey, count) in guides {
        let now = time::OffsetDateTime::now_utc();
        store
            .record_survey_version(&survey.id, &survey.version, &survey.source, now)
            .await?;
        for n in 0..count {
            let data = demo::interview(survey, n, &interviewer.id, &mut rng);
            let finished = demo::finished_at(&data);
            let id = uuid::Uuid::new_v4().to_string();
            store
                .create_interview(
                    &id,
                    &survey.id,
                    &survey.version,
                    &interviewer.id,
                    finished - time::Duration::hours(1),
                )
                .await?;
            let outcome = store
                .save_interview(&id, 1, &survey.version, &data, true, finished)
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
