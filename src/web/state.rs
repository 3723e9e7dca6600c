//! What every request shares ([`AppState`]: the store, the loaded surveys and plans,
//! the limiter of guessed links) and the settings `serve` runs with.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::AttemptLimiter;
use crate::store::Store;
use crate::survey::Survey;

/// Invitation links and resume codes one IP address may try per minute.
const ATTEMPTS_PER_MINUTE: u32 = 30;

/// Everything `serve` needs, usually from the command line.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub surveys_dir: PathBuf,
    /// Analysis plans for the report pages (`analysis/plans`); a missing directory means
    /// every survey gets the default plan.
    pub plans_dir: PathBuf,
    /// Mark cookies `Secure` (on unless explicitly serving plain HTTP).
    pub secure_cookies: bool,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// The address people reach anketa at, for the links it makes (resume links,
    /// set-password links). Never taken from a request: its Host header is the sender's.
    pub base_url: String,
    /// How long a connection may take to send a request's headers (also the time an
    /// idle connection is kept): slow or half-sent requests cannot hold sockets.
    pub header_timeout: std::time::Duration,
    /// Who must sign in with a second factor.
    pub two_factor: crate::staff::TwoFactorPolicy,
    /// Behind a reverse proxy: take the client's address from the last entry of
    /// `X-Forwarded-For` (for rate limits and the audit log).
    pub behind_proxy: bool,
    /// The secret for keyed pseudonyms in anonymized exports (without it, pseudonyms
    /// are row numbers and surveys whose pseudonyms link people cannot be exported).
    pub pseudonym_key: Option<crate::anonymize::PseudonymKey>,
}

impl Settings {
    pub const DEFAULT_BODY_LIMIT: usize = 256 * 1024;
    pub const DEFAULT_HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
    /// Connections served at once; more wait in the listen backlog (file descriptors
    /// stay below the usual limit of 65,536 with room for the database's).
    pub const MAX_CONNECTIONS: usize = 8192;
}

/// Shared by every request; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    surveys: Vec<Arc<Survey>>,
    by_id: HashMap<String, Arc<Survey>>,
    plans: Vec<crate::report::plan::Plan>,
    settings: Settings,
    attempts: AttemptLimiter,
}

impl AppState {
    pub fn new(
        store: Store,
        surveys: Vec<Arc<Survey>>,
        plans: Vec<crate::report::plan::Plan>,
        settings: Settings,
    ) -> AppState {
        let by_id = surveys.iter().map(|s| (s.id.clone(), s.clone())).collect();
        AppState {
            inner: Arc::new(Inner {
                store,
                surveys,
                by_id,
                plans,
                settings,
                attempts: AttemptLimiter::new(ATTEMPTS_PER_MINUTE),
            }),
        }
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn survey(&self, id: &str) -> Option<&Arc<Survey>> {
        self.inner.by_id.get(id)
    }

    /// A questionnaire respondents may open (interview guides are only for staff).
    pub fn questionnaire(&self, id: &str) -> Option<&Arc<Survey>> {
        self.survey(id).filter(|s| !s.is_interview())
    }

    /// The surveys in file-name order.
    pub fn surveys(&self) -> &[Arc<Survey>] {
        &self.inner.surveys
    }

    /// The analysis plan of a survey (its file, or the default).
    pub fn plan_for(&self, survey: &Survey) -> crate::report::plan::Plan {
        crate::report::plan_load::plan_for(&self.inner.plans, survey)
    }

    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// Limits guessing of invitation links and resume codes, per IP address.
    pub fn attempts(&self) -> &AttemptLimiter {
        &self.inner.attempts
    }
}
