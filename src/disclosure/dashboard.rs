//! What a survey's dashboard shows. For staff who may see identified data (researchers,
//! admins) every figure is shown as counted; for the others (evaluators) the dashboard is
//! a publication like a report: every count is audited with the totals published beside
//! it (no count from 1 to t-1, none recoverable), a breakdown by a quasi-identifier shows
//! only the coarse groups its `[privacy.coarsen]` rule allows (never which municipality
//! has answered), a breakdown by an identifier is not shown, and the responses per day are
//! left to the report's timeline (binned so that no period is small). Invitations and the
//! times of the last activity and of completion are fieldwork monitoring: not shown to
//! them (a refresh would time each new respondent).

use analysis::suppress::Cell;

use super::distribution;
use crate::dashboard::{Breakdown, FunnelStep};
use crate::store::SurveyStats;
use crate::survey::Text;
use crate::survey::model::{Coarsening, PrivacyClass, Survey};

/// The headline figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub started: Cell,
    pub complete: Cell,
    /// Complete out of started, 0..=1; absent when either is withheld.
    pub completion_rate: Option<f64>,
    pub set_aside: Cell,
}

/// Invitations sent and what became of them (token surveys).
#[derive(Debug, Clone, PartialEq)]
pub struct Invitations {
    pub sent: Cell,
    pub started: Cell,
    pub complete: Cell,
    pub not_started: Cell,
}

/// One page of the completion funnel.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub page_id: String,
    /// Responses that got to this page or further; not shown to evaluators (differences
    /// of these would give the per-page counts back).
    pub reached: Option<Cell>,
    /// Responses in progress on this page now.
    pub here: Cell,
}

/// Complete responses by a choice question.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedBreakdown {
    pub question_id: String,
    pub question_text: Text,
    /// The attribute the options are grouped by, if any.
    pub attribute: Option<String>,
    pub groups: Vec<Group>,
    pub unanswered: Cell,
    /// Options nobody has chosen yet (not shown for quasi-identifiers to evaluators).
    pub nobody: Vec<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The attribute value, or `None` when not grouped.
    pub value: Option<String>,
    pub total: Cell,
    /// Per option; empty when only the group's total may be shown.
    pub rows: Vec<(Text, Cell)>,
}

/// Everything a dashboard shows besides the survey's own description.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    pub figures: Figures,
    pub invitations: Option<Invitations>,
    /// Complete responses per day; `None` when withheld (evaluators).
    pub per_day: Option<Vec<(i64, i64)>>,
    pub funnel: Vec<Step>,
    pub breakdowns: Vec<PublishedBreakdown>,
    /// Whether the time of the last activity and the median completion time may be
    /// shown (not to evaluators: refreshing the page would time each new respondent).
    pub timing: bool,
}

/// The dashboard's figures; `protect` is the threshold to protect them with (for those
/// who may not see identified data), `None` to show them as counted.
pub fn publish(
    survey: &Survey,
    stats: &SurveyStats,
    invitations: Option<(i64, i64, i64)>,
    per_day: Vec<(i64, i64)>,
    funnel: &[FunnelStep],
    breakdowns: Vec<Breakdown>,
    protect: Option<u64>,
) -> Published {
    let n = |x: i64| u64::try_from(x).unwrap_or(0);
    let Some(t) = protect else {
        return Published {
            figures: Figures {
                started: Cell::Count(n(stats.started())),
                complete: Cell::Count(n(stats.complete)),
                completion_rate: stats.completion_rate(),
                set_aside: Cell::Count(n(stats.set_aside)),
            },
            invitations: invitations.map(|(sent, started, complete)| Invitations {
                sent: Cell::Count(n(sent)),
                started: Cell::Count(n(started)),
                complete: Cell::Count(n(complete)),
                not_started: Cell::Count(n(sent - started)),
            }),
            per_day: Some(per_day),
            funnel: funnel
                .iter()
                .map(|s| Step {
                    page_id: s.page_id.clone(),
                    reached: Some(Cell::Count(n(s.reached))),
                    here: Cell::Count(n(s.here)),
                })
                .collect(),
            breakdowns: breakdowns.into_iter().map(unprotected).collect(),
            timing: true,
        };
    };
    // Complete, in progress and set aside: three counts of one population.
    let (d, _) = distribution(
        &[n(stats.complete), n(stats.in_progress)],
        n(stats.set_aside),
        t,
        Vec::new(),
    );
    let [complete, in_progress] = [d.cells[0], d.cells[1]];
    let started = match (complete, in_progress) {
        (Cell::Count(c), Cell::Count(i)) => Cell::Count(c + i),
        _ => Cell::Hidden,
    };
    let figures = Figures {
        started,
        complete,
        completion_rate: match (complete, started) {
            (Cell::Count(_), Cell::Count(_)) => stats.completion_rate(),
            _ => None,
        },
        set_aside: d.missing,
    };
    // Invitations would publish complete and started again, audited apart from the
    // figures above (their differences could pin a withheld count): fieldwork
    // monitoring, not shown to evaluators.
    let _ = invitations;
    let here: Vec<u64> = funnel.iter().map(|s| n(s.here)).collect();
    let (d, _) = distribution(&here, 0, t, Vec::new());
    let funnel = funnel
        .iter()
        .zip(&d.cells)
        .map(|(s, cell)| Step {
            page_id: s.page_id.clone(),
            reached: None,
            here: *cell,
        })
        .collect();
    let breakdowns = breakdowns
        .into_iter()
        .filter_map(|b| protected(survey, b, t))
        .collect();
    Published {
        figures,
        invitations: None,
        per_day: None,
        funnel,
        breakdowns,
        timing: false,
    }
}

