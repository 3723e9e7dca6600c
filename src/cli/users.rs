//! `anketa user ...`: staff accounts from the server's command line. Every change is
//! written to the audit log as done by "command line".

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::bail;

use super::{PasswordArgs, UserCommand};
use crate::accounts::{self, Actor};
use crate::staff::Role;
use crate::store::{Store, User};
use crate::survey;

pub(super) async fn run(command: UserCommand) -> anyhow::Result<ExitCode> {
    let actor = Actor::command_line();
    match command {
        UserCommand::Add(args) => {
            let role: Role = args.role.parse().map_err(anyhow::Error::msg)?;
            for survey in &args.grants {
                check_survey(&args.surveys, survey)?;
            }
            let store = super::open_store(&args.database).await?;
            let user = accounts::create(&store, &actor, &args.email, role, &args.grants).await?;
            println!("created {} ({})", user.email, user.role);
            set_password(&store, &actor, &user, &args.password).await?;
        }
        UserCommand::List(args) => {
            let store = super::open_store(&args.database).await?;
            for user in store.list_users().await? {
                let state = match (user.disabled, &user.password_hash, &user.totp_secret) {
                    (true, _, _) => "disabled",
                    (false, None, _) => "no password yet",
                    (false, Some(_), Some(_)) => "active, two-factor",
                    (false, Some(_), None) => "active",
                };
                let grants = store.grants_of(&user.id).await?;
                let grants = if user.role.needs_grants() {
                    format!(
                        "  surveys: {}",
                        if grants.is_empty() {
                            "none".into()
                        } else {
                            grants.join(", ")
                        }
                    )
                } else {
                    String::new()
                };
                println!(
                    "{:<40} {:<12} {state}{grants}",
                    user.email,
                    user.role.as_str()
                );
            }
        }
        UserCommand::Disable(args) => {
            let store = super::open_store(&args.database).await?;
            let user = accounts::find(&store, &args.email).await?;
            accounts::set_disabled(&store, &actor, &user, true).await?;
            println!("disabled {} (its sessions have ended)", user.email);
        }
        UserCommand::Enable(args) => {
            let store = super::open_store(&args.database).await?;
            let user = accounts::find(&store, &args.email).await?;
            accounts::set_disabled(&store, &actor, &user, false).await?;
            println!("enabled {}", user.email);
        }
        UserCommand::ResetTwoFactor(args) => {
            let store = super::open_store(&args.database).await?;
            let user = accounts::find(&store, &args.email).await?;
            if accounts::reset_two_factor(&store, &actor, &user).await? {
                println!(
                    "two-factor sign-in is off for {} (its sessions have ended)",
                    user.email
                );
            } else {
                println!("{} had no two-factor sign-in: nothing changed", user.email);
            }
        }
        UserCommand::Passwd(args) => {
            let store = super::open_store(&args.database).await?;
            let user = accounts::find(&store, &args.email).await?;
            set_password(&store, &actor, &user, &args.password).await?;
        }
        UserCommand::Grant(args) => {
            check_survey(&args.surveys, &args.survey_id)?;
            let store = super::open_store(&args.database).await?;
            let user = accounts::find(&store, &args.email).await?;
            if !user.role.needs_grants() {
                bail!(
                    "{} is a {} and sees every survey already",
                    user.email,
                    user.role
                );
            }
            accounts::grant(&store, &actor, &user.id, &user.email, &args.survey_id).await?;
            println!("{} may now see {}", user.email, args.survey_id);
        }
        UserCommand::Revoke(args) => {
            let store = super::open_store(&args.database).await?;
            let user = accounts::find(&store, &args.email).await?;
            accounts::revoke(&store, &actor, &user, &args.survey_id).await?;
            println!("{} may no longer see {}", user.email, args.survey_id);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn check_survey(dir: &Path, survey_id: &str) -> anyhow::Result<()> {
    let catalog = survey::load_paths(&[dir.to_path_buf()]);
    if catalog.surveys.iter().any(|s| s.id == survey_id) {
        return Ok(());
    }
    let known: Vec<&str> = catalog.surveys.iter().map(|s| s.id.as_str()).collect();
    bail!(
        "there is no survey \"{survey_id}\" in {} (there are: {})",
        dir.display(),
        known.join(", ")
    )
}

/// Prompt for the password at a terminal, or print a one-time link.
async fn set_password(
    store: &Store,
    actor: &Actor,
    user: &User,
    args: &PasswordArgs,
) -> anyhow::Result<()> {
    if args.link || !std::io::stdin().is_terminal() {
        let link = accounts::password_link(store, actor, user, &args.base_url).await?;
        println!(
            "{} can set a password within {} days at:\n{link}",
            user.email,
            accounts::PASSWORD_LINK_VALID.whole_days()
        );
        return Ok(());
    }
    loop {
        let first = rpassword::prompt_password(format!("new password for {}: ", user.email))?;
        let again = rpassword::prompt_password("the same again: ")?;
        if first != again {
            eprintln!("the two differ; try again");
            continue;
        }
        match accounts::set_password(store, actor, user, &first).await {
            Ok(()) => {
                println!("password set");
                return Ok(());
            }
            Err(accounts::AccountError::WeakPassword(why)) => eprintln!("{why}; try again"),
            Err(e) => return Err(e.into()),
        }
    }
}
