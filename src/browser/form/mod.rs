//! `RecoveryForm`: the whole recovery flow of SPEC section 1 as one
//! multi-step form, mounted into a host element.
//!
//! How it is built:
//!
//! - **State** lives in one `Rc<RefCell<Inner>>`: the options, the last flow
//!   object from the server, the step on screen, timers. Event handlers and
//!   answers of `fetch` borrow it briefly and never while they call out
//!   (focus, custom events), so a page's listener may call `destroy()` at
//!   any moment.
//! - **Events** reach the form through four listeners on its root element
//!   (`submit`, `click`, `input`, and `error` in the capture phase for the
//!   captcha image), not one per control, so re-rendering a step adds no
//!   listener and `destroy()` has four to remove.
//! - **Steps** are rendered by [`steps`] from the state, one `<form>` at a
//!   time; [`http`] sends requests; [`i18n`] holds the texts.
//! - **Validation** before sending uses the library itself:
//!   [`Identifier::parse`](crate::identifier::Identifier::parse) for the
//!   identifier and the review contact, [`Policy::check`] and [`estimate`]
//!   for the password. The server checks the same rules again (and the
//!   common-password list, which the browser build leaves out).
//!
//! Options are documented on [`RecoveryForm`]; its DOM and events follow.
//!
//! # DOM
//!
//! A root `<div class="rf" lang="..">` in `element`, holding one
//! `<form class="rf-step" data-step="S" novalidate>` at a time, S one of
//! `identifier`, `captcha`, `channel`, `code`, `password`, `review`,
//! `review_pending`, `done`, `locked`, `expired`. Each has an `<h2>`
//! (`tabindex="-1"`, focused when the step has no field), a
//! `<p class="rf-error" role="alert" aria-live="assertive">` with
//! `data-code` when it shows an error, and after it, for network errors,
//! 5xx, `flow.conflict`, 429 and a captcha image that failed to load
//! (`captcha.unavailable`), a `<button data-action="retry">` (a 429 keeps it
//! disabled with a `[data-countdown][data-seconds]` until `Retry-After` has
//! passed). `flow.expired` and `flow.not_found` lead to `expired`;
//! `flow.locked`, `flow.revoked` and `review.denied` to `locked`;
//! `flow.completed` to `done`. Fields and buttons by step:
//!
//! - identifier: `input[name=identifier][autocomplete=username]`,
//!   `output.rf-kind[data-kind=email|phone|account_id|]`;
//! - captcha: `img.rf-captcha` (`{endpoint}/flows/{id}/captcha?n=N`),
//!   `button[data-action=new-image]`,
//!   `input[name=answer][inputmode=numeric][autocomplete=off]`,
//!   `p.rf-attempts`;
//! - channel: `input[type=radio][name=channel][value=<channel id>]` in
//!   `label.rf-choice` (`[data-current]` on the channel the last code went
//!   to), `button[data-action=review]`, and when reached by "Not working?"
//!   `button[data-action=back]` (back to the code);
//! - code: `input[name=code][inputmode=numeric][autocomplete=one-time-code][maxlength=6]`,
//!   `button[data-action=resend]` holding `span[data-countdown][data-seconds]`,
//!   `button[data-action=not-working]`, `p.rf-attempts`, `p.rf-status`;
//! - password: `input[name=password]`, `input[name=confirm]` (both
//!   `type=password`, `autocomplete=new-password`),
//!   `button[data-action=toggle-visibility][aria-pressed]`,
//!   `meter.rf-strength` (0 to 4, also as `data-score`), `ul.rf-hints`;
//! - review: `input[name=contact]`, `textarea[name=message]`,
//!   `button[data-action=back]`;
//! - review_pending: `button[data-action=refresh]`, `p.rf-status`; the
//!   flow is also looked at every 30 s, and an approval carries on at `code`;
//! - locked, expired: `button[data-action=restart]`.
//!
//! Every step's submit button is `button[type=submit]`; while a request
//! runs the form has `aria-busy="true"`.
//!
//! # Events
//!
//! `CustomEvent`s on `element`, `bubbles` and `composed`:
//! `resetflow:step` `{ step, flowId }` on entering each step (the first
//! too, from the constructor); `resetflow:complete` `{ flowId }` when the
//! password was set; `resetflow:error` `{ code, status }` for each error
//! answer of the server and each network failure (status 0). Client-side
//! validation errors show in the form but fire no event.

mod dom;
mod http;
mod i18n;
mod steps;

