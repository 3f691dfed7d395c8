//! [`Store`]: the two back ends behind one enum.
//!
//! An enum rather than a trait object or `sqlx::Any`: there are exactly two
//! back ends, most queries are the same text for both (`$1` placeholders work
//! in sqlx's SQLite driver too), and the one that differs (the batch insert)
//! is a plain `match`.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::message::{NewMessage, Page, StoredMessage};

/// The SQLite file's name inside the data dir.
pub const SQLITE_FILE: &str = "history.sqlite3";

/// Rows per SQLite INSERT: six parameters each, well under SQLite's limit of
/// 32,766 parameters per statement.
const SQLITE_ROWS_PER_INSERT: usize = 1000;

/// How long a request waits for a connection before it is an error: a store
/// that is down must turn into a quick, clear error, not a hanging ack.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// Why the store could not do something.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// `--database-url` names a database moim does not speak.
    #[error("unsupported database URL (expected postgres://…): {0}")]
    UnsupportedUrl(String),
    /// The database refused or could not be reached.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// The message store: a connection pool of one of the two back ends.
#[derive(Debug, Clone)]
pub enum Store {
    /// The embedded default: one file, WAL mode.
    Sqlite(SqlitePool),
    /// PostgreSQL, shared by the nodes of a cluster.
    Postgres(PgPool),
}

