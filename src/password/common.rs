//! The common-password list and its lookup.
//!
//! The list is `common-passwords.txt` beside this file, made by
//! `tools/gen_common_passwords.py` from the zxcvbn password frequency list
//! (MIT, licence in `common-passwords.LICENSE.txt`): a header of `#` lines,
//! then one entry per line, NFKC and lower-cased, sorted by UTF-8 bytes.
//!
//! The lookup is a binary search straight over the embedded text: no table
//! is built, nothing is allocated, and nothing has to be initialised before
//! the first call (which matters in a browser, where the list is 110 KB).

/// The embedded list, header included.
const LIST: &str = include_str!("common-passwords.txt");

/// The entries: the embedded text after its header of `#` lines.
pub(crate) fn body() -> &'static str {
    let mut rest = LIST;
    while rest.starts_with('#') {
        rest = match rest.find('\n') {
            Some(i) => &rest[i + 1..],
            None => "",
        };
    }
    rest
}

/// Whether `needle` is an entry, compared byte for byte. The caller
/// normalises and lower-cases first.
pub(crate) fn contains(needle: &str) -> bool {
    search(body().as_bytes(), needle.as_bytes())
}

/// Binary search for a whole line in newline-separated text sorted by bytes.
///
/// Invariant: `lo` and `hi` sit at line starts (or the end of `text`) and a
/// matching line, if any, lies in `text[lo..hi]`. Each round looks at the line
/// around the midpoint, so it takes O(log n) rounds of O(line length) work.
fn search(text: &[u8], needle: &[u8]) -> bool {
    use core::cmp::Ordering;

    let (mut lo, mut hi) = (0, text.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = text[lo..mid]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(lo, |i| lo + i + 1);
        let end = text[start..hi]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(hi, |i| start + i);
        match text[start..end].cmp(needle) {
            Ordering::Equal => return true,
            Ordering::Less => lo = (end + 1).min(hi),
            Ordering::Greater => hi = start,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn entries() -> Vec<&'static str> {
        body().lines().collect()
    }

    #[test]
    fn list_is_large_sorted_unique_and_normalised() {
        let entries = entries();
        // SPEC section 5: at least 10,000 common passwords.
        assert!(entries.len() >= 10_000, "{} entries", entries.len());
        for pair in entries.windows(2) {
            assert!(
                pair[0].as_bytes() < pair[1].as_bytes(),
                "{pair:?} out of order"
            );
        }
        for e in &entries {
            assert!(
                e.chars().count() >= super::super::MIN_LEN,
                "{e:?} is shorter than the length rule"
            );
            #[cfg(feature = "unicode-tables")]
            {
                use unicode_normalization::UnicodeNormalization;
                let canonical: String = e.nfkc().collect::<String>().to_lowercase();
                assert_eq!(*e, canonical, "entry not in NFKC lower case");
            }
            assert!(!e.contains(char::is_control), "{e:?}");
        }
        assert!(LIST.starts_with("# Common passwords"), "header missing");
        assert!(LIST.ends_with('\n'));
    }

    #[test]
    fn finds_every_entry_and_nothing_else() {
        let entries = entries();
        let set: HashSet<&str> = entries.iter().copied().collect();
        for e in &entries {
            assert!(contains(e), "{e:?} not found");
            // Neighbours in byte order that are not entries must not be found.
            for probe in [
                format!("{e}0"),
                format!("0{e}"),
                e[..e.len() - 1].to_string(),
                format!("{e}\n"),
                format!("\n{e}"),
            ] {
                assert_eq!(contains(&probe), set.contains(probe.as_str()), "{probe:?}");
            }
        }
        for absent in [
            "",
            "\n",
            "~",
            "~~~~~~~~~~",
            "!",
            "\u{10FFFF}",
            "vq3#Lw9!xZ2m",
        ] {
            assert!(!contains(absent), "{absent:?}");
        }
    }

    #[test]
    fn search_edges_on_tiny_tables() {
        assert!(!search(b"", b"a"));
        assert!(search(b"a\n", b"a"));
        assert!(search(b"a", b"a"));
        assert!(!search(b"a\n", b""));
        let text = b"ab\nabc\nb\nbb\nc\n";
        for line in ["ab", "abc", "b", "bb", "c"] {
            assert!(search(text, line.as_bytes()), "{line}");
        }
        for line in ["a", "abcd", "ba", "bbb", "d", "", "ab\nabc"] {
            assert!(!search(text, line.as_bytes()), "{line}");
        }
    }
}
