//! Staff accounts and what each role may do. Pure rules, checked on every request by
//! the staff area; the store and web layers only ask these questions.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Everything, including accounts and the audit log.
    Admin,
    /// All surveys: monitor, manage responses, export identified data.
    Researcher,
    /// Granted surveys only: dashboards and anonymized exports, never identifiers.
    Evaluator,
    /// Only the interviews assigned to them.
    Interviewer,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::Researcher,
        Role::Evaluator,
        Role::Interviewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Researcher => "researcher",
            Role::Evaluator => "evaluator",
            Role::Interviewer => "interviewer",
        }
    }

    /// Whether the role sees only surveys granted to the account.
    pub fn needs_grants(self) -> bool {
        matches!(self, Role::Evaluator | Role::Interviewer)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                format!("unknown role \"{s}\": use admin, researcher, evaluator or interviewer")
            })
    }
}

/// Who must sign in with a second factor (TOTP) as well as a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum TwoFactorPolicy {
    /// The roles that see identified data (admin, researcher); others may turn it on.
    #[default]
    Identified,
    /// Every account.
    All,
    /// Nobody is made to; anybody may turn it on.
    Optional,
}

impl TwoFactorPolicy {
    /// Must an account of `role` have two-factor sign-in before it may use the staff area?
    pub fn required_for(self, role: Role) -> bool {
        match self {
            TwoFactorPolicy::Identified => matches!(role, Role::Admin | Role::Researcher),
            TwoFactorPolicy::All => true,
            TwoFactorPolicy::Optional => false,
        }
    }
}

/// A signed-in staff member, as every staff request sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    pub id: String,
    pub email: String,
    pub role: Role,
    /// Surveys granted to an evaluator or interviewer.
    pub grants: Vec<String>,
}

impl StaffUser {
    /// May this user know the survey exists in the staff area at all?
    pub fn sees_survey(&self, survey_id: &str) -> bool {
        !self.role.needs_grants() || self.grants.iter().any(|g| g == survey_id)
    }

    /// Dashboards: counts, charts, breakdowns (no individual answers).
    pub fn can_view_dashboard(&self, survey_id: &str) -> bool {
        self.role != Role::Interviewer && self.sees_survey(survey_id)
    }

    /// Individual responses with identifiers: browse, view, flag, delete.
    pub fn can_manage_responses(&self, survey_id: &str) -> bool {
        matches!(self.role, Role::Admin | Role::Researcher) && self.sees_survey(survey_id)
    }

    /// Exports that keep identifiers and free text.
    pub fn can_export_identified(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Researcher)
    }

    /// Run interviews with this guide: interviewers it is assigned to, admins, researchers.
    pub fn can_run_interviews(&self, survey_id: &str) -> bool {
        matches!(self.role, Role::Admin | Role::Researcher)
            || (self.role == Role::Interviewer && self.sees_survey(survey_id))
    }

    /// Open an interview recorded by `interviewer_id`: one's own, or any for admins and
    /// researchers.
    pub fn can_open_interview(&self, interviewer_id: &str) -> bool {
        matches!(self.role, Role::Admin | Role::Researcher)
            || (self.role == Role::Interviewer && self.id == interviewer_id)
    }

    pub fn can_manage_users(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn can_view_audit(&self) -> bool {
        self.role == Role::Admin
    }
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Why a password is not acceptable, if it is not.
pub fn password_problem(password: &str, email: &str) -> Option<String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Some(format!(
            "the password must have at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    if chars > 256 {
        return Some("the password may have at most 256 characters".into());
    }
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    if !local.is_empty() && password.to_lowercase().contains(&local) {
        return Some("the password must not contain the e-mail address".into());
    }
    None
}

/// An address as accounts are stored and looked up (trimmed, lower case), whatever its
/// form: sign-in and account commands find accounts made under an older, looser check.
pub fn lookup_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A normalized e-mail address (accounts are looked up case-insensitively), or why not:
/// the same form as an e-mail question accepts ([`crate::survey::form::parse_email`]).
pub fn normalize_email(email: &str) -> Result<String, String> {
    crate::survey::form::parse_email(email)
        .map(|e| e.to_lowercase())
        .ok_or_else(|| format!("\"{}\" is not an e-mail address", email.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, grants: &[&str]) -> StaffUser {
        StaffUser {
            id: "u".into(),
            email: "a@b.cz".into(),
            role,
            grants: grants.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn each_role_sees_what_it_may() {
        let admin = user(Role::Admin, &[]);
        let researcher = user(Role::Researcher, &[]);
        let evaluator = user(Role::Evaluator, &["obce"]);
        let interviewer = user(Role::Interviewer, &["rozhovor"]);
        assert!(
            admin.can_manage_users() && admin.can_view_audit() && admin.can_manage_responses("x")
        );
        assert!(
            researcher.can_manage_responses("any")
                && researcher.can_export_identified()
                && !researcher.can_manage_users()
                && !researcher.can_view_audit()
        );
        assert!(evaluator.can_view_dashboard("obce") && !evaluator.can_view_dashboard("other"));
        assert!(!evaluator.can_manage_responses("obce") && !evaluator.can_export_identified());
        assert!(
            interviewer.sees_survey("rozhovor")
                && !interviewer.can_view_dashboard("rozhovor")
                && !interviewer.sees_survey("obce")
        );
    }

    #[test]
    fn roles_parse_and_print() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
        }
        assert!(
            "root"
                .parse::<Role>()
                .unwrap_err()
                .contains("admin, researcher")
        );
    }

    #[test]
    fn passwords_and_emails_are_checked() {
        assert!(
            password_problem("short", "a@b.cz")
                .unwrap()
                .contains("at least 12")
        );
        assert!(
            password_problem("jana.novakova-2024!", "jana.novakova@mpsv.cz")
                .unwrap()
                .contains("e-mail")
        );
        assert_eq!(
            password_problem("correct horse battery staple", "jana@mpsv.cz"),
            None
        );
        assert_eq!(
            normalize_email("  Jana@MPSV.cz "),
            Ok("jana@mpsv.cz".into())
        );
        assert!(
            normalize_email("jana").is_err()
                && normalize_email("jana@cz").is_err()
                && normalize_email("j a@x.cz").is_err()
        );
    }
}
