//! Two people with one name in a meeting are told apart: the later one's name
//! gets a number (`Mina (2)`), so nobody can pass for someone else by typing
//! their name, and the people panel and chat never show two identical names.

use crate::rooms::Member;
use crate::validate::limits;

/// The name `wanted` becomes beside `others`: itself when no one else has it
/// (ignoring case), else the first free `wanted (n)`, n ≥ 2, cut to fit the
/// name limit.
pub fn distinct(wanted: &str, others: &[Member]) -> String {
    let taken = |name: &str| {
        let name = name.to_lowercase();
        others.iter().any(|m| m.name.to_lowercase() == name)
    };
    if !taken(wanted) {
        return wanted.to_owned();
    }
    // Rooms hold at most a few hundred people: a free number is always near.
    (2..)
        .map(|n| {
            let suffix = format!(" ({n})");
            let room = limits::NAME.saturating_sub(suffix.chars().count());
            let base: String = wanted.chars().take(room).collect();
            format!("{}{suffix}", base.trim_end())
        })
        .find(|name| !taken(name))
        .unwrap_or_else(|| wanted.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rooms::MemberId;

    fn people(names: &[&str]) -> Vec<Member> {
        names
            .iter()
            .map(|n| Member::named(MemberId::new(), n))
            .collect()
    }

    #[test]
    fn a_free_name_is_kept() {
        assert_eq!(distinct("Mina", &people(&["Jun", "Ara"])), "Mina");
        assert_eq!(distinct("Mina", &[]), "Mina");
    }

    #[test]
    fn a_taken_name_gets_the_first_free_number_whatever_the_case() {
        assert_eq!(distinct("Mina", &people(&["Jun", "Mina"])), "Mina (2)");
        assert_eq!(distinct("mina", &people(&["MINA"])), "mina (2)");
        assert_eq!(
            distinct("Mina", &people(&["Mina", "Mina (2)", "Mina (3)"])),
            "Mina (4)"
        );
        assert_eq!(distinct("민아", &people(&["민아"])), "민아 (2)");
    }

    #[test]
    fn a_long_name_is_cut_to_keep_its_number_within_the_limit() {
        let long = "a".repeat(limits::NAME);
        let got = distinct(&long, &people(&[&long]));
        assert_eq!(got.chars().count(), limits::NAME);
        assert!(got.ends_with(" (2)"), "{got}");
    }
}
