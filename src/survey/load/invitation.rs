//! Reading the `[invitation]` table: what the columns of the invitation list are called
//! in reports and on staff pages (`[invitation.columns]`, one text per column), and the
//! warning for a column that reports would show under its bare name.

use crate::survey::model::Access;
use crate::survey::privacy::{PrivacyClass, PrivacyRules};
use crate::survey::reader::{Ctx, Sp, Table};
use crate::survey::text::Text;

/// The labels of `[invitation.columns]`, with the span of each column's name.
pub fn read_labels(
    ctx: &mut Ctx<'_>,
    root: &mut Table<'_, '_>,
    access: Option<Access>,
) -> Vec<(Sp<String>, Text)> {
    let Some(mut table) = root.subtable(
        ctx,
        "invitation",
        "invitation table",
        "[invitation.columns]",
    ) else {
        return Vec::new();
    };
    if access == Some(Access::Anonymous) {
        ctx.error(
            table.span.clone(),
            "only a survey with access = \"token\" has invitations",
            Some("remove [invitation] or add access = \"token\"".into()),
        );
    }
    let mut labels = Vec::new();
    if let Some(mut columns) = table.subtable(
        ctx,
        "columns",
        "table of invitation columns",
        "[invitation.columns]",
    ) {
        for (key, value) in columns.entries() {
            if let Some(text) = ctx.text(key.value, value) {
                labels.push((
                    Sp {
                        value: key.value.to_string(),
                        span: key.span.clone(),
                    },
                    text,
                ));
            }
        }
    }
    table.finish(ctx, &["columns"], |_| None);
    labels
}

/// Warn about columns that reports publish (declared in `[privacy.invitation]` as
/// anything but an identifier) without a label, and about labels of columns that are
/// not declared at all (identifiers are never published, so the label is never shown).
pub fn check_labels(
    ctx: &mut Ctx<'_>,
    labels: &[(Sp<String>, Text)],
    privacy: &PrivacyRules,
    table_span: Option<std::ops::Range<usize>>,
) {
    for (column, class) in &privacy.invitation {
        if *class != PrivacyClass::Identifier && !labels.iter().any(|(c, _)| &c.value == column) {
            let span = table_span.clone().unwrap_or(0..0);
            ctx.warning(
                span,
                format!("the invitation column `{column}` has no label: reports would show it as \"{column}\""),
                Some(format!(
                    "name it under [invitation.columns], e.g. {column} = {{ cs = \"...\", en = \"...\" }}"
                )),
            );
        }
    }
    for (column, _) in labels {
        if !privacy.invitation.iter().any(|(c, _)| c == &column.value) {
            ctx.warning(
                column.span.clone(),
                format!("`{}` is not declared in [privacy.invitation], so it is an identifier and never published: its label is not used", column.value),
                Some(format!("declare it, e.g. {} = \"quasi_identifier\" under [privacy.invitation], or remove the label", column.value)),
            );
        }
    }
}