use core::cell::RefCell;
use core::sync::atomic::{AtomicU32, Ordering};
use std::rc::Rc;

use js_sys::Date;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlElement, Window};

use crate::identifier::{Identifier, Kind, ParseOptions, Region};
use crate::password::{estimate, PasswordError, Policy};
use crate::protocol::{Route, Step};
use crate::Locale;

use dom::{add, attr, dispatch, el, find, focus, get_str, object, set_value, value};
use http::{body, Failure, Flow, Req};
use i18n::*;

/// The shared state of one form.
pub(crate) struct Inner {
    doc: Document,
    win: Window,
    host: HtmlElement,
    root: Element,
    /// Prefix of every element id, unique per form on the page.
    uid: String,
    /// The endpoint option without a trailing `/`.
    endpoint: String,
    locale: Locale,
    region: Option<Region>,
    region_tag: Option<String>,
    flow: Option<Flow>,
    /// The step on screen (a contract step name).
    step: &'static str,
    /// Where the review step's "Back" goes.
    back_to: &'static str,
    /// What was typed into the identifier field, kept for "Start again".
    typed: String,
    /// The identifier in canonical form, for the password checks.
    ids: Vec<String>,
    /// `Date.now()` milliseconds when resending is allowed again.
    resend_at: f64,
    /// `Date.now()` milliseconds when the retry button becomes usable.
    retry_at: f64,
    /// `Date.now()` milliseconds of the next look at a pending review.
    poll_at: f64,
    /// The request on the way is a poll: an unchanged answer says nothing.
    quiet: bool,
    /// What the retry button does again.
    last: Option<Retry>,
    /// Numbers requests; an answer to any but the latest is dropped.
    seq: u32,
    busy: bool,
    /// Counter in the captcha image URL, so each image is fetched anew.
    img_n: u32,
    /// The root's event listeners and the 1 s timer callback. Each holds
    /// the state: the cycle keeps the form alive while it is on the page,
    /// even when the page drops its `RecoveryForm` handle, and `destroy()`
    /// breaks it.
    listeners: Vec<Listener>,
    tick: Option<Closure<dyn Fn()>>,
    interval: Option<i32>,
    destroyed: bool,
}

/// What "Try again" repeats.
#[derive(Clone)]
enum Retry {
    Http(Req),
    Image,
}

type State = Rc<RefCell<Inner>>;

/// An event listener on the root: event name, capture phase, the closure.
type Listener = (&'static str, bool, Closure<dyn Fn(Event)>);

impl Inner {
    fn t(&self, text: &Text) -> &'static str {
        tr(self.locale, text)
    }

    /// A page-unique element id: `rf<n>-<name>`.
    fn id(&self, name: &str) -> String {
        self.uid.clone() + name
    }

    /// The URL of `route` for the current flow: the contract's template
    /// with the id percent-encoded into its one `{id}` segment.
    fn url(&self, route: Route) -> String {
        let id = self.flow.as_ref().map_or("", |f| f.id.as_str());
        let id = String::from(js_sys::encode_uri_component(id));
        self.endpoint.clone() + &fill(route.template(), &id)
    }

    fn captcha_url(&self) -> String {
        self.url(Route::Captcha) + "?n=" + &self.img_n.to_string()
    }

    fn post(&self, route: Route, fields: &[(&str, Option<&str>)]) -> Req {
        Req {
            method: "POST",
            url: self.url(route),
            body: body(fields),
        }
    }

    fn parse_options(&self) -> ParseOptions {
        ParseOptions {
            default_region: self.region,
            ..ParseOptions::default()
        }
    }
}

/// The multi-step account-recovery form (the npm package's `RecoveryForm`).
///
/// ```js
/// import { RecoveryForm } from "resetflow";
/// const form = new RecoveryForm(document.querySelector("#recover"), {
///   endpoint: "/api/recovery", // required: the prefix of the recovery routes
///   locale: "de",              // optional: en, de, es, id, zh; default from navigator.languages
///   region: "DE",              // optional: ISO 3166 alpha-2 for national phone numbers
/// });
/// form.flowId;   // the flow id once the server created one, else undefined
/// form.destroy(); // removes the form, its listeners and timers
/// ```
///
/// The form stays on the page until `destroy()`, even if the page keeps no
/// reference to it. Captcha images are plain `<img>` URLs under `endpoint`:
/// with a cross-origin endpoint the page's CSP needs that origin in
/// `img-src` and `connect-src`, and the server's Origin allow-list the page.
///
/// Its DOM, CSS hooks and events are described in the module docs of
/// `src/browser/form/mod.rs` (wasm-bindgen copies this comment into the
/// JavaScript glue, so it stays short).
#[wasm_bindgen]
pub struct RecoveryForm {
    state: State,
}

