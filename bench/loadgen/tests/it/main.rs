//! moim-loadgen's integration tests, one test binary, laid out as every
//! crate's (`tests/it/`).

mod sfu_load;