impl Store {
    /// Opens (creating on first start) the SQLite file in `data_dir` and
    /// applies the migrations.
    ///
    /// WAL lets readers (history pages) run beside the one writer;
    /// `synchronous = FULL` syncs every commit, so an acknowledged message
    /// survives even a power cut. Group commit ([`crate::Journal`]) is what
    /// makes one sync per batch affordable.
    pub async fn open_sqlite(data_dir: &Path) -> Result<Store, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(data_dir.join(SQLITE_FILE))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(Store::Sqlite(pool))
    }

    /// A store in memory, gone when dropped: for tests of what builds on the
    /// store. One connection, since each connection to `:memory:` is a
    /// database of its own.
    pub async fn open_memory() -> Result<Store, StoreError> {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(SqliteConnectOptions::from_str("sqlite::memory:")?)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(Store::Sqlite(pool))
    }

    /// Connects to the PostgreSQL at `url` (`postgres://…`) and applies the
    /// migrations. PostgreSQL's migrations take an advisory lock, so several
    /// nodes starting at once do not trip over each other.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(options)
                .await?;
            sqlx::migrate!("./migrations/postgres").run(&pool).await?;
            Ok(Store::Postgres(pool))
        } else {
            Err(StoreError::UnsupportedUrl(url.to_owned()))
        }
    }

    /// `"sqlite"` or `"postgres"`, for logs and benchmarks.
    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// Stores `batch` atomically (all or none) and returns the ids given, in
    /// the batch's order, each larger than every id given before.
    pub async fn append(&self, batch: &[NewMessage]) -> Result<Vec<i64>, StoreError> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        match self {
            Store::Sqlite(pool) => {
                // One multi-row INSERT per chunk: sqlx's SQLite driver hands
                // every statement to its worker thread, so one statement for
                // the batch, not one per row. AUTOINCREMENT gives the rows
                // their ids in VALUES order; RETURNING lists them in no
                // promised order, so they are sorted (as for PostgreSQL).
                let mut tx = pool.begin().await?;
                let mut ids = Vec::with_capacity(batch.len());
                for chunk in batch.chunks(SQLITE_ROWS_PER_INSERT) {
                    let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                        "INSERT INTO messages (space, room, author_id, author_name, body, ts) ",
                    );
                    insert.push_values(chunk, |mut row, m| {
                        row.push_bind(&m.space)
                            .push_bind(&m.room)
                            .push_bind(&m.author_id)
                            .push_bind(&m.author_name)
                            .push_bind(&m.text)
                            .push_bind(m.ts);
                    });
                    insert.push(" RETURNING id");
                    let mut chunk_ids: Vec<i64> = insert
                        .build_query_scalar()
                        .persistent(false)
                        .fetch_all(&mut *tx)
                        .await?;
                    chunk_ids.sort_unstable();
                    ids.extend(chunk_ids);
                }
                tx.commit().await?;
                Ok(ids)
            }
            Store::Postgres(pool) => {
                // Over the network every statement is a round trip, so two for
                // the whole batch: draw the ids, then one INSERT (atomic by
                // itself) of every row through arrays.
                let mut ids: Vec<i64> = sqlx::query_scalar(
                    "SELECT nextval(pg_get_serial_sequence('messages', 'id')) \
                     FROM generate_series(1, $1)",
                )
                .bind(batch.len() as i64)
                .fetch_all(pool)
                .await?;
                // Row order of a SELECT is not promised; the ids' order is.
                ids.sort_unstable();
                let column = |f: fn(&NewMessage) -> &str| batch.iter().map(f).collect::<Vec<_>>();
                sqlx::query(
                    "INSERT INTO messages (id, space, room, author_id, author_name, body, ts) \
                     SELECT * FROM UNNEST($1::int8[], $2::text[], $3::text[], $4::text[], \
                                          $5::text[], $6::text[], $7::int8[])",
                )
                .bind(&ids)
                .bind(column(|m| &m.space))
                .bind(column(|m| &m.room))
                .bind(column(|m| &m.author_id))
                .bind(column(|m| &m.author_name))
                .bind(column(|m| &m.text))
                .bind(batch.iter().map(|m| m.ts).collect::<Vec<_>>())
                .execute(pool)
                .await?;
                Ok(ids)
            }
        }
    }

    /// The newest `limit` messages of `room` in `space` with an id below
    /// `before` (all when `None`), oldest first. `limit` is capped at
    /// [`crate::MAX_PAGE`].
    pub async fn page(
        &self,
        space: &str,
        room: &str,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Page, StoreError> {
        let limit = limit.min(crate::MAX_PAGE);
        type Row = (i64, String, String, String, i64);
        // One more than asked tells whether there are older ones.
        let rows: Vec<Row> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, author_id, author_name, body, ts FROM messages \
                 WHERE space = $1 AND room = $2 AND id < $3 ORDER BY id DESC LIMIT $4",
            )
            .bind(space)
            .bind(room)
            .bind(before.unwrap_or(i64::MAX))
            .bind(i64::from(limit) + 1)
            .fetch_all(pool)
            .await?
        });
        let more = rows.len() > limit as usize;
        let mut messages: Vec<StoredMessage> = rows
            .into_iter()
            .take(limit as usize)
            .map(|(id, author_id, author_name, text, ts)| StoredMessage {
                id,
                author_id,
                author_name,
                text,
                ts,
            })
            .collect();
        messages.reverse();
        Ok(Page { messages, more })
    }

    /// Deletes messages older than `before_ts` (ms since the epoch).
    pub async fn delete_older_than(&self, before_ts: i64) -> Result<u64, StoreError> {
        let done = on_pool!(self, |pool| {
            sqlx::query("DELETE FROM messages WHERE ts < $1")
                .bind(before_ts)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(done)
    }

    /// Keeps only the newest `keep` messages of every room.
    pub async fn keep_newest_per_room(&self, keep: u32) -> Result<u64, StoreError> {
        let done = on_pool!(self, |pool| {
            sqlx::query(
                "DELETE FROM messages WHERE id IN (\
                   SELECT id FROM (\
                     SELECT id, ROW_NUMBER() OVER (PARTITION BY space, room ORDER BY id DESC) AS n \
                     FROM messages) AS ranked \
                   WHERE n > $1)",
            )
            .bind(i64::from(keep))
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(done)
    }

    /// Closes the pool (waits for connections to finish).
    pub async fn close(&self) {
        on_pool!(self, |pool| pool.close().await)
    }
}
