//! A small backtracking regular-expression matcher for the subset that
//! libphonenumber's metadata uses, over strings of ASCII digits.
//!
//! Supported: the digits `0`-`9`, `\d`, classes of digits and digit ranges
//! (`[2-9]`, `[0-24-8]`, `[\d]`), non-capturing `(?:...)` and capturing
//! `(...)` groups, alternation `|`, the quantifiers `?`, `{n}` and `{n,m}`
//! (greedy), and the end anchor `$`. Anything else is rejected when the
//! pattern is compiled, so a metadata update that starts using a new
//! construct fails loudly in the tests instead of matching wrongly.
//!
//! Why not the `regex` crate: it adds hundreds of kilobytes to the browser
//! build, and the metadata needs none of its power. Matching follows the
//! semantics of Java's and Python's backtracking engines (which
//! libphonenumber runs on): alternatives are tried left to right and
//! quantifiers are greedy, so a prefix match captures the same groups.
//!
//! Cost: patterns are trusted (they come from the bundled metadata) and the
//! subject is at most a few dozen digits, so backtracking stays small; there
//! are no unbounded quantifiers.
//!
//! The npm package's browser build (wasm32 with `browser` and without
//! `phone-metadata`) leaves this engine out and runs the same patterns
//! through the JS host's `RegExp` (`host`), which has these semantics
//! too; everything else here (errors, matches, transform rules) is shared.

use std::fmt;

/// The browser build (wasm32 with `browser`, the table loaded at run time)
/// matches with the host's `RegExp` instead of the engine below.
#[cfg(all(
    target_arch = "wasm32",
    feature = "browser",
    not(feature = "phone-metadata")
))]
mod host;
#[cfg(all(
    target_arch = "wasm32",
    feature = "browser",
    not(feature = "phone-metadata")
))]
pub(crate) use host::Regex;

#[cfg(not(all(
    target_arch = "wasm32",
    feature = "browser",
    not(feature = "phone-metadata")
)))]
/// Largest repetition count accepted in `{n,m}`; the metadata never needs
/// more than a phone number's length.
const MAX_REPEAT: u16 = 64;

#[cfg(not(all(
    target_arch = "wasm32",
    feature = "browser",
    not(feature = "phone-metadata")
)))]
/// A compiled pattern.
#[derive(Debug, Clone)]
pub(crate) struct Regex {
    alts: Vec<Vec<Node>>,
    groups: usize,
}

#[cfg(not(all(
    target_arch = "wasm32",
    feature = "browser",
    not(feature = "phone-metadata")
)))]
#[derive(Debug, Clone)]
enum Node {
    /// A set of digits, bit `d` set for digit `d`; a literal digit is a
    /// one-element set.
    Class(u16),
    /// A group of alternatives; `Some(i)` for capturing group `i` (1-based).
    Group(Vec<Vec<Node>>, Option<usize>),
    /// A greedy repetition of its node between `min` and `max` times.
    Repeat(Box<Node>, u16, u16),
    /// `$`: the end of the subject.
    End,
}

/// Why a pattern could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RegexError {
    /// Byte offset in the pattern where the problem was found.
    pub at: usize,
    /// What was wrong.
    pub what: &'static str,
}

impl RegexError {
    /// What [`Display`](fmt::Display) writes, built without `core::fmt`
    /// (see `MetadataError::message`).
    pub(crate) fn message(&self) -> String {
        let mut out = String::from(self.what);
        out.push_str(" at byte ");
        crate::digits::push_decimal(&mut out, self.at);
        out
    }
}

impl fmt::Display for RegexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// A successful prefix match: where it ended and what each group captured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Match {
    /// Byte offset just past the match.
    pub end: usize,
    /// Span of each capturing group (index 0 is group 1), `None` when the
    /// group took no part in the match.
    pub groups: Vec<Option<(usize, usize)>>,
}

#[cfg(not(all(
    target_arch = "wasm32",
    feature = "browser",
    not(feature = "phone-metadata")
)))]
const ALL_DIGITS: u16 = 0x3ff;

