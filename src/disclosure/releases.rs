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
//! - **Changed data.** Each release keeps a digest of the responses it described (ids
//!   and contents), so deletions, edits and earlier-dated imports are seen even when the
//!   count stays.
//!
//! [`Publication`] is the one entry point: every report view, evaluator dashboard and
//! anonymized export is planned and recorded through it. Pure: the caller loads the
//! releases and records the new one.

use time::OffsetDateTime;

use crate::store::{Release, ReleaseKind};
use crate::survey::response::Response;

/// What a new report view may show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewPlan {
    /// Show the complete responses submitted before `cutoff` (`held`: an earlier cutoff
    /// than now, kept because fewer than t responses came in since).
    Show { cutoff: OffsetDateTime, held: bool },
    /// Refused: filtered views by `variable` were released already.
    OtherFilter { variable: String },
    /// Refused: responses submitted before the last release's cutoff were deleted,
    /// changed or added since (set aside, edited, imported with an old date), and a view
    /// would differ from that release by at least `changed` responses, fewer than t.
    Changed { changed: u64 },
}

/// A digest of a set of response ids (sorted, SHA-256, hex): equal for the same set
/// whatever the order.
fn digest<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    use sha2::{Digest, Sha256};
    let mut ids: Vec<&str> = ids.collect();
    ids.sort_unstable();
    let mut hash = Sha256::new();
    for id in ids {
        hash.update(id.as_bytes());
        hash.update(b"\n");
    }
    let mut hex = String::with_capacity(64);
    push_hex(&mut hex, &hash.finalize());
    hex
}

/// `bytes` in lowercase hexadecimal, appended to `out`.
fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
}

/// Plan a view at `now`, filtered by `filter_variable` if any, given the survey's
/// earlier releases (any order) and `submitted_before(time)`, the number of complete
/// responses submitted before a time as the data are now; `unchanged(release)` also says whether the responses submitted
/// before a release's cutoff are still exactly those it described (its digest): a
/// deletion and an import with an earlier date keep the count yet differ by two people.
fn plan_view_checked(
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
        // least the responses changed before its cutoff plus those added since. With the
        // same count the digest alone cannot tell one edited response (one person) from a
        // deletion plus an earlier-dated addition (two): count the smaller, so that the
        // threshold is never reached sooner than the people who changed allow.
        let before_cutoff = match last.responses.abs_diff(at_last) {
            0 => 1,
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
fn plan_group_view(
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
fn within_group(overall: ViewPlan, group: impl FnOnce(OffsetDateTime) -> ViewPlan) -> ViewPlan {
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

/// A complete response as the release rules see it: a key that changes whenever what a
/// release publishes about it could change (its id, answers and invitation columns, so
/// an edited answer or a moved invitation column is seen like a swap of two people),
/// when it was submitted, and whether it is in the filtered group of the view planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub key: String,
    pub submitted: OffsetDateTime,
    pub in_group: bool,
}

impl Subject {
    /// `None` for a response not submitted (it is in no release).
    pub fn new(response: &Response, in_group: bool) -> Option<Subject> {
        use sha2::{Digest, Sha256};
        let submitted = response.submitted_at?;
        let mut hash = Sha256::new();
        // Both maps are ordered (BTreeMap), so the same data give the same bytes; they
        // are written straight into the hash (the bytes of `serde_json::to_vec`).
        // Serialising a map of strings and answers cannot fail.
        let _ = serde_json::to_writer(&mut hash, &response.answers);
        let _ = serde_json::to_writer(&mut hash, &response.invitation);
        let mut key = String::with_capacity(response.id.len() + 25);
        key.push_str(&response.id);
        key.push('#');
        push_hex(&mut key, &hash.finalize()[..12]);
        Some(Subject {
            key,
            submitted,
            in_group,
        })
    }
}

/// One publication planned against the survey's earlier releases (reports, report views,
/// evaluator dashboards and anonymized exports alike): the one place where the growth,
/// group and digest rules meet the data.
pub struct Publication<'a> {
    pub survey_id: &'a str,
    /// Every release of the survey so far, of any kind.
    pub earlier: &'a [Release],
    /// The survey's complete responses as they are now.
    pub subjects: &'a [Subject],
    /// The larger of the plan's minimum cell and the survey's k.
    pub threshold: u64,
    pub now: OffsetDateTime,
}

impl Publication<'_> {
    fn before(&self, at: OffsetDateTime) -> impl Iterator<Item = &Subject> {
        self.subjects.iter().filter(move |s| s.submitted < at)
    }

    fn keys<'s>(subjects: impl Iterator<Item = &'s Subject>) -> String {
        digest(subjects.map(|s| s.key.as_str()))
    }

    /// What a view may show; `filter` (`variable:code`) for a view of one group, whose
    /// members are the subjects marked `in_group`.
    pub fn plan(&self, filter: Option<&str>) -> ViewPlan {
        let count = |at: OffsetDateTime| self.before(at).count() as u64;
        let unchanged = |r: &Release| {
            r.described
                .as_ref()
                .is_none_or(|d| *d == Self::keys(self.before(r.cutoff)))
        };
        let variable = filter.map(variable_of);
        let overall = plan_view_checked(
            self.earlier,
            self.now,
            variable,
            count,
            unchanged,
            self.threshold,
        );
        let Some(filter) = filter else {
            return overall;
        };
        // The group also waits for new responses of its own, checked at the cutoff the
        // survey-wide rule chose, and sees people swapped within the group.
        let members = |at: OffsetDateTime| self.before(at).filter(|s| s.in_group);
        let group_count = |at: OffsetDateTime| members(at).count() as u64;
        let group_unchanged = |r: &Release| {
            r.group_described
                .as_ref()
                .is_none_or(|d| *d == Self::keys(members(r.cutoff)))
        };
        within_group(overall, |at| {
            plan_group_view(
                self.earlier,
                at,
                filter,
                group_count,
                group_unchanged,
                self.threshold,
            )
        })
    }

    /// The variable of the filtered views released so far, if any: the only one a
    /// filtered view may use (see the module docs, "Two filters").
    pub fn filter_in_use(&self) -> Option<&str> {
        self.earlier
            .iter()
            .find_map(|r| r.filter.as_ref().map(|(variable, _)| variable.as_str()))
    }

    /// What a view of all responses (no filter) may show: its cutoff and whether that is
    /// held, or `Err(changed)` when it is refused.
    pub fn plan_whole(&self) -> Result<(OffsetDateTime, bool), u64> {
        match self.plan(None) {
            ViewPlan::Show { cutoff, held } => Ok((cutoff, held)),
            ViewPlan::Changed { changed } => Err(changed),
            // Only a filtered view is refused for another filter.
            ViewPlan::OtherFilter { .. } => Ok((self.now, false)),
        }
    }

    /// The record of what a publication at `cutoff` describes (`filter` as planned).
    pub fn release(
        &self,
        kind: ReleaseKind,
        filter: Option<&str>,
        cutoff: OffsetDateTime,
        user_id: Option<String>,
    ) -> Release {
        let members = || self.before(cutoff).filter(|s| s.in_group);
        Release {
            survey_id: self.survey_id.to_string(),
            kind,
            filter: filter.map(|f| (variable_of(f).to_string(), f.to_string())),
            cutoff,
            responses: self.before(cutoff).count() as u64,
            group_responses: filter.map(|_| members().count() as u64),
            described: Some(Self::keys(self.before(cutoff))),
            group_described: filter.map(|_| Self::keys(members())),
            user_id,
            at: self.now,
        }
    }
}

