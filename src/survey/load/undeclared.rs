//! Warnings about likely quasi-identifiers that are not declared: exact numbers, dates and
//! choices whose options carry attributes, in a questionnaire question without `privacy`.
//! Writing any `privacy` value, `"none"` included, acknowledges the choice and silences it.

use super::logic::PageDraft;
use crate::survey::privacy::{Likely, PrivacyRules};
use crate::survey::reader::{Ctx, Sp};

/// The questions of a questionnaire that are likely quasi-identifiers and have no
/// `privacy` (taken before the drafts become pages).
pub fn candidates(pages: &[PageDraft]) -> Vec<(Sp<String>, Likely)> {
    pages
        .iter()
        .flat_map(|p| &p.questions)
        .filter(|q| !q.privacy_declared)
        .filter_map(|q| {
            Some((
                q.id.clone(),
                q.kind.as_ref()?.rules().likely_quasi_identifier()?,
            ))
        })
        .collect()
}

/// One warning per candidate. A question a `[privacy.coarsen]` rule names already has
/// its warning there ("coarsened but not a quasi-identifier").
pub fn warn(ctx: &mut Ctx<'_>, candidates: Vec<(Sp<String>, Likely)>, rules: &PrivacyRules) {
    for (id, likely) in candidates {
        if rules.coarsening(&id.value).is_some() {
            continue;
        }
        ctx.warning(
            id.span,
            format!(
                "\"{}\" has no privacy class, but {} is likely a quasi-identifier: anonymized exports publish it unchanged and do not check it for k-anonymity",
                id.value,
                likely.what()
            ),
            Some(format!(
                "if someone could know it about a respondent, add privacy = \"quasi_identifier\", usually with a [privacy.coarsen] rule ({}); if it cannot single anyone out, write privacy = \"none\" to say so",
                likely.rule(&id.value)
            )),
        );
    }
}