#[wasm_bindgen]
impl RecoveryForm {
    /// Renders the form into `element` and moves focus to its first field.
    ///
    /// # Errors
    ///
    /// Throws a `TypeError` when `options.endpoint` is missing or
    /// `options.region` is not a known region.
    #[wasm_bindgen(constructor)]
    pub fn new(element: HtmlElement, options: JsValue) -> Result<RecoveryForm, JsValue> {
        let type_error = |m: &str| JsValue::from(js_sys::TypeError::new(m));
        let endpoint = get_str(&options, "endpoint")
            .filter(|e| !e.is_empty())
            .ok_or_else(|| type_error("RecoveryForm: options.endpoint is required"))?;
        let win = web_sys::window().ok_or_else(|| type_error("RecoveryForm: no window"))?;
        let doc = win
            .document()
            .ok_or_else(|| type_error("RecoveryForm: no document"))?;
        let locale = match get_str(&options, "locale").filter(|l| !l.is_empty()) {
            Some(tag) => Locale::negotiate(&tag),
            None => {
                let mut tags = String::new();
                for tag in win.navigator().languages().iter() {
                    tags.push_str(&tag.as_string().unwrap_or_default());
                    tags.push(',');
                }
                Locale::negotiate(&tags)
            }
        };
        let region_tag = get_str(&options, "region").filter(|r| !r.is_empty());
        let region = match &region_tag {
            Some(tag) => Some(tag.parse::<Region>().map_err(|_| {
                type_error(
                    "RecoveryForm: options.region is not a known region (ISO 3166-1 alpha-2)",
                )
            })?),
            None => None,
        };
        static NEXT: AtomicU32 = AtomicU32::new(1);
        let uid = "rf".to_owned() + &NEXT.fetch_add(1, Ordering::Relaxed).to_string() + "-";
        let root = el(
            &doc,
            "div",
            &[("class", "rf"), ("lang", locale.as_str())],
            "",
        );
        element.append_child(&root)?;
        let state = Rc::new(RefCell::new(Inner {
            doc,
            win,
            host: element,
            root,
            uid,
            endpoint: endpoint.trim_end_matches('/').to_owned(),
            locale,
            region,
            region_tag,
            flow: None,
            step: "identifier",
            back_to: "channel",
            typed: String::new(),
            ids: Vec::new(),
            resend_at: 0.0,
            retry_at: 0.0,
            poll_at: 0.0,
            quiet: false,
            last: None,
            seq: 0,
            busy: false,
            img_n: 0,
            listeners: Vec::new(),
            tick: None,
            interval: None,
            destroyed: false,
        }));
        listen(&state, "submit", false, on_submit);
        listen(&state, "click", false, on_click);
        listen(&state, "input", false, on_input);
        // `error` of an <img> does not bubble: listen in the capture phase.
        listen(&state, "error", true, on_image_error);
        let s = state.clone();
        let tick = Closure::<dyn Fn()>::new(move || {
            let poll = match s.try_borrow_mut() {
                Ok(mut st) => {
                    timers(&mut st);
                    poll_due(&mut st)
                }
                Err(_) => None,
            };
            if let Some(req) = poll {
                send(&s, req);
            }
        });
        state.borrow_mut().tick = Some(tick);
        enter(&state, "identifier");
        Ok(RecoveryForm { state })
    }

    /// The id of the current flow, once the server created one.
    #[wasm_bindgen(getter, js_name = flowId)]
    pub fn flow_id(&self) -> Option<String> {
        let st = self.state.try_borrow().ok()?;
        st.flow.as_ref().map(|f| f.id.clone())
    }

    /// Removes the form from the page with its listeners and timers; answers
    /// still on the way are dropped. Calling it again does nothing.
    ///
    /// Dropping the handle (`free()`, or the garbage collector) does not
    /// remove the form: only `destroy()` does.
    pub fn destroy(&mut self) {
        let (root, listeners, tick) = match self.state.try_borrow_mut() {
            Ok(mut st) => {
                st.destroyed = true;
                if let Some(h) = st.interval.take() {
                    st.win.clear_interval_with_handle(h);
                }
                st.flow = None;
                st.last = None;
                let listeners = core::mem::take(&mut st.listeners);
                (st.root.clone(), listeners, st.tick.take())
            }
            Err(_) => return,
        };
        // Dropped with no borrow held: a listener running right now (one
        // whose custom event led the page to call `destroy()`) is freed by
        // wasm-bindgen when it returns.
        for (name, capture, f) in listeners {
            let _ = root.remove_event_listener_with_callback_and_bool(
                name,
                f.as_ref().unchecked_ref(),
                capture,
            );
        }
        drop(tick);
        root.remove();
    }
}

