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
    plan_view_checked(
        earlier,
        now,
        filter_variable,
        submitted_before,
        |_| true,
        threshold,
    )
}

/// A digest of a set of response ids (sorted, SHA-256, hex): equal for the same set
/// whatever the order.
pub fn digest<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    use sha2::{Digest, Sha256};
    let mut ids: Vec<&str> = ids.collect();
    ids.sort_unstable();
    let mut hash = Sha256::new();
    for id in ids {
        hash.update(id.as_bytes());
        hash.update(b"\n");
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// [`plan_view`], where `unchanged(release)` also says whether the responses submitted
/// before a release's cutoff are still exactly those it described (its digest): a
/// deletion and an import with an earlier date keep the count yet differ by two people.
pub fn plan_view_checked(
    earlier: &[Release],
    now: OffsetDateTime,
    filter_variable: Option<&str>,
    submitted_before: impl Fn(OffsetDateTime) -> u64,
    unchanged: impl Fn(&Release) -> bool,
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
    let same_set = unchanged(last);
    if at_last != last.responses || !same_set {
        // The data the last release described changed: a view now differs from it by at
        // least the responses changed before its cutoff plus those added since (a deleted
        // one and a new one keep the total, yet differ by two people).
        let before_cutoff = match last.responses.abs_diff(at_last) {
            0 => 2,
            n => n,
        };
        let changed = before_cutoff + total.saturating_sub(at_last);
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

/// The plan for a filtered view of one group (`filter`, `variable:code`): the same rule
/// within the group, against the earlier views of that group (their group counts and
/// digests), with `group_before(time)` the group's complete responses submitted before a
/// time and `group_unchanged(release)` whether those before its cutoff are still the ones
/// it described. Two views of a group at different cutoffs differ by the group's
/// responses in between, so enough new responses in the whole survey are not enough.
pub fn plan_group_view(
    earlier: &[Release],
    now: OffsetDateTime,
    filter: &str,
    group_before: impl Fn(OffsetDateTime) -> u64,
    group_unchanged: impl Fn(&Release) -> bool,
    threshold: u64,
) -> ViewPlan {
    let same: Vec<Release> = earlier
        .iter()
        .filter(|r| r.filter.as_ref().is_some_and(|(_, f)| f == filter))
        .filter_map(|r| {
            r.group_responses.map(|n| Release {
                responses: n,
                ..r.clone()
            })
        })
        .collect();
    let variable = filter.split_once(':').map_or(filter, |(v, _)| v);
    plan_view_checked(
        &same,
        now,
        Some(variable),
        group_before,
        group_unchanged,
        threshold,
    )
}

/// A filtered view: the survey-wide plan first, then the group's rule applied at the
/// cutoff that plan chose (so a view held survey-wide is checked within its group at
/// that cutoff, not at now); a refusal of either refuses.
pub fn within_group(overall: ViewPlan, group: impl FnOnce(OffsetDateTime) -> ViewPlan) -> ViewPlan {
    let ViewPlan::Show { cutoff, held } = overall else {
        return overall;
    };
    match group(cutoff) {
        ViewPlan::Show {
            cutoff: in_group,
            held: group_held,
        } => ViewPlan::Show {
            cutoff: in_group,
            held: held || group_held,
        },
        refused => refused,
    }
}

/// `t` to the millisecond (releases are stored so): a cutoff compares the same when
/// planned and when read back.
pub fn to_millis(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(t.nanosecond() / 1_000_000 * 1_000_000)
        .unwrap_or(t)
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
            group_responses: filter.map(|_| 6),
            described: None,
            group_described: None,
            user_id: None,
            at: cutoff,
        }
    }

    #[test]
    fn a_deletion_and_an_earlier_dated_import_are_seen_though_the_count_is_the_same() {
        let t0 = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        let now = t0 + Duration::days(3);
        let ids = ["r1", "r2", "r3"];
        let mut last = release(t0, None);
        last.responses = 3;
        last.described = Some(digest(ids.iter().copied()));
        assert_eq!(
            digest(["r3", "r1", "r2"].into_iter()),
            last.described.clone().unwrap()
        );
        let count = |_: OffsetDateTime| 3;
        // The same three: shown as before.
        let same = |r: &Release| r.described.as_deref() == Some(&digest(ids.iter().copied()));
        assert_eq!(
            plan_view_checked(std::slice::from_ref(&last), now, None, count, same, 5),
            ViewPlan::Show {
                cutoff: now,
                held: false
            }
        );
        // r2 deleted, r9 imported with an old date: three before the cutoff, two people
        // differ: refused below the threshold.
        let other =
            |r: &Release| r.described.as_deref() == Some(&digest(["r1", "r3", "r9"].into_iter()));
        assert_eq!(
            plan_view_checked(std::slice::from_ref(&last), now, None, count, other, 5),
            ViewPlan::Changed { changed: 2 }
        );
        assert_eq!(
            plan_view_checked(std::slice::from_ref(&last), now, None, count, other, 2),
            ViewPlan::Show {
                cutoff: now,
                held: false
            }
        );
    }

    #[test]
    fn a_group_view_waits_for_new_responses_of_its_group() {
        let t0 = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        let now = t0 + Duration::days(3);
        let earlier = [release(t0, Some("region"))];
        let same = |_: &Release| true;
        // 6 in the group at t0 (20 in the survey); 10 new in the survey, 1 in the group.
        let survey = |at: OffsetDateTime| if at <= t0 { 20 } else { 30 };
        let group = |at: OffsetDateTime| if at <= t0 { 6 } else { 7 };
        let overall = plan_view(&earlier, now, Some("region"), survey, 5);
        assert_eq!(
            overall,
            ViewPlan::Show {
                cutoff: now,
                held: false
            }
        );
        let plan = within_group(overall, |at| {
            plan_group_view(&earlier, at, "region:a", group, same, 5)
        });
        assert_eq!(
            plan,
            ViewPlan::Show {
                cutoff: t0,
                held: true
            }
        );
        // Five new in the group: it moves on.
        let group = |at: OffsetDateTime| if at <= t0 { 6 } else { 11 };
        let in_group = plan_group_view(&earlier, now, "region:a", group, same, 5);
        assert_eq!(
            in_group,
            ViewPlan::Show {
                cutoff: now,
                held: false
            }
        );
        // Another group of the same variable has no earlier view: shown as it is now.
        let other = plan_group_view(&earlier, now, "region:b", group, same, 5);
        assert_eq!(
            other,
            ViewPlan::Show {
                cutoff: now,
                held: false
            }
        );
        // A refusal of the survey-wide plan is not overruled.
        let refused = ViewPlan::Changed { changed: 2 };
        assert_eq!(within_group(refused.clone(), |_| unreachable!()), refused);
    }

    #[test]
    fn the_group_rule_is_checked_at_the_cutoff_the_survey_rule_chose() {
        // View A of group a at t0 (6 in it); then 1 of a and 9 others; an unfiltered view
        // B at t1; then 4 more of a. Survey-wide the view is held at t1 (4 new since B);
        // within the group at t1 only 1 is new since A: held at t0, not shown at t1 (7
        // people against A's 6).
        let t0 = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        let t1 = t0 + Duration::days(1);
        let now = t0 + Duration::days(2);
        let mut b = release(t1, None);
        b.responses = 30;
        let earlier = [release(t0, Some("region")), b];
        let survey = |at: OffsetDateTime| {
            if at <= t0 {
                20
            } else if at <= t1 {
                30
            } else {
                34
            }
        };
        let group = |at: OffsetDateTime| {
            if at <= t0 {
                6
            } else if at <= t1 {
                7
            } else {
                11
            }
        };
        let overall = plan_view(&earlier, now, Some("region"), survey, 5);
        assert_eq!(
            overall,
            ViewPlan::Show {
                cutoff: t1,
                held: true
            }
        );
        let plan = within_group(overall, |at| {
            plan_group_view(&earlier, at, "region:a", group, |_| true, 5)
        });
        assert_eq!(
            plan,
            ViewPlan::Show {
                cutoff: t0,
                held: true
            }
        );
        // Members swapped within the group (same count, other people): refused.
        let swapped = plan_group_view(
            &earlier,
            t0 + Duration::hours(1),
            "region:a",
            |_| 6,
            |_| false,
            5,
        );
        assert_eq!(swapped, ViewPlan::Changed { changed: 2 });
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