#[cfg(not(all(
    target_arch = "wasm32",
    feature = "browser",
    not(feature = "phone-metadata")
)))]
struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    groups: usize,
}

#[cfg(not(all(
    target_arch = "wasm32",
    feature = "browser",
    not(feature = "phone-metadata")
)))]
impl Parser<'_> {
    fn err(&self, what: &'static str) -> RegexError {
        RegexError { at: self.pos, what }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn alternation(&mut self, depth: usize) -> Result<Vec<Vec<Node>>, RegexError> {
        // Nesting in the metadata is shallow; the bound keeps a hostile
        // pattern (a separately loaded table) from exhausting the stack.
        if depth > 32 {
            return Err(self.err("groups nested too deeply"));
        }
        let mut alts = vec![self.sequence(depth)?];
        while self.eat(b'|') {
            alts.push(self.sequence(depth)?);
        }
        Ok(alts)
    }

    fn sequence(&mut self, depth: usize) -> Result<Vec<Node>, RegexError> {
        let mut seq = Vec::new();
        while let Some(b) = self.peek() {
            let atom = match b {
                b'|' | b')' => break,
                b'0'..=b'9' => {
                    self.pos += 1;
                    Node::Class(1 << (b - b'0'))
                }
                b'\\' => {
                    self.pos += 1;
                    if !self.eat(b'd') {
                        return Err(self.err("only the escape \\d is supported"));
                    }
                    Node::Class(ALL_DIGITS)
                }
                b'[' => {
                    self.pos += 1;
                    Node::Class(self.class()?)
                }
                b'(' => {
                    self.pos += 1;
                    let capture = if self.eat(b'?') {
                        if !self.eat(b':') {
                            return Err(self.err("only (?: groups are supported"));
                        }
                        None
                    } else {
                        self.groups += 1;
                        Some(self.groups)
                    };
                    let alts = self.alternation(depth + 1)?;
                    if !self.eat(b')') {
                        return Err(self.err("unclosed group"));
                    }
                    Node::Group(alts, capture)
                }
                b'$' => {
                    self.pos += 1;
                    Node::End
                }
                _ => return Err(self.err("unsupported character")),
            };
            seq.push(self.quantified(atom)?);
        }
        Ok(seq)
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, RegexError> {
        let (min, max) = if self.eat(b'?') {
            (0, 1)
        } else if self.eat(b'{') {
            let min = self.number()?;
            let max = if self.eat(b',') { self.number()? } else { min };
            if !self.eat(b'}') {
                return Err(self.err("unclosed {"));
            }
            if min > max {
                return Err(self.err("repetition with min above max"));
            }
            (min, max)
        } else {
            return Ok(atom);
        };
        if matches!(atom, Node::End) {
            return Err(self.err("quantified $"));
        }
        if matches!(self.peek(), Some(b'?' | b'{' | b'*' | b'+')) {
            return Err(self.err("stacked or lazy quantifiers are not supported"));
        }
        Ok(Node::Repeat(Box::new(atom), min, max))
    }

    fn number(&mut self) -> Result<u16, RegexError> {
        let start = self.pos;
        let mut n: u16 = 0;
        while let Some(b @ b'0'..=b'9') = self.peek() {
            self.pos += 1;
            n = n * 10 + u16::from(b - b'0');
            if n > MAX_REPEAT {
                return Err(self.err("repetition count too large"));
            }
        }
        if self.pos == start {
            return Err(self.err("expected a number"));
        }
        Ok(n)
    }

    fn class(&mut self) -> Result<u16, RegexError> {
        let mut set = 0u16;
        let mut empty = true;
        loop {
            match self.peek() {
                None => return Err(self.err("unclosed [")),
                Some(b']') if !empty => {
                    self.pos += 1;
                    return Ok(set);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    if !self.eat(b'd') {
                        return Err(self.err("only the escape \\d is supported"));
                    }
                    set |= ALL_DIGITS;
                }
                Some(lo @ b'0'..=b'9') => {
                    self.pos += 1;
                    let mut hi = lo;
                    if self.peek() == Some(b'-')
                        && matches!(self.s.get(self.pos + 1), Some(b'0'..=b'9'))
                    {
                        hi = self.s[self.pos + 1];
                        self.pos += 2;
                        if hi < lo {
                            return Err(self.err("reversed range in class"));
                        }
                    }
                    for d in lo..=hi {
                        set |= 1 << (d - b'0');
                    }
                }
                Some(_) => return Err(self.err("unsupported character in class")),
            }
            empty = false;
        }
    }
}

/// Continuation called with the position reached and the captures so far;
/// returns `true` to accept the match.
#[cfg(not(all(
    target_arch = "wasm32",
    feature = "browser",
    not(feature = "phone-metadata")
)))]
type Cont<'k> = dyn FnMut(usize, &mut [Option<(usize, usize)>]) -> bool + 'k;