/// Adds `handler` as a listener for `name` events on the form's root.
fn listen(state: &State, name: &'static str, capture: bool, handler: fn(&State, Event)) {
    let s = state.clone();
    let f = Closure::<dyn Fn(Event)>::new(move |e: Event| handler(&s, e));
    let mut st = state.borrow_mut();
    let _ = st.root.add_event_listener_with_callback_and_bool(
        name,
        f.as_ref().unchecked_ref(),
        capture,
    );
    st.listeners.push((name, capture, f));
}

// ---------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------

/// Shows `step`: renders it, moves focus, fires `resetflow:step` (and
/// `resetflow:complete` for `done`).
fn enter(s: &State, step: &'static str) {
    let Ok(mut st) = s.try_borrow_mut() else {
        return;
    };
    if st.destroyed {
        return;
    }
    st.step = step;
    st.retry_at = 0.0;
    if step == "captcha" {
        st.img_n += 1;
    }
    let (form, target) = steps::render(&st, step);
    st.root.set_text_content(None);
    add(&st.root, &[&form]);
    match step {
        "identifier" => show_kind(&st),
        "code" | "review_pending" => timers(&mut st),
        _ => {}
    }
    let host = st.host.clone();
    let flow_id = st.flow.as_ref().map(|f| f.id.clone());
    drop(st);
    focus(&target);
    let id = flow_id.as_deref();
    dispatch(
        &host,
        "resetflow:step",
        &object(&[("step", Some(step)), ("flowId", id)]),
    );
    if step == "done" {
        dispatch(&host, "resetflow:complete", &object(&[("flowId", id)]));
    }
}

/// A flow object arrived: go to its step, or update the step on screen.
fn apply(s: &State, flow: Flow) {
    let step = Step::from_name(&flow.step).map_or("locked", Step::as_str);
    let same = {
        let mut st = s.borrow_mut();
        if step == "review_pending" {
            st.poll_at = Date::now() + POLL_MS;
        }
        if step == "code" {
            st.resend_at = Date::now() + flow.resend_after.unwrap_or(0.0) * 1000.0;
        }
        st.flow = Some(flow);
        st.last = None;
        let quiet = core::mem::take(&mut st.quiet);
        (st.step == step).then_some(quiet)
    };
    let Some(quiet) = same else {
        return enter(s, step);
    };
    if quiet {
        return;
    }
    // The same step again: a resent code, or a review still pending.
    let mut st = s.borrow_mut();
    clear_error(&st, false);
    let text = st.t(if step == "code" {
        &RESENT
    } else {
        &STILL_WAITING
    });
    if let Some(p) = find(&st.root, ".rf-status") {
        p.set_text_content(Some(text));
    }
    if let (Some(p), Some(n)) = (
        find(&st.root, ".rf-attempts"),
        st.flow.as_ref().and_then(|f| f.attempts_left),
    ) {
        p.set_text_content(Some(&fill(st.t(&ATTEMPTS), &(n as u32).to_string())));
    }
    timers(&mut st);
}

// ---------------------------------------------------------------------------
// Requests and errors
// ---------------------------------------------------------------------------

/// Sends `req` unless one is running; the answer is applied if the form is
/// still there and no newer request was sent.
fn send(s: &State, req: Req) {
    let (seq, win) = {
        let Ok(mut st) = s.try_borrow_mut() else {
            return;
        };
        if st.destroyed || st.busy {
            return;
        }
        st.busy = true;
        st.seq = st.seq.wrapping_add(1);
        st.last = Some(Retry::Http(req.clone()));
        // The retry button stays while its request runs, so the keyboard
        // focus on it is not lost if the answer is another failure.
        clear_error(&st, true);
        busy(&st, true);
        (st.seq, st.win.clone())
    };
    let s = s.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let result = http::call(&win, &req).await;
        {
            let Ok(mut st) = s.try_borrow_mut() else {
                return;
            };
            if st.destroyed || st.seq != seq {
                return;
            }
            st.busy = false;
            busy(&st, false);
        }
        match result.map(|v| Flow::read(&v)) {
            Ok(Some(flow)) => apply(&s, flow),
            Ok(None) => fail(
                &s,
                Failure {
                    status: 200,
                    code: "internal".into(),
                    message: None,
                    retry_after: None,
                },
            ),
            Err(f) => fail(&s, f),
        }
    });
}

