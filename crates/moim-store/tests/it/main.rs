//! moim-store's integration tests, one test binary, the layout of every
//! crate's (`tests/it/`, helpers in `support/`). The PostgreSQL cluster is
//! started once for the binary (`support::postgres_cluster`) and each test
//! gets a database of its own.

mod support;

mod contract;
