//! Staff account operations shared by the command line (`anketa user ...`) and the
//! staff area: each checks its input and changes the store together with its audit
//! entry (one transaction: no change without its entry, no entry without its change).

use serde_json::json;
use time::OffsetDateTime;

use crate::passwords;
use crate::staff::{self, Role};
use crate::store::{AuditEntry, Store, StoreError, User};
use crate::tokens;

/// How long a set-password link works.
pub const PASSWORD_LINK_VALID: time::Duration = time::Duration::days(7);

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    InvalidEmail(String),
    #[error("{0}")]
    WeakPassword(String),
    #[error("an account for {0} exists already")]
    Exists(String),
    #[error("there is no account for {0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Who does something, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub id: Option<String>,
    pub email: Option<String>,
    pub ip: Option<String>,
}

impl Actor {
    /// Someone at the server's command line.
    pub fn command_line() -> Actor {
        Actor {
            id: None,
            email: Some("command line".into()),
            ip: None,
        }
    }

    /// A signed-in staff member.
    pub fn staff(user: &staff::StaffUser, ip: Option<String>) -> Actor {
        Actor::account(&user.id, &user.email, ip)
    }

    /// The account `id` (`email`), at `ip`: signing in, or using a link of theirs.
    pub fn account(id: &str, email: &str, ip: Option<String>) -> Actor {
        Actor {
            id: Some(id.to_string()),
            email: Some(email.to_string()),
            ip,
        }
    }

    /// Someone who typed `email` at `ip`, not (yet) known to be its account's holder.
    pub fn claiming(email: &str, ip: &str) -> Actor {
        Actor {
            id: None,
            email: Some(email.to_string()),
            ip: Some(ip.to_string()),
        }
    }

    /// The audit entry of `action` done now, for a store method that writes it in the
    /// same transaction as the change.
    pub fn entry(
        &self,
        action: &str,
        survey_id: Option<&str>,
        target: Option<&str>,
        details: serde_json::Value,
    ) -> AuditEntry {
        AuditEntry {
            at: OffsetDateTime::now_utc(),
            actor_id: self.id.clone(),
            actor_email: self.email.clone(),
            action: action.into(),
            survey_id: survey_id.map(str::to_string),
            target: target.map(str::to_string),
            details,
            ip: self.ip.clone(),
        }
    }

    /// Record `action` in the audit log.
    pub async fn audit(
        &self,
        store: &Store,
        action: &str,
        survey_id: Option<&str>,
        target: Option<&str>,
        details: serde_json::Value,
    ) -> Result<(), StoreError> {
        store
            .audit(&self.entry(action, survey_id, target, details))
            .await
    }
}

/// The account with this address. Looked up as stored (trimmed, lower case), without
/// checking its form: accounts made when the check was looser stay manageable.
pub async fn find(store: &Store, email: &str) -> Result<User, AccountError> {
    let email = staff::lookup_email(email);
    store
        .user_by_email(&email)
        .await?
        .ok_or(AccountError::NotFound(email))
}

/// Create an account; evaluators and interviewers get `grants`.
pub async fn create(
    store: &Store,
    actor: &Actor,
    email: &str,
    role: Role,
    grants: &[String],
) -> Result<User, AccountError> {
    let email = staff::normalize_email(email).map_err(AccountError::InvalidEmail)?;
    if !grants.is_empty() && !role.needs_grants() {
        return Err(AccountError::Invalid(format!(
            "a {role} sees every survey: grants are for evaluators and interviewers"
        )));
    }
    let id = uuid::Uuid::new_v4().to_string();
    let now = OffsetDateTime::now_utc();
    let entry = actor.entry(
        "user_created",
        None,
        Some(&email),
        json!({"role": role.as_str()}),
    );
    match store.create_user(&id, &email, role, now, &entry).await {
        Err(StoreError::Duplicate) => return Err(AccountError::Exists(email)),
        other => other?,
    }
    for survey in grants {
        grant(store, actor, &id, &email, survey).await?;
    }
    store
        .user_by_id(&id)
        .await?
        .ok_or(AccountError::NotFound(email))
}

/// A one-time link at which the user sets a new password.
pub async fn password_link(
    store: &Store,
    actor: &Actor,
    user: &User,
    base_url: &str,
) -> Result<String, AccountError> {
    let token = tokens::new_token();
    let entry = actor.entry("password_link_created", None, Some(&user.email), json!({}));
    store
        .create_password_token(
            &tokens::hash(&token),
            &user.id,
            OffsetDateTime::now_utc() + PASSWORD_LINK_VALID,
            &entry,
        )
        .await?;
    Ok(format!(
        "{}/admin/set-password/{token}",
        base_url.trim_end_matches('/')
    ))
}

/// Set a password after checking it: the user's set-password links stop working and
/// their sessions end (see [`Store::set_password_hash`]).
pub async fn set_password(
    store: &Store,
    actor: &Actor,
    user: &User,
    password: &str,
) -> Result<(), AccountError> {
    if let Some(problem) = staff::password_problem(password, &user.email) {
        return Err(AccountError::WeakPassword(problem));
    }
    let phc = passwords::hash(password.to_string()).await;
    let entry = actor.entry("password_set", None, Some(&user.email), json!({}));
    store.set_password_hash(&user.id, &phc, &entry).await?;
    Ok(())
}

pub async fn set_disabled(
    store: &Store,
    actor: &Actor,
    user: &User,
    disabled: bool,
) -> Result<(), AccountError> {
    let action = if disabled {
        "user_disabled"
    } else {
        "user_enabled"
    };
    let entry = actor.entry(action, None, Some(&user.email), json!({}));
    // Disabling ends the account's sessions too, in the same transaction.
    store.set_disabled(&user.id, disabled, &entry).await?;
    Ok(())
}

pub async fn grant(
    store: &Store,
    actor: &Actor,
    user_id: &str,
    email: &str,
    survey_id: &str,
) -> Result<(), AccountError> {
    let entry = actor.entry("grant_added", Some(survey_id), Some(email), json!({}));
    store.grant(user_id, survey_id, &entry).await?;
    Ok(())
}

pub async fn revoke(
    store: &Store,
    actor: &Actor,
    user: &User,
    survey_id: &str,
) -> Result<(), AccountError> {
    let entry = actor.entry(
        "grant_removed",
        Some(survey_id),
        Some(&user.email),
        json!({}),
    );
    store.revoke(&user.id, survey_id, &entry).await?;
    Ok(())
}

/// Turn two-factor sign-in off (a lost phone): false if it was not on. The secret and
/// recovery codes are deleted and the user's sessions end, audited in one transaction.
pub async fn reset_two_factor(
    store: &Store,
    actor: &Actor,
    user: &User,
) -> Result<bool, AccountError> {
    if user.totp_secret.is_none() {
        return Ok(false);
    }
    let entry = actor.entry("two_factor_reset", None, Some(&user.email), json!({}));
    Ok(store.reset_two_factor(&user.id, &entry).await?)
}

/// End every session of the user ("log out everywhere").
pub async fn end_sessions(store: &Store, actor: &Actor, user: &User) -> Result<(), AccountError> {
    let entry = actor.entry("logout_everywhere", None, Some(&user.email), json!({}));
    store.end_sessions(&user.id, &entry).await?;
    Ok(())
}