fn busy(st: &Inner, on: bool) {
    if let Some(form) = find(&st.root, "form") {
        attr(&form, "aria-busy", on.then_some("true"));
    }
}

/// An error answer or a network failure: show it where it belongs.
fn fail(s: &State, f: Failure) {
    let code = f.code.as_str();
    let host = {
        let mut st = s.borrow_mut();
        st.quiet = false;
        st.host.clone()
    };
    match code {
        "flow.expired" | "flow.not_found" => enter(s, "expired"),
        // The password was set, by this form's own request whose answer got
        // lost (a retry after a network failure) or in another tab.
        "flow.completed" => enter(s, "done"),
        "flow.locked" | "flow.revoked" | "review.denied" => enter(s, "locked"),
        "flow.wrong_step" => {
            // The flow moved on elsewhere (another tab, an operator): reload it.
            let req = {
                let st = s.borrow();
                Req {
                    method: "GET",
                    url: st.url(Route::Flow),
                    body: None,
                }
            };
            send(s, req);
        }
        _ => {}
    }
    if code != "flow.wrong_step" {
        let mut st = s.borrow_mut();
        let now = Date::now();
        let wait = f.retry_after.unwrap_or(1.0).max(1.0) * 1000.0;
        match code {
            "captcha.mismatch" => {
                // The server issued a new challenge: show it.
                st.img_n += 1;
                if let Some(img) = find(&st.root, "img.rf-captcha") {
                    attr(&img, "src", Some(&st.captcha_url()));
                }
                fewer_attempts(&mut st);
                set_value(&st.root, "[name=answer]", "");
            }
            "code.mismatch" => {
                fewer_attempts(&mut st);
                set_value(&st.root, "[name=code]", "");
            }
            _ => {}
        }
        let retry = if code == "code.cooldown" && st.step == "code" {
            st.resend_at = now + wait;
            false
        } else if f.status == 429 {
            st.retry_at = now + wait;
            true
        } else {
            f.status == 0 || f.status >= 500 || code == "flow.conflict"
        };
        show_error(&st, code, f.message.as_deref(), retry);
        timers(&mut st);
    }
    error_event(&host, code, f.status);
}

fn fewer_attempts(st: &mut Inner) {
    let locale = st.locale;
    if let Some(flow) = st.flow.as_mut() {
        if let Some(n) = flow.attempts_left.as_mut() {
            *n = (*n - 1.0).max(0.0);
            if let Some(p) = find(&st.root, ".rf-attempts") {
                let text = fill(tr(locale, &ATTEMPTS), &(*n as u32).to_string());
                p.set_text_content(Some(&text));
            }
        }
    }
}

/// Shows the message for `code` in the step's error line (the library's or
/// the form's text, else the server's `message`), with a retry button.
fn show_error(st: &Inner, code: &str, server_message: Option<&str>, retry: bool) {
    clear_error(st, retry);
    let Some(p) = find(&st.root, ".rf-error") else {
        return;
    };
    let text = error_message(st.locale, code)
        .or(server_message)
        .unwrap_or(st.t(&UNKNOWN_ERROR));
    p.set_text_content(Some(text));
    attr(&p, "data-code", Some(code));
    if retry && find(&st.root, "[data-action=retry]").is_none() {
        let b = el(
            &st.doc,
            "button",
            &[
                ("type", "button"),
                ("class", "rf-retry"),
                ("data-action", "retry"),
            ],
            "",
        );
        add(
            &b,
            &[&el(
                &st.doc,
                "span",
                &[("data-countdown", ""), ("data-seconds", "0")],
                st.t(&RETRY),
            )],
        );
        let _ = p.insert_adjacent_element("afterend", &b);
    }
}

/// A client-side check failed: show `code` and send the user to `field`.
fn invalid(st: &Inner, code: &str, field: &str) -> Option<Element> {
    show_error(st, code, None, false);
    let input = find(&st.root, field)?;
    attr(&input, "aria-invalid", Some("true"));
    Some(input)
}

