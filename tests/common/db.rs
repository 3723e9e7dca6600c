//! Test databases: a SQLite file in a temporary directory, or a fresh PostgreSQL
//! database (created from `ANKETA_TEST_POSTGRES_URL`, dropped afterwards).

use sqlx::Connection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

impl TestDb {
    /// A fresh, empty database. `None` means "skip": PostgreSQL is not configured and we
    /// are not in CI. In CI (`CI` set) a missing configuration fails the test instead.
    pub async fn new(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("anketa.db").display());
                Some(TestDb {
                    url,
                    _dir: Some(dir),
                    postgres: None,
                })
            }
            Backend::Postgres => {
                let admin = match std::env::var("ANKETA_TEST_POSTGRES_URL") {
                    Ok(url) if !url.is_empty() => url,
                    _ if std::env::var_os("CI").is_some() => {
                        panic!(
                            "ANKETA_TEST_POSTGRES_URL must be set in CI: PostgreSQL tests may not be skipped"
                        )
                    }
                    _ => {
                        eprintln!(
                            "skipping PostgreSQL test: set ANKETA_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test"
                        );
                        return None;
                    }
                };
                let name = format!("anketa_test_{}", uuid::Uuid::new_v4().simple());
                let mut conn = sqlx::PgConnection::connect(&admin)
                    .await
                    .unwrap_or_else(|e| panic!("cannot connect to {admin}: {e}"));
                sqlx::query(&format!("CREATE DATABASE \"{name}\""))
                    .execute(&mut conn)
                    .await
                    .expect("create test database");
                conn.close().await.ok();
                let mut url = url::Url::parse(&admin).expect("ANKETA_TEST_POSTGRES_URL is a URL");
                url.set_path(&name);
                Some(TestDb {
                    url: url.to_string(),
                    _dir: None,
                    postgres: Some((admin, name)),
                })
            }
        }
    }
}

impl TestDb {
    /// Run one statement on its own connection, behind the app's back (to damage a row
    /// or take a table away).
    #[allow(dead_code)]
    pub async fn execute(&self, sql: &str) {
        if self.url.starts_with("sqlite:") {
            let mut conn = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        } else {
            let mut conn = sqlx::PgConnection::connect(&self.url).await.unwrap();
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs inside the test's runtime: use a thread with its own runtime.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                    let _ =
                        sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                            .execute(&mut conn)
                            .await;
                }
            });
        })
        .join();
    }
}

/// Generate one test per backend for each scenario `async fn NAME(db: TestDb)`.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    if let Some(db) = $crate::common::db::TestDb::new($crate::common::db::Backend::Sqlite).await {
                        super::$name(db).await;
                    }
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(db) = $crate::common::db::TestDb::new($crate::common::db::Backend::Postgres).await {
                        super::$name(db).await;
                    }
                }
            }
        )*
    };
}