/// The variable of a `variable:code` filter.
fn variable_of(filter: &str) -> &str {
    filter
        .split_once(':')
        .map_or(filter, |(variable, _)| variable)
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

    /// Plan a report view at `now`, filtered by `filter_variable` if any, given the survey's
    /// earlier report releases (any order) and `submitted_before(time)`, the number of
    /// complete responses submitted before a time as the data are now.
    fn plan_view(
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
        // differ. The digest cannot tell this from one edited response, so it counts one:
        // refused below the threshold (here even at 2), shown only at a threshold of 1.
        let other =
            |r: &Release| r.described.as_deref() == Some(&digest(["r1", "r3", "r9"].into_iter()));
        assert_eq!(
            plan_view_checked(std::slice::from_ref(&last), now, None, count, other, 5),
            ViewPlan::Changed { changed: 1 }
        );
        assert_eq!(
            plan_view_checked(std::slice::from_ref(&last), now, None, count, other, 2),
            ViewPlan::Changed { changed: 1 }
        );
        assert_eq!(
            plan_view_checked(std::slice::from_ref(&last), now, None, count, other, 1),
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
        let refused = ViewPlan::Changed { changed: 1 };
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
        assert_eq!(swapped, ViewPlan::Changed { changed: 1 });
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

    fn response(id: &str, at: OffsetDateTime, score: f64, run: &str) -> Response {
        use crate::survey::answer::Answer;
        Response {
            id: id.into(),
            survey_id: "s".into(),
            survey_version: "v".into(),
            status: crate::store::Status::Complete,
            language: crate::survey::Lang::Cs,
            current_page: "p".into(),
            answers: [("score".to_string(), Answer::Number(score))].into(),
            revision: 1,
            created_at: at,
            updated_at: at,
            submitted_at: Some(at),
            invitation: Some([("run".to_string(), run.to_string())].into()),
            flag: None,
            flag_reason: None,
            deleted_at: None,
        }
    }

    /// Digests are stored with each release: the key of a response must stay what it was
    /// when those releases were recorded (SHA-256 over the JSON of the answers, then of
    /// the invitation, 12 bytes in hex), or every stored release would look changed.
    #[test]
    fn a_subject_key_is_the_stored_digest_format() {
        use sha2::{Digest, Sha256};
        let t0 = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        let mut r = response("r1", t0, 4.0, "a");
        r.invitation = Some([("region".to_string(), "Brno".to_string())].into());
        let mut hash = Sha256::new();
        hash.update(serde_json::to_vec(&r.answers).unwrap());
        hash.update(serde_json::to_vec(&r.invitation).unwrap());
        let expected: String = hash.finalize()[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let key = Subject::new(&r, false).unwrap().key;
        assert_eq!(key, format!("r1#{expected}"));
        assert_eq!(
            digest(["b", "a"].into_iter()),
            // printf 'a\nb\n' | sha256sum
            "911169ddaaf146aff539f58c26c489af3b892dff0fe283c1c264c65ae5aa59a2"
        );
    }

    #[test]
    fn an_edited_answer_or_a_moved_invitation_column_is_seen_like_a_swap() {
        let t0 = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        let responses: Vec<Response> = (0..12)
            .map(|i| response(&format!("r{i}"), t0 + Duration::minutes(i), 3.0, "a"))
            .collect();
        let subjects = |rs: &[Response]| -> Vec<Subject> {
            rs.iter().filter_map(|r| Subject::new(r, false)).collect()
        };
        let now = t0 + Duration::days(1);
        let first = subjects(&responses);
        let publication = Publication {
            survey_id: "s",
            earlier: &[],
            subjects: &first,
            threshold: 5,
            now,
        };
        assert_eq!(
            publication.plan(None),
            ViewPlan::Show {
                cutoff: now,
                held: false
            }
        );
        let released = [publication.release(ReleaseKind::Report, None, now, None)];
        assert_eq!(released[0].responses, 12);
        assert_eq!(released[0].survey_id, "s");
        let later = now + Duration::hours(1);
        let plan_on = |rs: &[Response]| {
            let subjects = subjects(rs);
            Publication {
                survey_id: "s",
                earlier: &released,
                subjects: &subjects,
                threshold: 5,
                now: later,
            }
            .plan(None)
        };
        // Nothing changed: the same view again.
        assert!(matches!(plan_on(&responses), ViewPlan::Show { .. }));
        // One answer edited, or one invitation column changed: the same ids, yet a view now
        // would differ from the last by that person.
        let mut edited = responses.clone();
        edited[4].answers = [(
            "score".to_string(),
            crate::survey::answer::Answer::Number(1.0),
        )]
        .into();
        assert_eq!(plan_on(&edited), ViewPlan::Changed { changed: 1 });
        let mut moved = responses.clone();
        moved[7].invitation = Some([("run".to_string(), "b".to_string())].into());
        assert_eq!(plan_on(&moved), ViewPlan::Changed { changed: 1 });
    }

    #[test]
    fn a_group_of_any_variable_waits_for_new_members_of_its_own() {
        let t0 = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        // Members are whatever the caller marks (a derived variable's band, say): rows
        // 0..6 of 12 at first.
        let mut subjects: Vec<Subject> = (0..12)
            .map(|i| {
                Subject::new(
                    &response(&format!("r{i}"), t0 + Duration::minutes(i), 3.0, "a"),
                    i < 6,
                )
                .unwrap()
            })
            .collect();
        let now = t0 + Duration::days(1);
        let publication = Publication {
            survey_id: "s",
            earlier: &[],
            subjects: &subjects,
            threshold: 5,
            now,
        };
        let filter = Some("band:low");
        assert!(matches!(
            publication.plan(filter),
            ViewPlan::Show { held: false, .. }
        ));
        let released = [publication.release(ReleaseKind::Report, filter, now, None)];
        assert_eq!(released[0].group_responses, Some(6));
        assert_eq!(released[0].filter, Some(("band".into(), "band:low".into())));
        // Six new responses, one of them in the group: held at the last cutoff.
        let later = now + Duration::hours(1);
        for i in 0..6 {
            subjects.push(
                Subject::new(
                    &response(&format!("n{i}"), now + Duration::minutes(i), 3.0, "a"),
                    i == 0,
                )
                .unwrap(),
            );
        }
        let plan = |subjects: &[Subject]| {
            Publication {
                survey_id: "s",
                earlier: &released,
                subjects,
                threshold: 5,
                now: later,
            }
            .plan(filter)
        };
        assert_eq!(
            plan(&subjects),
            ViewPlan::Show {
                cutoff: now,
                held: true
            }
        );
        // The survey-wide view is not held by the group.
        assert_eq!(
            Publication {
                survey_id: "s",
                earlier: &released,
                subjects: &subjects,
                threshold: 5,
                now: later,
            }
            .plan(None),
            ViewPlan::Show {
                cutoff: later,
                held: false
            }
        );
        // A member leaves the group before the cutoff (its band recomputed): refused.
        subjects[2].in_group = false;
        assert_eq!(plan(&subjects), ViewPlan::Changed { changed: 2 });
    }
}