/// Empties the error and status lines; removes the retry button unless
/// `keep_retry`.
fn clear_error(st: &Inner, keep_retry: bool) {
    if let Some(p) = find(&st.root, ".rf-error") {
        p.set_text_content(None);
        attr(&p, "data-code", None);
    }
    if let Some(b) = find(&st.root, "[data-action=retry]").filter(|_| !keep_retry) {
        b.remove();
    }
    if let Some(p) = find(&st.root, ".rf-status") {
        p.set_text_content(None);
    }
}

// ---------------------------------------------------------------------------
// Timers
// ---------------------------------------------------------------------------

/// Updates the resend and retry countdowns; runs the 1 s interval while one
/// of them counts, and stops it when none does.
fn timers(st: &mut Inner) {
    let now = Date::now();
    let left = |at: f64| ((at - now) / 1000.0).ceil().max(0.0) as u32;
    let (resend, retry) = (left(st.resend_at), left(st.retry_at));
    countdown(st, "[data-action=resend]", resend, &RESEND, &RESEND_IN);
    countdown(st, "[data-action=retry]", retry, &RETRY, &RETRY_IN);
    let counting = resend > 0 || retry > 0 || st.step == "review_pending";
    match (counting, st.interval) {
        (true, None) => {
            if let Some(tick) = &st.tick {
                st.interval = st
                    .win
                    .set_interval_with_callback_and_timeout_and_arguments_0(
                        tick.as_ref().unchecked_ref(),
                        1000,
                    )
                    .ok();
            }
        }
        (false, Some(h)) => {
            st.win.clear_interval_with_handle(h);
            st.interval = None;
        }
        _ => {}
    }
}

/// How often a pending review is looked at again while the page is open.
const POLL_MS: f64 = 30_000.0;

/// The poll of a pending review, when one is due: an approval then carries
/// on at the code step without the user asking.
fn poll_due(st: &mut Inner) -> Option<Req> {
    if st.step != "review_pending" || st.busy || Date::now() < st.poll_at {
        return None;
    }
    st.poll_at = Date::now() + POLL_MS;
    st.quiet = true;
    Some(Req {
        method: "GET",
        url: st.url(Route::Flow),
        body: None,
    })
}

fn countdown(st: &Inner, button: &str, secs: u32, idle: &Text, waiting: &Text) {
    let Some(b) = find(&st.root, button) else {
        return;
    };
    let Some(span) = find(&b, "[data-countdown]") else {
        return;
    };
    let text = if secs > 0 {
        let ss = secs % 60;
        let t = (secs / 60).to_string() + if ss < 10 { ":0" } else { ":" } + &ss.to_string();
        fill(st.t(waiting), &t)
    } else {
        st.t(idle).to_owned()
    };
    if span.text_content().as_deref() != Some(text.as_str()) {
        span.set_text_content(Some(&text));
    }
    attr(&span, "data-seconds", Some(&secs.to_string()));
    attr(&b, "disabled", (secs > 0).then_some(""));
}

// ---------------------------------------------------------------------------
// DOM events
// ---------------------------------------------------------------------------

fn target(e: &Event) -> Option<Element> {
    e.target()?.dyn_into::<Element>().ok()
}

fn on_submit(s: &State, e: Event) {
    e.prevent_default();
    let Some(form) = target(&e) else { return };
    let step = form.get_attribute("data-step").unwrap_or_default();
    let req = {
        let Ok(mut st) = s.try_borrow_mut() else {
            return;
        };
        if st.busy {
            return;
        }
        match check(&mut st, &step) {
            Ok(req) => req,
            Err(field) => {
                drop(st);
                if let Some(field) = field {
                    focus(&field);
                }
                return;
            }
        }
    };
    if let Some(req) = req {
        send(s, req);
    }
}