fn unprotected(b: Breakdown) -> PublishedBreakdown {
    let nobody = b
        .groups
        .iter()
        .flat_map(|g| &g.rows)
        .filter(|r| r.count == 0)
        .map(|r| r.label.clone())
        .collect();
    PublishedBreakdown {
        question_id: b.question_id,
        question_text: b.question_text,
        attribute: b.attribute,
        unanswered: Cell::Count(b.unanswered),
        nobody,
        groups: b
            .groups
            .into_iter()
            .map(|g| Group {
                value: g.value.clone(),
                total: Cell::Count(g.total()),
                rows: g
                    .rows
                    .into_iter()
                    .map(|r| (r.label, Cell::Count(r.count)))
                    .collect(),
            })
            .collect(),
    }
}

/// A breakdown as an evaluator may see it: per option for ordinary questions, per coarse
/// group for a quasi-identifier coarsened to the grouping attribute, not at all for
/// identifiers and other quasi-identifiers.
fn protected(survey: &Survey, b: Breakdown, t: u64) -> Option<PublishedBreakdown> {
    let question = survey.question(&b.question_id)?;
    let by_group_only = match question.privacy {
        Some(PrivacyClass::Identifier) => return None,
        Some(PrivacyClass::QuasiIdentifier) => match survey.privacy.coarsening(&b.question_id) {
            Some(Coarsening::Attribute(a)) if b.attribute.as_ref() == Some(a) => true,
            Some(_) | None => return None,
        },
        Some(PrivacyClass::None | PrivacyClass::Sensitive) | None => false,
    };
    let groups = if by_group_only {
        let totals: Vec<u64> = b.groups.iter().map(|g| g.total()).collect();
        let (d, _) = distribution(&totals, b.unanswered, t, Vec::new());
        let unanswered = d.missing;
        let groups = b
            .groups
            .into_iter()
            .zip(d.cells)
            .map(|(g, total)| Group {
                value: g.value,
                total,
                rows: Vec::new(),
            })
            .collect();
        (groups, unanswered)
    } else {
        let counts: Vec<u64> = b
            .groups
            .iter()
            .flat_map(|g| &g.rows)
            .map(|r| r.count)
            .collect();
        let (d, _) = distribution(&counts, b.unanswered, t, Vec::new());
        let mut cells = d.cells.into_iter();
        let groups = b
            .groups
            .into_iter()
            .map(|g| {
                let rows: Vec<(Text, Cell)> = g
                    .rows
                    .into_iter()
                    .map(|r| (r.label, cells.next().unwrap_or(Cell::Hidden)))
                    .collect();
                let total = if rows.iter().any(|(_, c)| c.is_suppressed()) {
                    Cell::Hidden
                } else {
                    Cell::Count(rows.iter().map(|(_, c)| shown(*c)).sum())
                };
                Group {
                    value: g.value,
                    total,
                    rows,
                }
            })
            .collect();
        (groups, d.missing)
    };
    Some(PublishedBreakdown {
        question_id: b.question_id,
        question_text: b.question_text,
        attribute: b.attribute,
        groups: groups.0,
        unanswered: groups.1,
        nobody: Vec::new(),
    })
}

fn shown(cell: Cell) -> u64 {
    match cell {
        Cell::Count(n) => n,
        Cell::Small { .. } | Cell::Hidden => 0,
    }
}
