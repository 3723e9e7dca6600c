//! The download list of a survey: every format of the export registry that applies to
//! the survey and to the user's role, one link each with what it is and whether the data
//! comes identified or anonymized. The dashboard and the anonymization refusal page both
//! use it, so a format added to the registry is offered without touching a page.

use maud::{Markup, html};

use crate::export::{Format, Job};
use crate::staff::StaffUser;
use crate::survey::Survey;

/// The formats `user` may download for `survey`, in the registry's order.
pub fn offered(survey: &Survey, user: &StaffUser) -> Vec<Format> {
    Format::ALL
        .into_iter()
        .filter(|f| f.applies_to(survey.is_interview()) && f.spec().roles.contains(&user.role))
        .collect()
}

/// What the data of `format` is for this user, in a few words.
fn privacy_note(format: Format, survey: &Survey, user: &StaffUser) -> Option<&'static str> {
    let identified = user.can_export_identified();
    match format.spec().job {
        Job::Codebook(_) => None,
        Job::Responses(_) | Job::Interviews(_) if identified => Some("identified"),
        Job::Responses(_) | Job::Interviews(_) if survey.is_interview() => {
            Some("interviewers as pseudonyms")
        }
        Job::Interviews(_) => Some("interviewers as pseudonyms"),
        Job::Responses(_) => Some("anonymized"),
    }
}

/// Whether this user's response data can be made at all: anonymized data of a survey
/// whose pseudonyms link people needs the server's pseudonym key.
pub fn data_available(survey: &Survey, user: &StaffUser, has_key: bool) -> bool {
    has_key
        || user.can_export_identified()
        || survey.is_interview()
        || !survey.privacy.pseudonym.links_people()
}

/// The list of download links; `query` is added to data links (e.g. accepting the
/// suppression an anonymized export needs). Without `data` (see [`data_available`]) the
/// response data is not offered, with what to do instead: no link leads to a refusal.
pub fn list(survey: &Survey, user: &StaffUser, data_query: &str, data: bool) -> Markup {
    html! {
        @if !data {
            p.notice role="status" {
                "This survey links the same people across surveys by keyed pseudonyms, and this "
                "server has no pseudonym key yet, so its anonymized data cannot be made. "
                "Ask an administrator to set one up (“Pseudonyms” in docs/anonymization.md); "
                "the codebook is available now."
            }
        }
        ul.downloads {
            @for f in offered(survey, user).into_iter().filter(|f| data || !matches!(f.spec().job, Job::Responses(_))) {
                @let spec = f.spec();
                @let query = if matches!(spec.job, Job::Responses(_)) { data_query } else { "" };
                li {
                    a href={ "/admin/surveys/" (survey.id) "/export/" (spec.name) (query) } download {
                        code { (spec.name) }
                    }
                    " – " (spec.description.0)
                    @if let Some(note) = privacy_note(f, survey, user) { " (" (note) ")" }
                }
            }
        }
    }
}