/// Checks the fields of `step` in the browser and builds its request;
/// `Err` with the field to focus when a check failed.
fn check(st: &mut Inner, step: &str) -> Result<Option<Req>, Option<Element>> {
    let root = st.root.clone();
    let locale = st.locale.as_str();
    let req = match step {
        "identifier" => {
            let typed = value(&root, "[name=identifier]");
            let id = Identifier::parse(&typed, &st.parse_options())
                .map_err(|e| invalid(st, e.code(), "[name=identifier]"))?;
            st.typed = typed.trim().to_owned();
            st.ids = vec![id.as_str().to_owned()];
            st.flow = None;
            let region = st.region_tag.clone();
            Req {
                method: "POST",
                url: st.endpoint.clone() + Route::Flows.template(),
                body: body(&[
                    ("identifier", Some(&st.typed)),
                    ("locale", Some(locale)),
                    ("region", region.as_deref()),
                ]),
            }
        }
        "captcha" => {
            let answer = value(&root, "[name=answer]");
            if answer.trim().is_empty() {
                return Err(invalid(st, "captcha.required", "[name=answer]"));
            }
            st.post(Route::Captcha, &[("answer", Some(&answer))])
        }
        "channel" => {
            let picked = find(&root, "[name=channel]:checked")
                .and_then(|r| r.get_attribute("value"))
                .ok_or_else(|| invalid(st, "channel.required", "[name=channel]"))?;
            st.post(Route::Code, &[("channel", Some(&picked))])
        }
        "code" => {
            let code = value(&root, "[name=code]");
            if code.trim().is_empty() {
                return Err(invalid(st, "code.required", "[name=code]"));
            }
            st.post(Route::CodeVerify, &[("code", Some(&code))])
        }
        "password" => {
            let pw = value(&root, "[name=password]");
            let confirm = value(&root, "[name=confirm]");
            let ids: Vec<&str> = st.ids.iter().map(String::as_str).collect();
            if let Err(e) = Policy::new().check(&pw, &confirm, &ids) {
                let field = if e == PasswordError::Mismatch {
                    "[name=confirm]"
                } else {
                    "[name=password]"
                };
                return Err(invalid(st, e.code(), field));
            }
            st.post(
                Route::Password,
                &[("password", Some(&pw)), ("confirm", Some(&confirm))],
            )
        }
        "review" => {
            let contact = value(&root, "[name=contact]");
            let message = value(&root, "[name=message]");
            let contact_error = if contact.trim().is_empty() {
                Some("review.contact_required")
            } else {
                match Identifier::parse(&contact, &st.parse_options()) {
                    Ok(id) if id.kind() != Kind::AccountId => None,
                    Err(e) if e.code().starts_with("email.") || e.code().starts_with("phone.") => {
                        Some(e.code())
                    }
                    _ => Some("review.contact_invalid"),
                }
            };
            if let Some(code) = contact_error {
                return Err(invalid(st, code, "[name=contact]"));
            }
            if message.trim().is_empty() {
                return Err(invalid(st, "review.message_required", "[name=message]"));
            }
            if message.chars().count() > 2000 {
                return Err(invalid(st, "review.message_too_long", "[name=message]"));
            }
            st.post(
                Route::Review,
                &[("contact", Some(&contact)), ("message", Some(&message))],
            )
        }
        _ => return Ok(None),
    };
    Ok(Some(req))
}

fn on_click(s: &State, e: Event) {
    let Some(button) = target(&e).and_then(|t| t.closest("[data-action]").ok().flatten()) else {
        return;
    };
    let action = button.get_attribute("data-action").unwrap_or_default();
    let Ok(mut st) = s.try_borrow_mut() else {
        return;
    };
    match action.as_str() {
        "new-image" => new_image(st),
        "retry" => match st.last.clone() {
            Some(Retry::Image) => new_image(st),
            Some(Retry::Http(req)) => {
                drop(st);
                send(s, req);
            }
            None => {}
        },
        "review" => {
            st.back_to = if st.step == "code" { "code" } else { "channel" };
            drop(st);
            enter(s, "review");
        }
        "back" => {
            // From the channels shown by "Not working?" back to the code;
            // from the review to where it was asked for.
            let to = if st.step == "channel" {
                "code"
            } else {
                st.back_to
            };
            drop(st);
            enter(s, to);
        }
        "not-working" => {
            drop(st);
            enter(s, "channel");
        }
        "restart" => {
            st.flow = None;
            st.resend_at = 0.0;
            drop(st);
            enter(s, "identifier");
        }
        "resend" => {
            let channel = st.flow.as_ref().and_then(|f| f.code_channel.clone());
            let req = st.post(Route::Code, &[("channel", channel.as_deref())]);
            drop(st);
            send(s, req);
        }
        "refresh" => {
            st.quiet = false;
            let req = Req {
                method: "GET",
                url: st.url(Route::Flow),
                body: None,
            };
            drop(st);
            send(s, req);
        }
        "toggle-visibility" => {
            let show = button.get_attribute("aria-pressed").as_deref() != Some("true");
            attr(
                &button,
                "aria-pressed",
                Some(if show { "true" } else { "false" }),
            );
            for name in ["[name=password]", "[name=confirm]"] {
                if let Some(input) = find(&st.root, name) {
                    attr(&input, "type", Some(if show { "text" } else { "password" }));
                }
            }
        }
        _ => {}
    }
}

