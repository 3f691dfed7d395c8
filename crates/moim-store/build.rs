//! `sqlx::migrate!` embeds `migrations/` at compile time; without this line a
//! new migration would not be picked up until something else changed.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
