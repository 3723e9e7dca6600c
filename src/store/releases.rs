//! Releases: what was published to people who may not see identified data (report views,
//! filtered or not, and anonymized exports), kept so that later views can be checked
//! against earlier ones ([`crate::disclosure::releases`]).

use time::OffsetDateTime;

use super::{Pool, Store, StoreError, from_millis, millis};

/// One publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub survey_id: String,
    pub kind: ReleaseKind,
    /// For a filtered report view: the filter variable and `variable:code`.
    pub filter: Option<(String, String)>,
    /// Complete responses submitted before this are in it.
    pub cutoff: OffsetDateTime,
    pub responses: u64,
    /// For a filtered view: the responses of the filtered group it described.
    pub group_responses: Option<u64>,
    /// A digest of the responses it described, their ids and contents
    /// ([`crate::disclosure::releases::Subject`]).
    pub described: Option<String>,
    /// For a filtered view: the digest of the group's responses it described.
    pub group_described: Option<String>,
    pub user_id: Option<String>,
    pub at: OffsetDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseKind {
    Report,
    Export,
}

impl ReleaseKind {
    fn name(self) -> &'static str {
        match self {
            ReleaseKind::Report => "report",
            ReleaseKind::Export => "export",
        }
    }
}

#[derive(sqlx::FromRow)]
struct ReleaseRow {
    survey_id: String,
    kind: String,
    filter_variable: Option<String>,
    filter: Option<String>,
    cutoff: i64,
    responses: i64,
    group_responses: Option<i64>,
    described: Option<String>,
    group_described: Option<String>,
    user_id: Option<String>,
    at: i64,
}

impl TryFrom<ReleaseRow> for Release {
    type Error = StoreError;

    fn try_from(r: ReleaseRow) -> Result<Release, StoreError> {
        Ok(Release {
            survey_id: r.survey_id,
            kind: if r.kind == "export" {
                ReleaseKind::Export
            } else {
                ReleaseKind::Report
            },
            filter: r.filter_variable.zip(r.filter),
            cutoff: from_millis(r.cutoff)?,
            responses: u64::try_from(r.responses).unwrap_or(0),
            group_responses: r.group_responses.and_then(|n| u64::try_from(n).ok()),
            described: r.described,
            group_described: r.group_described,
            user_id: r.user_id,
            at: from_millis(r.at)?,
        })
    }
}

impl Store {
    /// Remember a release.
    pub async fn record_release(&self, release: &Release) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO releases (id, survey_id, kind, filter_variable, filter, cutoff, responses, user_id, at, group_responses, described, group_described) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
        let id = uuid::Uuid::now_v7().to_string();
        let (variable, filter) = release.filter.clone().unzip();
        with_writer!(self, pool => sqlx::query(SQL)
            .bind(&id)
            .bind(&release.survey_id)
            .bind(release.kind.name())
            .bind(&variable)
            .bind(&filter)
            .bind(millis(release.cutoff))
            .bind(i64::try_from(release.responses).unwrap_or(i64::MAX))
            .bind(&release.user_id)
            .bind(millis(release.at))
            .bind(release.group_responses.map(|n| i64::try_from(n).unwrap_or(i64::MAX)))
            .bind(&release.described)
            .bind(&release.group_described)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// A survey's releases of one kind, newest first.
    pub async fn releases(
        &self,
        survey_id: &str,
        kind: ReleaseKind,
    ) -> Result<Vec<Release>, StoreError> {
        const SQL: &str = "SELECT survey_id, kind, filter_variable, filter, cutoff, responses, group_responses, described, group_described, user_id, at FROM releases WHERE survey_id = $1 AND kind = $2 ORDER BY at DESC, id DESC";
        let rows: Vec<ReleaseRow> = with_pool!(self, pool => sqlx::query_as(SQL).bind(survey_id).bind(kind.name()).fetch_all(pool).await)?;
        rows.into_iter().map(Release::try_from).collect()
    }

    /// Take the survey's release lease for `holder` until `expires`, if nobody holds it
    /// (or a holder's lease expired before `now`): true if taken. One statement, so two
    /// requests (on any instances) never both get it.
    pub async fn take_release_lease(
        &self,
        survey_id: &str,
        holder: &str,
        now: OffsetDateTime,
        expires: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "INSERT INTO release_leases (survey_id, holder, expires_at) VALUES ($1, $2, $3) ON CONFLICT (survey_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at WHERE release_leases.expires_at < $4";
        let n = with_writer!(self, pool => sqlx::query(SQL)
            .bind(survey_id)
            .bind(holder)
            .bind(millis(expires))
            .bind(millis(now))
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Give the lease back (only `holder`'s: an expired one taken over stays).
    pub async fn end_release_lease(&self, survey_id: &str, holder: &str) -> Result<(), StoreError> {
        const SQL: &str = "DELETE FROM release_leases WHERE survey_id = $1 AND holder = $2";
        with_writer!(self, pool => sqlx::query(SQL).bind(survey_id).bind(holder).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// A survey's releases of every kind, newest first: report views and exports are
    /// planned against each other (a report of n responses and an export of n + 1 would
    /// tell which record is the new one).
    pub async fn all_releases(&self, survey_id: &str) -> Result<Vec<Release>, StoreError> {
        const SQL: &str = "SELECT survey_id, kind, filter_variable, filter, cutoff, responses, group_responses, described, group_described, user_id, at FROM releases WHERE survey_id = $1 ORDER BY at DESC, id DESC";
        let rows: Vec<ReleaseRow> =
            with_pool!(self, pool => sqlx::query_as(SQL).bind(survey_id).fetch_all(pool).await)?;
        rows.into_iter().map(Release::try_from).collect()
    }
}