#[cfg(not(all(
    target_arch = "wasm32",
    feature = "browser",
    not(feature = "phone-metadata")
)))]
impl Regex {
    /// Compiles `pattern`.
    ///
    /// # Errors
    ///
    /// A [`RegexError`] when the pattern uses anything outside the subset.
    pub(crate) fn new(pattern: &str) -> Result<Regex, RegexError> {
        let mut p = Parser {
            s: pattern.as_bytes(),
            pos: 0,
            groups: 0,
        };
        let alts = p.alternation(0)?;
        if p.pos != p.s.len() {
            return Err(p.err("unbalanced )"));
        }
        Ok(Regex {
            alts,
            groups: p.groups,
        })
    }

    /// Number of capturing groups.
    #[cfg(test)]
    pub(crate) fn group_count(&self) -> usize {
        self.groups
    }

    /// Whether the whole of `subject` matches (Java `matches()`, Python
    /// `fullmatch`).
    pub(crate) fn is_full_match(&self, subject: &str) -> bool {
        let s = subject.as_bytes();
        let mut caps = vec![None; self.groups];
        self.alt(&self.alts, s, 0, &mut caps, &mut |p, _| p == s.len())
    }

    /// The match anchored at the start of `subject`, which need not reach
    /// its end (Java `lookingAt()`, Python `re.match`).
    pub(crate) fn match_prefix(&self, subject: &str) -> Option<Match> {
        let s = subject.as_bytes();
        let mut caps = vec![None; self.groups];
        let mut found = None;
        let ok = self.alt(&self.alts, s, 0, &mut caps, &mut |p, c| {
            found = Some(Match {
                end: p,
                groups: c.to_vec(),
            });
            true
        });
        if ok {
            found
        } else {
            None
        }
    }

    fn alt(
        &self,
        alts: &[Vec<Node>],
        s: &[u8],
        pos: usize,
        caps: &mut [Option<(usize, usize)>],
        k: &mut Cont<'_>,
    ) -> bool {
        alts.iter().any(|seq| self.seq(seq, s, pos, caps, k))
    }

    fn seq(
        &self,
        seq: &[Node],
        s: &[u8],
        pos: usize,
        caps: &mut [Option<(usize, usize)>],
        k: &mut Cont<'_>,
    ) -> bool {
        match seq.split_first() {
            None => k(pos, caps),
            Some((node, rest)) => {
                self.node(node, s, pos, caps, &mut |p, c| self.seq(rest, s, p, c, k))
            }
        }
    }

