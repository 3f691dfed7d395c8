//! Which precompressed copy of a file a request may have: the build writes a
//! Brotli (`.br`) and a gzip (`.gz`) copy beside each text file of the UI
//! (`web/build/precompress.ts`); this reads `Accept-Encoding` to choose.

/// A content coding the build may have prepared, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Coding {
    Brotli,
    Gzip,
}

impl Coding {
    /// The suffix of the copy in the build, and the `Content-Encoding` value.
    pub(super) fn suffix(self) -> &'static str {
        match self {
            Coding::Brotli => ".br",
            Coding::Gzip => ".gz",
        }
    }

    pub(super) fn token(self) -> &'static str {
        match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gzip",
        }
    }
}

/// The codings `accept` (an `Accept-Encoding` value) allows, best first.
/// A coding is allowed when it is named, or `*` is, with a quality above 0;
/// an explicit `q=0` refuses it even when `*` allows the rest. Quality values
/// other than 0 do not reorder: Brotli is always the smaller copy.
pub(super) fn accepted(accept: &str) -> Vec<Coding> {
    let mut named: Vec<(&str, bool)> = Vec::new();
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        if name.is_empty() {
            continue;
        }
        let allowed = parts
            .filter_map(|p| p.trim().strip_prefix("q=").or(p.trim().strip_prefix("Q=")))
            .all(|q| q.trim().parse::<f32>().is_ok_and(|q| q > 0.0));
        named.push((name, allowed));
    }
    let verdict = |token: &str| {
        let exact = named.iter().find(|(n, _)| n.eq_ignore_ascii_case(token));
        let any = named.iter().find(|(n, _)| *n == "*");
        exact.or(any).is_some_and(|(_, allowed)| *allowed)
    };
    [Coding::Brotli, Coding::Gzip]
        .into_iter()
        .filter(|c| verdict(c.token()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{Coding::*, accepted};

    #[test]
    fn browsers_get_brotli_first_then_gzip() {
        assert_eq!(accepted("gzip, deflate, br, zstd"), [Brotli, Gzip]);
        assert_eq!(accepted("br;q=1.0, gzip;q=0.8, *;q=0.1"), [Brotli, Gzip]);
    }

    #[test]
    fn only_what_is_named_or_starred() {
        assert_eq!(accepted("gzip"), [Gzip]);
        assert_eq!(accepted("GZIP"), [Gzip]);
        assert_eq!(accepted("deflate"), []);
        assert_eq!(accepted(""), []);
        assert_eq!(accepted("identity"), []);
        assert_eq!(accepted("*"), [Brotli, Gzip]);
    }

    #[test]
    fn a_zero_quality_refuses_even_under_a_star() {
        assert_eq!(accepted("br;q=0, *"), [Gzip]);
        assert_eq!(accepted("gzip;q=0, br;q=0"), []);
        assert_eq!(accepted("br;q=0.000"), []);
        assert_eq!(accepted("br;q=nonsense"), []);
    }
}