/// Loads another captcha image (a new challenge) and sends the user to
/// the answer field.
fn new_image(mut st: core::cell::RefMut<'_, Inner>) {
    st.img_n += 1;
    st.last = None;
    clear_error(&st, false);
    if let Some(img) = find(&st.root, "img.rf-captcha") {
        attr(&img, "src", Some(&st.captcha_url()));
    }
    let input = find(&st.root, "[name=answer]");
    drop(st);
    if let Some(input) = input {
        focus(&input);
    }
}

fn on_input(s: &State, e: Event) {
    let Some(input) = target(&e) else { return };
    let Ok(st) = s.try_borrow() else { return };
    attr(&input, "aria-invalid", None);
    match input.get_attribute("name").as_deref() {
        Some("identifier") => show_kind(&st),
        Some("password") => show_strength(&st),
        _ => {}
    }
}

fn on_image_error(s: &State, e: Event) {
    let Some(img) = target(&e) else { return };
    if !img.class_list().contains("rf-captcha") {
        return;
    }
    let host = {
        let Ok(mut st) = s.try_borrow_mut() else {
            return;
        };
        // A more specific message (a wrong answer, a 429) stays: the image
        // that failed with it is only its consequence.
        if find(&st.root, ".rf-error[data-code]").is_some() {
            return;
        }
        show_error(&st, "captcha.unavailable", None, true);
        st.last = Some(Retry::Image);
        st.host.clone()
    };
    error_event(&host, "captcha.unavailable", 0);
}

/// Fires `resetflow:error` `{ code, status }` on the host element.
fn error_event(host: &HtmlElement, code: &str, status: u16) {
    let detail = object(&[("code", Some(code))]);
    let _ = js_sys::Reflect::set(
        &detail,
        &JsValue::from_str("status"),
        &JsValue::from_f64(f64::from(status)),
    );
    dispatch(host, "resetflow:error", &detail);
}

/// The detected kind of what is in the identifier field, shown as it is
/// typed: the parser's verdict, or for input that is not valid yet the kind
/// its error names (`email.*` is an e-mail being typed).
fn show_kind(st: &Inner) {
    let Some(out) = find(&st.root, "output.rf-kind") else {
        return;
    };
    let typed = value(&st.root, "[name=identifier]");
    let kind = match Identifier::parse(&typed, &st.parse_options()) {
        Ok(id) => Some(id.kind()),
        Err(e) => match e.code().split('.').next() {
            Some("email") => Some(Kind::Email),
            Some("phone") => Some(Kind::Phone),
            Some("account_id") => Some(Kind::AccountId),
            _ => None,
        },
    };
    let (name, label) = match kind {
        Some(Kind::Email) => ("email", st.t(&KIND_EMAIL)),
        Some(Kind::Phone) => ("phone", st.t(&KIND_PHONE)),
        Some(Kind::AccountId) => ("account_id", st.t(&KIND_ACCOUNT)),
        None => ("", ""),
    };
    if out.get_attribute("data-kind").as_deref() != Some(name) {
        attr(&out, "data-kind", Some(name));
        out.set_text_content(Some(label));
    }
}

/// The strength meter and hints for what is in the password field.
fn show_strength(st: &Inner) {
    let pw = value(&st.root, "[name=password]");
    let (Some(meter), Some(list), Some(text)) = (
        find(&st.root, "meter.rf-strength"),
        find(&st.root, "ul.rf-hints"),
        find(&st.root, ".rf-strength-text"),
    ) else {
        return;
    };
    list.set_text_content(None);
    if pw.is_empty() {
        attr(&meter, "value", Some("0"));
        attr(&meter, "data-score", None);
        text.set_text_content(None);
        return;
    }
    let ids: Vec<&str> = st.ids.iter().map(String::as_str).collect();
    let strength = estimate(&pw, &ids);
    let score = strength.score().min(4);
    let n = score.to_string();
    attr(&meter, "value", Some(&n));
    attr(&meter, "data-score", Some(&n));
    text.set_text_content(Some(st.t(&SCORES[usize::from(score)])));
    for hint in strength.hints() {
        let li = el(
            &st.doc,
            "li",
            &[("data-code", hint.code())],
            hint.message(st.locale),
        );
        add(&list, &[&li]);
    }
}
