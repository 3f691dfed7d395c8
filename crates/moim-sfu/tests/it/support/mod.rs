//! The integration tests' helpers: `net`, an in-memory network where str0m
//! `Rtc`s play the browsers (also `examples/core_cost.rs`'s, by path).

pub mod net;
