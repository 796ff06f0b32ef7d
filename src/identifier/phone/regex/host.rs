//! The browser build's matcher: the JS host's `RegExp`, which runs
//! libphonenumber's patterns with the semantics of the engine it replaces
//! (a backtracking engine: alternatives left to right, greedy quantifiers,
//! `\d` as `[0-9]`, `$` as the end of the subject), so the browser leaves
//! that engine out (about 1.3 KB gzipped; docs/browser-size.md).
//!
//! Patterns are wrapped as `^(?:p)$` for full matches and `^(?:p)` for
//! prefix matches (the latter compiled on first use), with the `d` flag so
//! that a match reports the span of each group. JS values are not `Sync`, so they cannot live in the
//! metadata's `static`; they live in a per-thread list (wasm32 has one
//! thread) and a [`Regex`] is an index into it. Nothing is ever removed:
//! a table is installed once for the life of the page.
//!
//! Unlike the engine, the host accepts any JS pattern; the native test
//! suite is what holds the shipped table to the supported subset.

use std::cell::RefCell;

use js_sys::{Array, Reflect, RegExp};
use wasm_bindgen::prelude::*;

use super::super::concat;
use super::{Match, RegexError};

/// A compiled pattern's host objects.
struct Compiled {
    /// `^(?:p)$`, compiled with the pattern (which checks it).
    full: RegExp,
    /// `^(?:p)`, compiled on the first prefix match: most patterns are only
    /// ever matched in full, so this halves the `RegExp`s made while a table
    /// (about 1,800 patterns) loads.
    prefix: Option<RegExp>,
    pattern: Box<str>,
}

thread_local! {
    static COMPILED: RefCell<Vec<Compiled>> = const { RefCell::new(Vec::new()) };
}

#[wasm_bindgen]
extern "C" {
    /// The host's `RegExp`, for a constructor that reports a refused
    /// pattern (`js_sys::RegExp::new` does not).
    #[wasm_bindgen(js_name = RegExp)]
    type HostRegExp;

    /// `new RegExp(source, flags)`; `Err` with the `SyntaxError` of a
    /// pattern the host refuses.
    #[wasm_bindgen(constructor, js_class = "RegExp", catch)]
    fn new(source: &str, flags: &str) -> Result<HostRegExp, JsValue>;
}

/// A compiled pattern: an index into `COMPILED`.
#[derive(Debug, Clone)]
pub(crate) struct Regex {
    id: usize,
}

impl Regex {
    /// Compiles `pattern`.
    ///
    /// # Errors
    ///
    /// A [`RegexError`] when the host's `RegExp` refuses the pattern.
    pub(crate) fn new(pattern: &str) -> Result<Regex, RegexError> {
        let full = compile(&concat(&["^(?:", pattern, ")$"])).ok_or(RegexError {
            at: 0,
            what: "not a pattern the host's RegExp accepts",
        })?;
        Ok(COMPILED.with(|c| {
            let mut c = c.borrow_mut();
            c.push(Compiled {
                full,
                prefix: None,
                pattern: pattern.into(),
            });
            Regex { id: c.len() - 1 }
        }))
    }

    /// Whether the whole of `subject` matches (Java `matches()`).
    pub(crate) fn is_full_match(&self, subject: &str) -> bool {
        COMPILED.with(|c| {
            c.borrow()
                .get(self.id)
                .is_some_and(|e| e.full.test(subject))
        })
    }

    /// The match anchored at the start of `subject`, which need not reach
    /// its end (Java `lookingAt()`). `subject` is ASCII (the phone parser
    /// passes digits), so the host's UTF-16 offsets are byte offsets.
    pub(crate) fn match_prefix(&self, subject: &str) -> Option<Match> {
        let found = COMPILED.with(|c| {
            let mut c = c.borrow_mut();
            let entry = c.get_mut(self.id)?;
            if entry.prefix.is_none() {
                // The pattern compiled in full form, so this one compiles too.
                entry.prefix = compile(&concat(&["^(?:", &entry.pattern, ")"]));
            }
            entry.prefix.as_ref()?.exec(subject)
        })?;
        let indices: Array = Reflect::get(&found, &JsValue::from_str("indices"))
            .ok()?
            .dyn_into()
            .ok()?;
        let end = span(indices.get(0))?.1;
        let groups = (1..indices.length())
            .map(|i| span(indices.get(i)))
            .collect();
        Some(Match { end, groups })
    }
}

/// A `[start, end]` pair of `indices`; `None` for a group that took no part.
fn span(pair: JsValue) -> Option<(usize, usize)> {
    let pair: Array = pair.dyn_into().ok()?;
    // Offsets into a subject of a few dozen characters: exact as f64.
    let at = |i| pair.get(i).as_f64().map(|x| x as usize);
    Some((at(0)?, at(1)?))
}

/// `new RegExp(source, "d")` (`d`: group spans); `None` when the host
/// refuses it.
fn compile(source: &str) -> Option<RegExp> {
    HostRegExp::new(source, "d")
        .ok()
        .map(JsCast::unchecked_into)
}
