//! A new report view checked against what was released before (for people who may not
//! see identified data). Two differencing attacks are closed here:
//!
//! - **Growth.** A report of n responses and one of n + 1 differ by one respondent's
//!   answers. So a view describes the responses submitted before the last release's
//!   cutoff until at least t new responses have come in; only then does it move on (and
//!   then at least t people separate any two views).
//! - **Two filters.** Views filtered by one variable are rows of one audited table (see
//!   [`super::distribution_in_group`]); views by a second variable could be compared with
//!   them to describe the people in both groups, a table of three variables nobody audited.
//!   Once views by one variable have been released, a view by another is refused.
//!
//! Pure: the caller loads the releases and records the new one.

use time::OffsetDateTime;

use crate::store::Release;

/// What a new report view may show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewPlan {
    /// Show the complete responses submitted before `cutoff` (`held`: an earlier cutoff
    /// than now, kept because fewer than t responses came in since).
    Show { cutoff: OffsetDateTime, held: bool },
    /// Refused: filtered views by `variable` were released already.
    OtherFilter { variable: String },
    /// Refused: responses submitted before the last release's cutoff were deleted or
    /// added since (set aside, imported with an old date), and the number of responses
    /// differs from that release's by `changed`, fewer than t.
    Changed { changed: u64 },
}

/// Plan a report view at `now`, filtered by `filter_variable` if any, given the survey's
/// earlier report releases (any order) and `submitted_before(time)`, the number of
/// complete responses submitted before a time as the data are now.
pub fn plan_view(
    earlier: &[Release],
    now: OffsetDateTime,
    filter_variable: Option<&str>,
    submitted_before: impl Fn(OffsetDateTime) -> u64,
    threshold: u64,
) -> ViewPlan {
    if let Some(wanted) = filter_variable
        && let Some(other) = earlier
            .iter()
            .filter_map(|r| r.filter.as_ref().map(|(variable, _)| variable))
            .find(|variable| *variable != wanted)
    {
        return ViewPlan::OtherFilter {
            variable: other.clone(),
        };
    }
    let Some(last) = earlier.iter().max_by_key(|r| r.cutoff) else {
        return ViewPlan::Show {
            cutoff: now,
            held: false,
        };
    };
    let (at_last, total) = (submitted_before(last.cutoff), submitted_before(now));
    if at_last != last.responses {
        // The data the last release described changed: a view now differs from it by at
        // least the responses changed before its cutoff plus those added since (a deleted
        // one and a new one keep the total, yet differ by two people).
        let changed = last.responses.abs_diff(at_last) + total.saturating_sub(at_last);
        if changed < threshold {
            return ViewPlan::Changed { changed };
        }
        return ViewPlan::Show {
            cutoff: now,
            held: false,
        };
    }
    let new = total - at_last.min(total);
    if new > 0 && new < threshold {
        ViewPlan::Show {
            cutoff: last.cutoff,
            held: true,
        }
    } else {
        ViewPlan::Show {
            cutoff: now,
            held: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use time::Duration;

    use super::*;
    use crate::store::ReleaseKind;

    fn release(cutoff: OffsetDateTime, filter: Option<&str>) -> Release {
        Release {
            survey_id: "s".into(),
            kind: ReleaseKind::Report,
            filter: filter.map(|f| (f.to_string(), format!("{f}:a"))),
            cutoff,
            responses: 20,
            user_id: None,
            at: cutoff,
        }
    }

    #[test]
    fn a_view_waits_for_threshold_new_responses() {
        let t0 = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        let now = t0 + Duration::days(3);
        // Responses: 20 before t0, then `after` more.
        for (after, held) in [(0, false), (1, true), (4, true), (5, false), (9, false)] {
            let before = |at: OffsetDateTime| if at <= t0 { 20 } else { 20 + after };
            let plan = plan_view(&[release(t0, None)], now, None, before, 5);
            let expected = if held {
                ViewPlan::Show {
                    cutoff: t0,
                    held: true,
                }
            } else {
                ViewPlan::Show {
                    cutoff: now,
                    held: false,
                }
            };
            assert_eq!(plan, expected, "{after} new responses");
        }
        // The newest cutoff counts, whatever the order given.
        let older = release(t0 - Duration::days(9), None);
        let plan = plan_view(
            &[release(t0, None), older],
            now,
            None,
            |at| if at <= t0 { 20 } else { 22 },
            5,
        );
        assert_eq!(
            plan,
            ViewPlan::Show {
                cutoff: t0,
                held: true
            }
        );
        assert_eq!(
            plan_view(&[], now, None, |_| 3, 5),
            ViewPlan::Show {
                cutoff: now,
                held: false
            }
        );
    }

    #[test]
    fn changes_before_the_last_cutoff_refuse_a_view_until_t_responses_differ() {
        let t0 = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        let now = t0 + Duration::days(3);
        let earlier = [release(t0, None)];
        // One response deleted (19 left before t0), none new: refused.
        assert_eq!(
            plan_view(&earlier, now, None, |_| 19, 5),
            ViewPlan::Changed { changed: 1 }
        );
        // Two imported with old dates: refused.
        assert_eq!(
            plan_view(&earlier, now, None, |_| 22, 5),
            ViewPlan::Changed { changed: 2 }
        );
        // Five imported: a new view of everything.
        assert_eq!(
            plan_view(&earlier, now, None, |_| 25, 5),
            ViewPlan::Show {
                cutoff: now,
                held: false
            }
        );
    }

    #[test]
    fn views_by_a_second_filter_variable_are_refused() {
        let t0 = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        let earlier = [release(t0, None), release(t0, Some("region"))];
        let count = |_| 30;
        assert_eq!(
            plan_view(&earlier, t0, Some("role"), count, 5),
            ViewPlan::OtherFilter {
                variable: "region".into()
            }
        );
        assert!(matches!(
            plan_view(&earlier, t0, Some("region"), count, 5),
            ViewPlan::Show { .. }
        ));
        assert!(matches!(
            plan_view(&earlier, t0, None, count, 5),
            ViewPlan::Show { .. }
        ));
    }

    #[test]
    fn a_deletion_and_a_new_response_that_keep_the_total_are_seen() {
        let t0 = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        let now = t0 + Duration::days(3);
        // The release described 20; one of them was deleted since and one came in after:
        // still 20 in all, but the new view would differ from it by two people.
        let before = |at: OffsetDateTime| if at <= t0 { 19 } else { 20 };
        assert_eq!(
            plan_view(&[release(t0, None)], now, None, before, 5),
            ViewPlan::Changed { changed: 2 }
        );
        // With five or more changed, the view moves on.
        let before = |at: OffsetDateTime| if at <= t0 { 19 } else { 24 };
        assert_eq!(
            plan_view(&[release(t0, None)], now, None, before, 5),
            ViewPlan::Show {
                cutoff: now,
                held: false
            }
        );
    }
}