    fn node(
        &self,
        node: &Node,
        s: &[u8],
        pos: usize,
        caps: &mut [Option<(usize, usize)>],
        k: &mut Cont<'_>,
    ) -> bool {
        match node {
            Node::Class(set) => match s.get(pos) {
                Some(&b @ b'0'..=b'9') if set & (1 << (b - b'0')) != 0 => k(pos + 1, caps),
                _ => false,
            },
            Node::End => pos == s.len() && k(pos, caps),
            Node::Group(alts, None) => self.alt(alts, s, pos, caps, k),
            Node::Group(alts, Some(i)) => {
                let slot = i - 1;
                self.alt(alts, s, pos, caps, &mut |p, c| {
                    let old = c[slot];
                    c[slot] = Some((pos, p));
                    if k(p, c) {
                        return true;
                    }
                    c[slot] = old;
                    false
                })
            }
            Node::Repeat(inner, min, max) => self.repeat(inner, *min, *max, 0, s, pos, caps, k),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn repeat(
        &self,
        inner: &Node,
        min: u16,
        max: u16,
        count: u16,
        s: &[u8],
        pos: usize,
        caps: &mut [Option<(usize, usize)>],
        k: &mut Cont<'_>,
    ) -> bool {
        // Greedy: one more iteration first, then stop here. An iteration
        // that consumes nothing is only taken while below `min`, so
        // backtracking always terminates.
        if count < max
            && self.node(inner, s, pos, caps, &mut |p, c| {
                (p != pos || count < min) && self.repeat(inner, min, max, count + 1, s, p, c, k)
            })
        {
            return true;
        }
        count >= min && k(pos, caps)
    }
}

/// Applies a libphonenumber transform rule such as `9\1` to a prefix match
/// of `subject`: the rule with `\N` replaced by group `N` (empty when the
/// group did not take part), followed by the rest of the subject after the
/// match. This is Python's `re.sub(pattern, rule, subject, count=1)` for a
/// match at the start.
pub(crate) fn apply_transform(rule: &str, m: &Match, subject: &str) -> String {
    let mut out = String::with_capacity(rule.len() + subject.len());
    let mut chars = rule.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' || c == '$' {
            if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                chars.next();
                let span = (d as usize)
                    .checked_sub(1)
                    .and_then(|i| m.groups.get(i).copied().flatten());
                if let Some((a, b)) = span {
                    out.push_str(subject.get(a..b).unwrap_or(""));
                }
                continue;
            }
        }
        out.push(c);
    }
    out.push_str(subject.get(m.end..).unwrap_or(""));
    out
}

#[cfg(all(
    test,
    not(all(
        target_arch = "wasm32",
        feature = "browser",
        not(feature = "phone-metadata")
    ))
))]
mod tests {
    use super::*;

    fn full(p: &str, s: &str) -> bool {
        Regex::new(p).unwrap().is_full_match(s)
    }

    #[test]
    fn literals_and_digit_escape() {
        assert!(full("123", "123"));
        assert!(!full("123", "1234"));
        assert!(!full("123", "12"));
        assert!(full("\\d\\d", "07"));
        assert!(!full("\\d", ""));
        assert!(full("", ""));
        assert!(!full("", "1"));
    }

    #[test]
    fn classes_and_ranges() {
        assert!(full("[2-9]", "2"));
        assert!(full("[2-9]", "9"));
        assert!(!full("[2-9]", "1"));
        assert!(full("[0-24-8]", "4"));
        assert!(!full("[0-24-8]", "3"));
        assert!(!full("[0-24-8]", "9"));
        assert!(full("[13579]", "7"));
        assert!(!full("[13579]", "8"));
        assert!(full("[\\d]", "5"));
        // The subject is digits only: nothing else ever matches.
        assert!(!full("\\d", "a"));
        assert!(!full("[0-9]", "-"));
    }

    #[test]
    fn counted_repetition() {
        let re = Regex::new("\\d{5,14}").unwrap();
        assert!(!re.is_full_match("1234"));
        assert!(re.is_full_match("12345"));
        assert!(re.is_full_match("12345678901234"));
        assert!(!re.is_full_match("123456789012345"));
        assert!(full("7{3}", "777"));
        assert!(!full("7{3}", "77"));
        assert!(full("1?2", "2"));
        assert!(full("1?2", "12"));
        assert!(!full("1?2", "112"));
        assert!(full("[1-3]{0,2}4", "4"));
    }

