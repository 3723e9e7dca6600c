//! Seeding many complete responses quickly (for the export benchmark), and the SQL that
//! sqlite3 runs for the closest equivalent of anketa's wide CSV export.

use anketa::survey::types;

use std::str::FromStr;
use std::time::Instant;

use anketa::survey::Survey;
use anketa::survey::model::QuestionKind;
use anketa::survey::variables::{Part, variables};
use anyhow::Context;
use serde_json::{Value, json};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use time::OffsetDateTime;

const INSERT: &str = "INSERT INTO responses (id, survey_id, survey_version, status, language, current_page, answers, revision, created_at, updated_at, submitted_at) \
                      VALUES ($1, $2, $3, 'complete', $4, $5, $6, 2, $7, $8, $8)";

fn millis(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

/// Store `count` complete responses of `survey` in the SQLite database `url`, in big
/// transactions with `synchronous = OFF` (only the seeding is unsafe, not the result:
/// the file is checkpointed and closed cleanly). The answers are `distinct` different
/// demo responses (anketa's own generator, the JSON the app stores), used in turn.
pub async fn seed(
    url: &str,
    survey: &Survey,
    count: usize,
    distinct: usize,
) -> anyhow::Result<Value> {
    anyhow::ensure!(url.starts_with("sqlite:"), "seeding is for SQLite files");
    let began = Instant::now();
    crate::ceiling::prepare(url, survey).await?;
    let mut rng = anketa::demo::rng(11);
    let generated =
        anketa::demo::responses::responses(survey, distinct.clamp(1, count.max(1)), None, &mut rng)
            .map_err(anyhow::Error::msg)?;
    let rows: Vec<(String, &str, String)> = generated
        .iter()
        .map(|r| {
            (
                serde_json::to_string(&r.answers).expect("answers serialize"),
                r.language.code(),
                r.last_page.clone(),
            )
        })
        .collect();
    let options = SqliteConnectOptions::from_str(url)?
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Off);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    // Submitted over a year, one after another.
    let first = OffsetDateTime::now_utc() - time::Duration::days(365);
    let step_ms = (365 * 24 * 3600 * 1000 / count.max(1) as i64).max(1);
    let mut done = 0;
    while done < count {
        let mut tx = pool.begin().await?;
        let end = (done + 50_000).min(count);
        for i in done..end {
            let (answers, lang, last) = &rows[i % rows.len()];
            let submitted = millis(first) + i as i64 * step_ms;
            sqlx::query(INSERT)
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(&survey.id)
                .bind(&survey.version)
                .bind(*lang)
                .bind(last)
                .bind(answers)
                .bind(submitted - 20 * 60 * 1000)
                .bind(submitted)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        done = end;
    }
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&pool)
        .await?;
    pool.close().await;
    Ok(json!({
        "survey": survey.id,
        "responses": count,
        "distinct_answers": rows.len(),
        "mean_answers_json_bytes": rows.iter().map(|r| r.0.len()).sum::<usize>() / rows.len().max(1),
        "seconds": began.elapsed().as_secs_f64(),
    }))
}

fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The SQL closest to `anketa export SURVEY --format csv`: the same rows in the same
/// order, one column per export variable pulled out of the answers JSON with
/// `json_extract` (multi-choice ticks as 1/0, matrix rows as codes, "other" texts).
pub fn export_sql(survey: &Survey) -> anyhow::Result<String> {
    let mut columns = vec![
        "r.id AS response_id".to_string(),
        "r.survey_version".to_string(),
        "strftime('%Y-%m-%dT%H:%M:%fZ', r.submitted_at / 1000.0, 'unixepoch') AS submitted_at"
            .to_string(),
        "r.language".to_string(),
    ];
    for v in variables(survey) {
        let q = survey
            .question(&v.question)
            .with_context(|| format!("no question {}", v.question))?;
        let path = |rest: &str| quoted(&format!("$.\"{}\".{rest}", v.question));
        let expr = match (&v.part, &q.kind) {
            (Part::Value, QuestionKind::Number(_) | QuestionKind::Rating(_)) => {
                format!("json_extract(r.answers, {})", path("number"))
            }
            (Part::Value, QuestionKind::YesNo(types::YesNo)) => {
                format!("json_extract(r.answers, {})", path("bool"))
            }
            (Part::Value, QuestionKind::Date(_)) => {
                format!("json_extract(r.answers, {})", path("date"))
            }
            (Part::Value, QuestionKind::Consent(_)) => {
                format!("json_extract(r.answers, {})", path("consent.version"))
            }
            (Part::Value, QuestionKind::Text(_) | QuestionKind::Textarea(_)) => {
                format!("json_extract(r.answers, {})", path("text"))
            }
            (Part::Value, QuestionKind::Hidden(types::Hidden { options, .. })) => {
                if options.is_some() {
                    format!("json_extract(r.answers, {})", path("choice.value"))
                } else {
                    format!("json_extract(r.answers, {})", path("text"))
                }
            }
            (Part::Value, _) => format!("json_extract(r.answers, {})", path("choice.value")),
            (Part::Option(code), _) => format!(
                "CASE WHEN json_type(r.answers, {p}) IS NULL THEN '' WHEN instr(json_extract(r.answers, {p}), {c}) > 0 THEN 1 ELSE 0 END",
                p = path("choices.values"),
                c = quoted(&format!("\"{code}\""))
            ),
            (Part::Row(row), _) => {
                format!(
                    "json_extract(r.answers, {})",
                    path(&format!("matrix.\"{row}\""))
                )
            }
            (Part::Points(item), _) => format!(
                "json_extract(r.answers, {})",
                path(&format!("points.\"{item}\""))
            ),
            (Part::Rank(code), _) => format!(
                "(SELECT key + 1 FROM json_each(r.answers, {}) WHERE value = {})",
                path("ranking"),
                quoted(code)
            ),
            (Part::OtherText, QuestionKind::Multi(_)) => {
                format!("json_extract(r.answers, {})", path("choices.other"))
            }
            (Part::OtherText, _) => format!("json_extract(r.answers, {})", path("choice.other")),
        };
        columns.push(format!("{expr} AS \"{}\"", v.name));
    }
    Ok(format!(
        "SELECT {} FROM responses r LEFT JOIN invitations i ON i.response_id = r.id \
         WHERE r.survey_id = {} AND r.status = 'complete' AND r.flag IS NULL AND r.deleted_at IS NULL \
         ORDER BY r.submitted_at, r.id;",
        columns.join(", "),
        quoted(&survey.id)
    ))
}

/// The export's query (`Store::export_responses` with the default filter of
/// `anketa export --format csv`: complete responses), streamed with sqlx, answers left as
/// JSON text: what reading the rows through sqlx costs (the app reads SQLite exports with
/// rusqlite on a thread of its own instead; docs/performance.md, section 4).
pub async fn fetch(url: &str, survey_id: &str) -> anyhow::Result<Value> {
    use futures_util::TryStreamExt;
    const SQL: &str = "SELECT r.id, r.survey_version, r.status, r.language, r.answers, r.submitted_at, i.attributes AS invitation \
                       FROM responses r LEFT JOIN invitations i ON i.response_id = r.id \
                       WHERE r.survey_id = $1 AND r.status = 'complete' AND r.flag IS NULL AND r.deleted_at IS NULL \
                       AND r.submitted_at >= $2 AND r.submitted_at < $3 \
                       AND ($4 IS NULL OR r.survey_version = $4) ORDER BY r.submitted_at, r.id";
    type Row = (
        String,
        String,
        String,
        String,
        String,
        Option<i64>,
        Option<String>,
    );
    let began = Instant::now();
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(SqliteConnectOptions::from_str(url)?.read_only(true))
        .await?;
    let mut rows = sqlx::query_as::<_, Row>(SQL)
        .bind(survey_id)
        .bind(i64::MIN)
        .bind(i64::MAX)
        .bind(None::<String>)
        .fetch(&pool);
    let (mut n, mut bytes) = (0u64, 0usize);
    while let Some(row) = rows.try_next().await? {
        n += 1;
        bytes += row.4.len();
    }
    drop(rows);
    pool.close().await;
    Ok(json!({
        "rows": n,
        "answers_bytes": bytes,
        "seconds": began.elapsed().as_secs_f64(),
    }))
}
