//! Respondent sessions live in the same database as the responses, through
//! tower-sessions-sqlx-store; this enum lets one session layer serve either driver. On
//! SQLite, sessions are read through the reader pool and written through the single
//! writer connection, like everything else (see `Store::connect`).

use async_trait::async_trait;
use sqlx::{PgPool, SqlitePool};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

#[derive(Clone, Debug)]
pub enum SessionBackend {
    Sqlite {
        read: SqliteStore,
        write: SqliteStore,
    },
    Postgres(PostgresStore),
}

impl SessionBackend {
    pub(super) fn sqlite(read: SqlitePool, write: SqlitePool) -> SessionBackend {
        SessionBackend::Sqlite {
            read: SqliteStore::new(read),
            write: SqliteStore::new(write),
        }
    }

    pub(super) fn postgres(pool: PgPool) -> SessionBackend {
        SessionBackend::Postgres(PostgresStore::new(pool))
    }

    pub(super) async fn migrate(&self) -> Result<(), sqlx::Error> {
        match self {
            SessionBackend::Sqlite { write, .. } => write.migrate().await,
            SessionBackend::Postgres(s) => s.migrate().await,
        }
    }
}

#[async_trait]
impl SessionStore for SessionBackend {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            SessionBackend::Sqlite { write, .. } => write.create(record).await,
            SessionBackend::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            SessionBackend::Sqlite { write, .. } => write.save(record).await,
            SessionBackend::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            SessionBackend::Sqlite { read, .. } => read.load(id).await,
            SessionBackend::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            SessionBackend::Sqlite { write, .. } => write.delete(id).await,
            SessionBackend::Postgres(s) => s.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for SessionBackend {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            SessionBackend::Sqlite { write, .. } => write.delete_expired().await,
            SessionBackend::Postgres(s) => s.delete_expired().await,
        }
    }
}

impl super::Store {
    /// How many sessions are stored (the session stores' default tables).
    pub async fn session_count(&self) -> Result<i64, super::StoreError> {
        Ok(match &self.pool {
            super::Pool::Sqlite { read, .. } => {
                sqlx::query_scalar("SELECT COUNT(*) FROM tower_sessions")
                    .fetch_one(read)
                    .await?
            }
            super::Pool::Postgres(pool) => {
                sqlx::query_scalar("SELECT COUNT(*) FROM tower_sessions.session")
                    .fetch_one(pool)
                    .await?
            }
        })
    }
}