    #[test]
    fn groups_and_alternation() {
        // From DE's mobile pattern.
        let re = Regex::new("1(?:6[023]|7\\d)\\d{7,8}|15(?:[0-25-9]\\d\\d|3(?:10|33)|410)\\d{6}")
            .unwrap();
        assert!(re.is_full_match("15123456789"));
        assert!(re.is_full_match("1701234567"));
        assert!(!re.is_full_match("1641234567"));
        assert!(re.is_full_match("15410123456"));
        assert!(!re.is_full_match("15420123456"));
        // Backtracking into an earlier alternative is needed here: the
        // first branch of the group matches "12" but then the tail fails.
        assert!(full("(?:12|1)23", "123"));
        assert!(full("(?:1|12)3", "123"));
        assert!(full("(?:\\d{2})?\\d{3}", "123"));
        assert!(full("(?:\\d{2})?\\d{3}", "12345"));
        assert!(!full("(?:\\d{2})?\\d{3}", "1234"));
        assert!(full("(?:)?1", "1"));
    }

    #[test]
    fn prefix_match_prefers_first_alternative_and_greed() {
        let re = Regex::new("0|01").unwrap();
        assert_eq!(re.match_prefix("0123").unwrap().end, 1);
        let re = Regex::new("01|0").unwrap();
        assert_eq!(re.match_prefix("0123").unwrap().end, 2);
        let re = Regex::new("0?1?").unwrap();
        assert_eq!(re.match_prefix("0123").unwrap().end, 2);
        assert_eq!(re.match_prefix("999").unwrap().end, 0);
        assert!(Regex::new("00").unwrap().match_prefix("0").is_none());
    }

    #[test]
    fn captures_and_end_anchor() {
        // AG's national prefix for parsing: a 7-digit local number gets the
        // area code through the transform rule, "1" is a plain prefix.
        let re = Regex::new("([457]\\d{6})$|1").unwrap();
        assert_eq!(re.group_count(), 1);
        let m = re.match_prefix("4601234").unwrap();
        assert_eq!(m.end, 7);
        assert_eq!(m.groups, vec![Some((0, 7))]);
        assert_eq!(apply_transform("268\\1", &m, "4601234"), "2684601234");
        // Too long for the anchored branch: falls back to "1".
        let m = re.match_prefix("12684601234").unwrap();
        assert_eq!((m.end, m.groups.clone()), (1, vec![None]));
        assert_eq!(
            apply_transform("268\\1", &m, "12684601234"),
            "2682684601234"
        );
        assert!(re.match_prefix("2684601234").is_none());
    }

    #[test]
    fn argentine_carrier_prefix() {
        // 0 + area code 11 + mobile token 15 becomes 9 + 11.
        let re = Regex::new("0?(?:(11|2(?:2(?:02?|[13]))|3(?:3(?:2[79]|6)))15)?").unwrap();
        let m = re.match_prefix("01115234567").unwrap();
        assert_eq!(m.end, 5);
        assert_eq!(m.groups, vec![Some((1, 3))]);
        assert_eq!(apply_transform("9\\1", &m, "01115234567"), "911234567");
        let m = re.match_prefix("01123456789").unwrap();
        assert_eq!((m.end, m.groups.clone()), (1, vec![None]));
    }

    #[test]
    fn nested_capture_groups_and_second_group() {
        // BR: (?:0|90)(?:(carrier)(\d{10,11}))?, rule \2.
        let re = Regex::new("(?:0|90)(?:(1[245]|2[1-35]|31)(\\d{10,11}))?").unwrap();
        let m = re.match_prefix("0141123456789").unwrap();
        assert_eq!(m.groups, vec![Some((1, 3)), Some((3, 13))]);
        assert_eq!(apply_transform("\\2", &m, "0141123456789"), "1123456789");
    }

    #[test]
    fn rejects_constructs_outside_the_subset() {
        for bad in [
            "a", "\\w", "1*", "1+", "[^1]", "(?=1)", "(1", "1)", "[1", "1{2", "1{3,2}", "1??",
            "^1", "1{99}", "[]", "$?",
        ] {
            assert!(Regex::new(bad).is_err(), "{bad:?} should be rejected");
        }
        let deep = "(?:".repeat(40) + &")".repeat(40);
        assert!(Regex::new(&deep).is_err());
    }
}
