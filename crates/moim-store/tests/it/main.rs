//! moim-store's integration tests, one test binary, the layout of every
//! crate's (`tests/it/`, helpers in `support/`). The PostgreSQL cluster is
//! started once for the binary (`support::postgres_cluster`) and each test
//! gets a database of its own.

mod support;

/// Declares `scenario` as two tests, `sqlite` and `postgres`, each given a
/// fresh, empty store.
macro_rules! contract {
    ($($scenario:ident),* $(,)?) => {$(
        mod $scenario {
            #[tokio::test]
            async fn sqlite() {
                let dir = crate::support::TempDir::new();
                let store = moim_store::Store::open_sqlite(&dir.0).await.expect("open SQLite");
                super::$scenario(store).await;
            }
            #[tokio::test]
            async fn postgres() {
                super::$scenario(crate::support::postgres_store().await).await;
            }
        }
    )*};
}

mod contract;
mod meetings;
