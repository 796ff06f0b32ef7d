//! `RecoveryForm` in headless Chromium: its DOM, focus, locales, events,
//! client-side checks, network failures and `destroy()`.
//!
//! Run with `cargo test -p resetflow --target wasm32-unknown-unknown
//! --no-default-features --features browser --test form_wasm` (see
//! `scripts/test.sh`). Most tests answer `fetch` with a scripted stub, so
//! they check exactly what the form sends and how it shows each answer; one
//! test sends real requests to a port nobody listens on. The walk against
//! the real server is the end-to-end suite's.
#![cfg(all(feature = "browser", target_arch = "wasm32"))]

use js_sys::{Array, Function, Object, Promise, Reflect, JSON};
use resetflow::browser::RecoveryForm;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Document, Element, HtmlElement, HtmlFormElement};

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn doc() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh host `<div>` in the page, recording the form's events in
/// `host.events` as `[type, detail]` pairs.
fn host() -> HtmlElement {
    let div: HtmlElement = doc().create_element("div").unwrap().unchecked_into();
    doc().body().unwrap().append_child(&div).unwrap();
    let record = Function::new_with_args(
        "host",
        "host.events = [];
         for (const t of ['resetflow:step', 'resetflow:complete', 'resetflow:error'])
           host.addEventListener(t, (e) => host.events.push([t, e.detail]));",
    );
    record.call1(&JsValue::NULL, &div).unwrap();
    div
}

fn options(pairs: &[(&str, &str)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), &(*v).into()).unwrap();
    }
    o.into()
}

fn q(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector} in {}", root.outer_html()))
}

fn q_opt(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

fn attr(root: &Element, selector: &str, name: &str) -> Option<String> {
    q(root, selector).get_attribute(name)
}

fn text(root: &Element, selector: &str) -> String {
    q(root, selector).text_content().unwrap_or_default()
}

fn step(root: &Element) -> String {
    attr(root, "form.rf-step", "data-step").unwrap()
}

/// Types `value` into the field `name` and fires `input` as a keyboard would.
fn type_into(root: &Element, name: &str, value: &str) {
    let input = q(root, &format!("[name={name}]"));
    Reflect::set(&input, &"value".into(), &value.into()).unwrap();
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::CustomEvent::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&ev).unwrap();
}

fn submit(root: &Element) {
    let form: HtmlFormElement = q(root, "form.rf-step").unchecked_into();
    form.request_submit().unwrap();
}

fn click(root: &Element, selector: &str) {
    q(root, selector).unchecked_into::<HtmlElement>().click();
}

fn active_name() -> Option<String> {
    doc().active_element()?.get_attribute("name")
}

fn events(host: &HtmlElement) -> Vec<(String, JsValue)> {
    let list: Array = Reflect::get(host, &"events".into())
        .unwrap()
        .unchecked_into();
    list.iter()
        .map(|pair| {
            let pair: Array = pair.unchecked_into();
            (pair.get(0).as_string().unwrap(), pair.get(1))
        })
        .collect()
}

fn field(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap()
}

async fn sleep(ms: i32) {
    let p = Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(p).await.unwrap();
}

/// Waits up to `ms` for `selector` to match under `root`.
async fn wait_for(root: &Element, selector: &str, ms: i32) -> Element {
    for _ in 0..ms / 20 {
        if let Some(e) = q_opt(root, selector) {
            return e;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for {selector} in {}", root.outer_html());
}

/// Replaces `window.fetch` with a stub: each call is recorded in
/// `window.rfCalls` as `{url, method, body, headers}` and answered with the
/// next of `replies` (`[status, json, headers]`), or rejected like a network
/// failure when none is left. Returns a guard that puts `fetch` back.
struct StubFetch;

impl StubFetch {
    fn install(replies: &str) -> StubFetch {
        Function::new_no_args(&format!(
            "window.rfRealFetch = window.rfRealFetch || window.fetch;
             window.rfCalls = [];
             window.rfReplies = {replies};
             window.fetch = (url, init) => {{
               window.rfCalls.push({{ url, method: init.method, body: init.body,
                 headers: init.headers, credentials: init.credentials }});
               const r = window.rfReplies.shift();
               if (!r) return Promise.reject(new TypeError('Failed to fetch'));
               return Promise.resolve(new Response(JSON.stringify(r[1]),
                 {{ status: r[0], headers: r[2] || {{}} }}));
             }};"
        ))
        .call0(&JsValue::NULL)
        .unwrap();
        StubFetch
    }

    fn push(reply: &str) {
        Function::new_no_args(&format!("window.rfReplies.push({reply});"))
            .call0(&JsValue::NULL)
            .unwrap();
    }

    fn calls() -> Vec<JsValue> {
        let w = web_sys::window().unwrap();
        let calls: Array = Reflect::get(&w, &"rfCalls".into())
            .unwrap()
            .unchecked_into();
        calls.iter().collect()
    }
}

impl Drop for StubFetch {
    fn drop(&mut self) {
        let _ = Function::new_no_args("window.fetch = window.rfRealFetch;").call0(&JsValue::NULL);
    }
}

fn body_of(call: &JsValue) -> JsValue {
    JSON::parse(&field(call, "body").as_string().unwrap()).unwrap()
}

const FLOW_CAPTCHA: &str = r#"{"id":"f 1","step":"captcha","identifier":"d•••@example.com",
  "channels":[],"attempts_left":5,"resend_after":null,"expires_at":2000000000}"#;
const FLOW_CHANNEL: &str = r#"{"id":"f 1","step":"channel","identifier":"d•••@example.com",
  "channels":[{"id":"c1","kind":"sms","to":"+49 ••• •••• 89"},
              {"id":"c2","kind":"email","to":"d•••@example.com"}],
  "attempts_left":null,"resend_after":0,"expires_at":2000000000}"#;
const FLOW_CODE: &str = r#"{"id":"f 1","step":"code","identifier":"d•••@example.com",
  "channels":[{"id":"c1","kind":"sms","to":"+49 ••• •••• 89"},
              {"id":"c2","kind":"email","to":"d•••@example.com"}],
  "attempts_left":5,"resend_after":60,"expires_at":2000000000,"code_channel":"c1"}"#;
const FLOW_PASSWORD: &str = r#"{"id":"f 1","step":"password","identifier":"d•••@example.com",
  "channels":[],"attempts_left":null,"resend_after":null,"expires_at":2000000000}"#;
const FLOW_DONE: &str = r#"{"id":"f 1","step":"done","identifier":"d•••@example.com",
  "channels":[],"attempts_left":null,"resend_after":null,"expires_at":2000000000}"#;

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[wasm_bindgen_test]
fn identifier_step_markup_focus_and_first_event() {
    let host = host();
    let mut form = RecoveryForm::new(
        host.clone(),
        options(&[("endpoint", "/api/recovery"), ("locale", "en")]),
    )
    .unwrap();
    let root = q(&host, "div.rf");
    assert_eq!(root.get_attribute("lang").as_deref(), Some("en"));
    let step_form = q(&root, "form.rf-step[data-step=identifier]");
    assert!(step_form.has_attribute("novalidate"));
    assert_eq!(text(&root, "h2"), "Reset your password");

    let input = q(&root, "input[name=identifier]");
    assert_eq!(
        input.get_attribute("autocomplete").as_deref(),
        Some("username")
    );
    let id = input.get_attribute("id").unwrap();
    let label = q(&root, &format!("label[for=\"{id}\"]"));
    assert_eq!(
        label.text_content().unwrap(),
        "E-mail, phone number or account ID"
    );
    assert_eq!(
        active_name().as_deref(),
        Some("identifier"),
        "focus on the field"
    );

    let err = q(&root, "p.rf-error");
    assert_eq!(err.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(err.get_attribute("aria-live").as_deref(), Some("assertive"));
    assert_eq!(err.text_content().unwrap(), "");
    assert!(!err.has_attribute("data-code"));
    assert_eq!(text(&root, "button[type=submit]"), "Continue");
    assert!(q_opt(&root, "[style]").is_none(), "no inline styles");

    let evs = events(&host);
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0].0, "resetflow:step");
    assert_eq!(
        field(&evs[0].1, "step").as_string().as_deref(),
        Some("identifier")
    );
    assert!(field(&evs[0].1, "flowId").is_null());
    assert_eq!(form.flow_id(), None);
    form.destroy();
    host.remove();
}

#[wasm_bindgen_test]
fn kind_follows_what_is_typed() {
    let host = host();
    let mut form = RecoveryForm::new(
        host.clone(),
        options(&[
            ("endpoint", "/api/recovery"),
            ("locale", "en"),
            ("region", "DE"),
        ]),
    )
    .unwrap();
    let root = q(&host, "div.rf");
    let kind = |typed: &str| {
        type_into(&root, "identifier", typed);
        (
            attr(&root, "output.rf-kind", "data-kind").unwrap(),
            text(&root, "output.rf-kind"),
        )
    };
    assert_eq!(
        kind("demo@example.com"),
        ("email".into(), "E-mail address".into())
    );
    assert_eq!(kind("demo@"), ("email".into(), "E-mail address".into()));
    assert_eq!(
        kind("+49 151 23456789"),
        ("phone".into(), "Phone number".into())
    );
    assert_eq!(
        kind("100000001"),
        ("account_id".into(), "Account ID".into())
    );
    assert_eq!(kind("hello"), (String::new(), String::new()));
    assert_eq!(kind(""), (String::new(), String::new()));
    form.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn invalid_identifier_shows_german_error_and_sends_nothing() {
    let _stub = StubFetch::install("[]");
    let host = host();
    let mut form = RecoveryForm::new(
        host.clone(),
        options(&[("endpoint", "/api/recovery"), ("locale", "de")]),
    )
    .unwrap();
    let root = q(&host, "div.rf");
    assert_eq!(root.get_attribute("lang").as_deref(), Some("de"));
    assert_eq!(text(&root, "h2"), "Passwort zurücksetzen");
    type_into(&root, "identifier", "jane@");
    submit(&root);
    sleep(50).await;
    let err = q(&root, "p.rf-error");
    assert_eq!(
        err.get_attribute("data-code").as_deref(),
        Some("email.missing_domain")
    );
    assert_eq!(
        err.text_content().unwrap(),
        "Geben Sie die Domain nach dem @ ein, zum Beispiel example.com."
    );
    assert_eq!(
        attr(&root, "[name=identifier]", "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(active_name().as_deref(), Some("identifier"));
    assert!(
        StubFetch::calls().is_empty(),
        "an invalid identifier sends no request"
    );
    assert_eq!(step(&root), "identifier");
    // Typing again clears the invalid mark.
    type_into(&root, "identifier", "jane@example.com");
    assert_eq!(attr(&root, "[name=identifier]", "aria-invalid"), None);
    form.destroy();
    host.remove();
}

#[wasm_bindgen_test]
fn chinese_and_spanish_texts() {
    let host = host();
    let mut form = RecoveryForm::new(
        host.clone(),
        options(&[("endpoint", "/api/recovery"), ("locale", "zh-CN")]),
    )
    .unwrap();
    let root = q(&host, "div.rf");
    assert_eq!(root.get_attribute("lang").as_deref(), Some("zh"));
    assert_eq!(text(&root, "h2"), "重置密码");
    assert_eq!(text(&root, "label"), "电子邮件、手机号码或账号 ID");
    assert_eq!(text(&root, "button[type=submit]"), "继续");
    form.destroy();

    let mut form = RecoveryForm::new(
        host.clone(),
        options(&[("endpoint", "/api/recovery"), ("locale", "es")]),
    )
    .unwrap();
    let root = q(&host, "div.rf");
    assert_eq!(text(&root, "h2"), "Restablece tu contraseña");
    form.destroy();
    host.remove();
}

#[wasm_bindgen_test]
fn locale_defaults_to_the_browser_languages() {
    let host = host();
    let mut form =
        RecoveryForm::new(host.clone(), options(&[("endpoint", "/api/recovery")])).unwrap();
    let languages: Vec<String> = web_sys::window()
        .unwrap()
        .navigator()
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    let expected = resetflow::Locale::negotiate(&languages.join(","));
    assert_eq!(
        attr(&host, "div.rf", "lang").as_deref(),
        Some(expected.as_str())
    );
    form.destroy();
    host.remove();
}

#[wasm_bindgen_test]
fn bad_options_throw() {
    let host = host();
    assert!(RecoveryForm::new(host.clone(), options(&[])).is_err());
    assert!(RecoveryForm::new(host.clone(), JsValue::UNDEFINED).is_err());
    assert!(RecoveryForm::new(
        host.clone(),
        options(&[("endpoint", "/x"), ("region", "XX")])
    )
    .is_err());
    assert_eq!(host.child_element_count(), 0, "nothing rendered on error");
    host.remove();
}

#[wasm_bindgen_test]
async fn destroy_removes_everything() {
    let _stub = StubFetch::install("[]");
    let host = host();
    let mut form = RecoveryForm::new(
        host.clone(),
        options(&[("endpoint", "/api/recovery"), ("locale", "en")]),
    )
    .unwrap();
    let root = q(&host, "div.rf");
    let input = q(&root, "[name=identifier]");
    type_into(&root, "identifier", "100000001");
    submit(&root);
    form.destroy();
    assert_eq!(host.child_element_count(), 0);
    assert!(root.parent_node().is_none());
    // Late answers and events on the detached nodes do nothing.
    sleep(50).await;
    assert_eq!(root.child_element_count(), 1);
    Reflect::set(&input, &"value".into(), &"demo@example.com".into()).unwrap();
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    assert_eq!(
        attr(&root, "output.rf-kind", "data-kind").as_deref(),
        Some("account_id")
    );
    assert_eq!(form.flow_id(), None);
    form.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn unreachable_endpoint_shows_network_failed_with_retry() {
    let host = host();
    // Port 9 (discard) has no listener here: fetch rejects.
    let mut form = RecoveryForm::new(
        host.clone(),
        options(&[
            ("endpoint", "http://127.0.0.1:9/api/recovery"),
            ("locale", "en"),
        ]),
    )
    .unwrap();
    let root = q(&host, "div.rf");
    type_into(&root, "identifier", "100000001");
    submit(&root);
    let err = wait_for(&root, "p.rf-error[data-code]", 10_000).await;
    assert_eq!(
        err.get_attribute("data-code").as_deref(),
        Some("network.failed")
    );
    assert_eq!(
        err.text_content().unwrap(),
        "The connection failed. Check your network and try again."
    );
    let retry = q(&root, "button[data-action=retry]");
    assert!(!retry.has_attribute("disabled"));
    assert_eq!(retry.text_content().unwrap(), "Try again");
    assert_eq!(step(&root), "identifier");
    let errors: Vec<_> = events(&host)
        .into_iter()
        .filter(|(t, _)| t == "resetflow:error")
        .collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        field(&errors[0].1, "code").as_string().as_deref(),
        Some("network.failed")
    );
    assert_eq!(field(&errors[0].1, "status").as_f64(), Some(0.0));

    // Retry sends again and fails again; the keyboard focus stays on it.
    retry.unchecked_ref::<HtmlElement>().focus().unwrap();
    click(&root, "button[data-action=retry]");
    for _ in 0..500 {
        if events(&host)
            .iter()
            .filter(|(t, _)| t == "resetflow:error")
            .count()
            == 2
        {
            break;
        }
        sleep(20).await;
    }
    assert_eq!(
        events(&host)
            .iter()
            .filter(|(t, _)| t == "resetflow:error")
            .count(),
        2
    );
    assert_eq!(
        doc()
            .active_element()
            .unwrap()
            .get_attribute("data-action")
            .as_deref(),
        Some("retry")
    );
    assert_eq!(
        root.query_selector_all("[data-action=retry]")
            .unwrap()
            .length(),
        1
    );
    form.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn walks_the_flow_against_a_scripted_server() {
    let _stub = StubFetch::install(&format!("[[201, {FLOW_CAPTCHA}]]"));
    let host = host();
    let mut form = RecoveryForm::new(
        host.clone(),
        options(&[
            ("endpoint", "https://id.example.com/api/recovery/"),
            ("locale", "en"),
            ("region", "DE"),
        ]),
    )
    .unwrap();
    let root = q(&host, "div.rf");

    // Identifier -> captcha.
    type_into(&root, "identifier", " demo@example.com ");
    submit(&root);
    wait_for(&root, "form[data-step=captcha]", 2000).await;
    let calls = StubFetch::calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        field(&calls[0], "url").as_string().as_deref(),
        Some("https://id.example.com/api/recovery/flows")
    );
    assert_eq!(
        field(&calls[0], "method").as_string().as_deref(),
        Some("POST")
    );
    assert_eq!(
        field(&calls[0], "credentials").as_string().as_deref(),
        Some("same-origin")
    );
    let headers = field(&calls[0], "headers");
    assert_eq!(
        field(&headers, "Content-Type").as_string().as_deref(),
        Some("application/json")
    );
    assert_eq!(
        field(&headers, "Accept").as_string().as_deref(),
        Some("application/json")
    );
    let sent = body_of(&calls[0]);
    assert_eq!(
        field(&sent, "identifier").as_string().as_deref(),
        Some("demo@example.com")
    );
    assert_eq!(field(&sent, "locale").as_string().as_deref(), Some("en"));
    assert_eq!(field(&sent, "region").as_string().as_deref(), Some("DE"));
    assert_eq!(form.flow_id().as_deref(), Some("f 1"));

    let img = q(&root, "img.rf-captcha");
    let src1 = img.get_attribute("src").unwrap();
    assert!(
        src1.starts_with("https://id.example.com/api/recovery/flows/f%201/captcha?n="),
        "{src1}"
    );
    assert!(!img.get_attribute("alt").unwrap().is_empty());
    assert_eq!(
        attr(&root, "[name=answer]", "inputmode").as_deref(),
        Some("numeric")
    );
    assert_eq!(
        attr(&root, "[name=answer]", "autocomplete").as_deref(),
        Some("off")
    );
    assert_eq!(active_name().as_deref(), Some("answer"));
    assert_eq!(text(&root, ".rf-attempts"), "Attempts left: 5");

    // Empty answer: client-side, nothing sent.
    submit(&root);
    assert_eq!(
        attr(&root, ".rf-error", "data-code").as_deref(),
        Some("captcha.required")
    );
    assert_eq!(StubFetch::calls().len(), 1);

    // New image.
    click(&root, "[data-action=new-image]");
    let src2 = attr(&root, "img.rf-captcha", "src").unwrap();
    assert_ne!(src1, src2);

    // Wrong answer: error, a new image, one attempt less.
    StubFetch::push(r#"[422, {"error":{"code":"captcha.mismatch","message":"server text"}}]"#);
    type_into(&root, "answer", "123456");
    submit(&root);
    wait_for(&root, ".rf-error[data-code]", 2000).await;
    assert_eq!(
        attr(&root, ".rf-error", "data-code").as_deref(),
        Some("captcha.mismatch")
    );
    assert_ne!(
        text(&root, ".rf-error"),
        "server text",
        "the form's own translation"
    );
    assert_ne!(attr(&root, "img.rf-captcha", "src").unwrap(), src2);
    assert_eq!(text(&root, ".rf-attempts"), "Attempts left: 4");
    let calls = StubFetch::calls();
    assert_eq!(
        field(&calls[1], "url").as_string().as_deref(),
        Some("https://id.example.com/api/recovery/flows/f%201/captcha")
    );
    assert_eq!(
        field(&body_of(&calls[1]), "answer").as_string().as_deref(),
        Some("123456")
    );

    // Right answer -> channel.
    StubFetch::push(&format!("[200, {FLOW_CHANNEL}]"));
    type_into(&root, "answer", "654321");
    submit(&root);
    wait_for(&root, "form[data-step=channel]", 2000).await;
    let radios = root
        .query_selector_all("input[type=radio][name=channel]")
        .unwrap();
    assert_eq!(radios.length(), 2);
    assert!(text(&root, "form").contains("SMS to +49 ••• •••• 89"));
    assert!(text(&root, "form").contains("E-mail to d•••@example.com"));
    assert!(q_opt(&root, "[data-action=review]").is_some());
    assert_eq!(active_name().as_deref(), Some("channel"));

    // Send to SMS -> code, with the resend countdown running.
    StubFetch::push(&format!("[200, {FLOW_CODE}]"));
    submit(&root);
    wait_for(&root, "form[data-step=code]", 2000).await;
    assert_eq!(
        field(&body_of(&StubFetch::calls()[3]), "channel")
            .as_string()
            .as_deref(),
        Some("c1")
    );
    let code = q(&root, "[name=code]");
    assert_eq!(code.get_attribute("inputmode").as_deref(), Some("numeric"));
    assert_eq!(
        code.get_attribute("autocomplete").as_deref(),
        Some("one-time-code")
    );
    assert_eq!(code.get_attribute("maxlength").as_deref(), Some("6"));
    assert_eq!(active_name().as_deref(), Some("code"));
    let resend = q(&root, "[data-action=resend]");
    assert!(resend.has_attribute("disabled"));
    let secs: u32 = attr(
        &root,
        "[data-action=resend] [data-countdown]",
        "data-seconds",
    )
    .unwrap()
    .parse()
    .unwrap();
    assert!((58..=60).contains(&secs), "{secs}");
    assert!(
        resend.text_content().unwrap().starts_with("Resend in 0:5")
            || resend.text_content().unwrap() == "Resend in 1:00"
    );

    // "Not working?" -> the channels again, the current one marked.
    click(&root, "[data-action=not-working]");
    assert_eq!(step(&root), "channel");
    let current = q(&root, "label.rf-choice[data-current]");
    assert!(current.text_content().unwrap().contains("+49"));
    assert_eq!(
        q(&root, "input[name=channel]:checked")
            .get_attribute("value")
            .as_deref(),
        Some("c2")
    );
    // Manual review, and back.
    click(&root, "[data-action=review]");
    assert_eq!(step(&root), "review");
    assert_eq!(active_name().as_deref(), Some("contact"));
    type_into(&root, "contact", "100000001");
    type_into(&root, "message", "Lost my phone");
    submit(&root);
    assert_eq!(
        attr(&root, ".rf-error", "data-code").as_deref(),
        Some("review.contact_invalid")
    );
    click(&root, "[data-action=back]");
    assert_eq!(step(&root), "channel");
    click(&root, "[data-action=back]");
    assert_eq!(step(&root), "code");

    // A 429 on verify: retry disabled with a countdown, then usable.
    StubFetch::push(
        r#"[429, {"error":{"code":"rate.limited","message":"m","retry_after":2}}, {"Retry-After":"2"}]"#,
    );
    type_into(&root, "code", "111111");
    submit(&root);
    let retry = wait_for(&root, "button[data-action=retry]", 2000).await;
    assert_eq!(
        attr(&root, ".rf-error", "data-code").as_deref(),
        Some("rate.limited")
    );
    assert!(retry.has_attribute("disabled"));
    assert_eq!(
        attr(
            &root,
            "[data-action=retry] [data-countdown]",
            "data-seconds"
        )
        .as_deref(),
        Some("2")
    );
    assert_eq!(retry.text_content().unwrap(), "Try again in 0:02");
    wait_for(&root, "button[data-action=retry]:not([disabled])", 4000).await;
    StubFetch::push(&format!("[200, {FLOW_PASSWORD}]"));
    click(&root, "button[data-action=retry]");
    wait_for(&root, "form[data-step=password]", 2000).await;
    let calls = StubFetch::calls();
    let last = calls.last().unwrap();
    assert!(field(last, "url")
        .as_string()
        .unwrap()
        .ends_with("/flows/f%201/code/verify"));
    assert_eq!(
        field(&body_of(last), "code").as_string().as_deref(),
        Some("111111")
    );

    // Password: strength as typed, show/hide, mismatch on the client.
    assert_eq!(active_name().as_deref(), Some("password"));
    assert_eq!(
        attr(&root, "[name=password]", "autocomplete").as_deref(),
        Some("new-password")
    );
    assert_eq!(
        attr(&root, "[name=confirm]", "autocomplete").as_deref(),
        Some("new-password")
    );
    type_into(&root, "password", "aaaa");
    assert_eq!(
        attr(&root, "meter.rf-strength", "value").as_deref(),
        Some("0")
    );
    assert!(q_opt(&root, ".rf-hints li[data-code='password.hint.longer']").is_some());
    type_into(&root, "password", "gravel pine Lantern 47");
    assert_eq!(
        attr(&root, "meter.rf-strength", "value").as_deref(),
        Some("4")
    );
    click(&root, "[data-action=toggle-visibility]");
    assert_eq!(
        attr(&root, "[name=password]", "type").as_deref(),
        Some("text")
    );
    assert_eq!(
        attr(&root, "[name=confirm]", "type").as_deref(),
        Some("text")
    );
    assert_eq!(
        attr(&root, "[data-action=toggle-visibility]", "aria-pressed").as_deref(),
        Some("true")
    );
    click(&root, "[data-action=toggle-visibility]");
    assert_eq!(
        attr(&root, "[name=password]", "type").as_deref(),
        Some("password")
    );
    type_into(&root, "confirm", "gravel pine Lantern 48");
    submit(&root);
    assert_eq!(
        attr(&root, ".rf-error", "data-code").as_deref(),
        Some("password.mismatch")
    );
    assert_eq!(active_name().as_deref(), Some("confirm"));
    let sent = StubFetch::calls().len();
    assert_eq!(sent, calls.len(), "nothing sent on a mismatch");

    // The server refuses a common password: its code is translated.
    StubFetch::push(r#"[422, {"error":{"code":"password.common","message":"x"}}]"#);
    type_into(&root, "confirm", "gravel pine Lantern 47");
    submit(&root);
    wait_for(&root, ".rf-error[data-code='password.common']", 2000).await;
    assert_eq!(
        text(&root, ".rf-error"),
        "This password is too common. Choose one that is harder to guess."
    );

    StubFetch::push(&format!("[200, {FLOW_DONE}]"));
    submit(&root);
    wait_for(&root, "form[data-step=done]", 2000).await;
    let last = StubFetch::calls().pop().unwrap();
    let sent = body_of(&last);
    assert_eq!(
        field(&sent, "password").as_string().as_deref(),
        Some("gravel pine Lantern 47")
    );
    assert_eq!(
        field(&sent, "confirm").as_string().as_deref(),
        Some("gravel pine Lantern 47")
    );
    assert_eq!(doc().active_element().unwrap().tag_name(), "H2");

    let steps: Vec<String> = events(&host)
        .iter()
        .filter(|(t, _)| t == "resetflow:step")
        .map(|(_, d)| field(d, "step").as_string().unwrap())
        .collect();
    assert_eq!(
        steps,
        [
            "identifier",
            "captcha",
            "channel",
            "code",
            "channel",
            "review",
            "channel",
            "code",
            "password",
            "done"
        ]
    );
    let complete: Vec<_> = events(&host)
        .into_iter()
        .filter(|(t, _)| t == "resetflow:complete")
        .collect();
    assert_eq!(complete.len(), 1);
    assert_eq!(
        field(&complete[0].1, "flowId").as_string().as_deref(),
        Some("f 1")
    );
    let errors: Vec<(String, f64)> = events(&host)
        .iter()
        .filter(|(t, _)| t == "resetflow:error")
        .map(|(_, d)| {
            (
                field(d, "code").as_string().unwrap(),
                field(d, "status").as_f64().unwrap(),
            )
        })
        // Nothing serves the images of this endpoint: their failures are
        // reported too, at their own pace.
        .filter(|(code, _)| code != "captcha.unavailable")
        .collect();
    assert_eq!(
        errors,
        [
            ("captcha.mismatch".to_owned(), 422.0),
            ("rate.limited".to_owned(), 429.0),
            ("password.common".to_owned(), 422.0)
        ]
    );
    form.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn expired_and_locked_flows_offer_a_restart() {
    let _stub = StubFetch::install(&format!(
        r#"[[201, {FLOW_CAPTCHA}],
            [410, {{"error":{{"code":"flow.expired","message":"x"}}}}],
            [201, {FLOW_CAPTCHA}],
            [409, {{"error":{{"code":"flow.locked","message":"x"}}}}]]"#
    ));
    let host = host();
    let mut form = RecoveryForm::new(
        host.clone(),
        options(&[("endpoint", "/api/recovery"), ("locale", "id")]),
    )
    .unwrap();
    let root = q(&host, "div.rf");
    type_into(&root, "identifier", "100000001");
    submit(&root);
    wait_for(&root, "form[data-step=captcha]", 2000).await;
    type_into(&root, "answer", "1");
    submit(&root);
    wait_for(&root, "form[data-step=expired]", 2000).await;
    assert_eq!(
        attr(&root, ".rf-error", "data-code").as_deref(),
        Some("flow.expired")
    );
    assert_eq!(text(&root, "h2"), "Pemulihan ini sudah kedaluwarsa");
    assert_eq!(doc().active_element().unwrap().tag_name(), "H2");
    click(&root, "[data-action=restart]");
    assert_eq!(step(&root), "identifier");
    assert_eq!(
        Reflect::get(&q(&root, "[name=identifier]"), &"value".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("100000001"),
        "what was typed is kept"
    );
    submit(&root);
    wait_for(&root, "form[data-step=captcha]", 2000).await;
    type_into(&root, "answer", "1");
    submit(&root);
    wait_for(&root, "form[data-step=locked]", 2000).await;
    assert_eq!(
        attr(&root, ".rf-error", "data-code").as_deref(),
        Some("flow.locked")
    );
    assert!(q_opt(&root, "[data-action=restart]").is_some());
    form.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn captcha_image_failure_offers_a_new_image() {
    let _stub = StubFetch::install(&format!("[[201, {FLOW_CAPTCHA}]]"));
    let host = host();
    // The test server has no such route: the image answers 404.
    let mut form = RecoveryForm::new(
        host.clone(),
        options(&[("endpoint", "/rf-nowhere/api/recovery"), ("locale", "en")]),
    )
    .unwrap();
    let root = q(&host, "div.rf");
    type_into(&root, "identifier", "100000001");
    submit(&root);
    wait_for(&root, "form[data-step=captcha]", 2000).await;
    let err = wait_for(&root, ".rf-error[data-code='captcha.unavailable']", 5000).await;
    assert_eq!(
        err.text_content().unwrap(),
        "The image could not be loaded. Try again."
    );
    let src = attr(&root, "img.rf-captcha", "src").unwrap();
    assert!(
        src.starts_with("/rf-nowhere/api/recovery/flows/f%201/captcha?n="),
        "{src}"
    );
    click(&root, "button[data-action=retry]");
    assert_ne!(attr(&root, "img.rf-captcha", "src").unwrap(), src);
    assert_eq!(
        text(&root, ".rf-error"),
        "",
        "cleared until the next image fails"
    );
    assert!(q_opt(&root, "button[data-action=retry]").is_none());
    assert_eq!(active_name().as_deref(), Some("answer"));
    assert!(events(&host).iter().any(|(t, d)| t == "resetflow:error"
        && field(d, "code").as_string().as_deref() == Some("captcha.unavailable")));
    form.destroy();
    host.remove();
}

/// Every error code the recovery routes of `openapi.yaml` can answer, and
/// the form's own client-side codes.
const ERROR_CODES: &[&str] = &[
    "request.invalid_json",
    "request.unsupported_media_type",
    "request.origin_forbidden",
    "request.not_found",
    "request.method_not_allowed",
    "flow.not_found",
    "flow.expired",
    "flow.completed",
    "flow.locked",
    "flow.revoked",
    "flow.conflict",
    "review.denied",
    "captcha.mismatch",
    "channel.unknown",
    "code.cooldown",
    "code.send_limit",
    "code.mismatch",
    "code.attempts_exhausted",
    "code.expired",
    "rate.limited",
    "password.too_short",
    "password.too_long",
    "password.common",
    "password.contains_identifier",
    "password.needs_letters_and_digits",
    "password.mismatch",
    "password.invalid_characters",
    "review.contact_required",
    "review.message_required",
    "review.message_too_long",
    "review.contact_invalid",
    "identifier.empty",
    "identifier.unrecognized",
    "email.invalid_domain",
    "phone.too_short",
    "account_id.too_long",
    "region.unknown",
    "internal",
    // The form's own.
    "network.failed",
    "captcha.unavailable",
    "captcha.required",
    "code.required",
    "channel.required",
];

#[wasm_bindgen_test]
async fn every_error_code_is_translated_in_every_locale() {
    let host = host();
    for code in ERROR_CODES {
        let mut seen: Vec<String> = Vec::new();
        for locale in ["en", "de", "es", "id", "zh"] {
            let _stub = StubFetch::install(&format!(
                r#"[[422, {{"error":{{"code":"{code}","message":"SERVER TEXT"}}}}]]"#
            ));
            let mut form = RecoveryForm::new(
                host.clone(),
                options(&[("endpoint", "/api/recovery"), ("locale", locale)]),
            )
            .unwrap();
            let root = q(&host, "div.rf");
            type_into(&root, "identifier", "100000001");
            submit(&root);
            let err = wait_for(&root, &format!(".rf-error[data-code='{code}']"), 2000).await;
            let shown = err.text_content().unwrap();
            assert!(
                !shown.is_empty() && shown != "SERVER TEXT",
                "{code} in {locale}: {shown:?}"
            );
            assert!(
                !seen.contains(&shown),
                "{code} in {locale} repeats {shown:?}"
            );
            seen.push(shown);
            form.destroy();
        }
    }
    // A code nobody knows shows the server's localised message.
    let _stub = StubFetch::install(
        r#"[[400, {"error":{"code":"something.new","message":"Neue Meldung"}}]]"#,
    );
    let mut form = RecoveryForm::new(
        host.clone(),
        options(&[("endpoint", "/api/recovery"), ("locale", "de")]),
    )
    .unwrap();
    let root = q(&host, "div.rf");
    type_into(&root, "identifier", "100000001");
    submit(&root);
    let err = wait_for(&root, ".rf-error[data-code='something.new']", 2000).await;
    assert_eq!(err.text_content().unwrap(), "Neue Meldung");
    form.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn manual_review_waits_then_carries_on_at_the_code() {
    let pending = FLOW_CHANNEL
        .replace("\"channel\"", "\"review_pending\"")
        .replace("\"resend_after\":0", "\"resend_after\":null");
    let approved = FLOW_CODE
        .replace(
            r#"[{"id":"c1","kind":"sms","to":"+49 ••• •••• 89"},
              {"id":"c2","kind":"email","to":"d•••@example.com"}]"#,
            r#"[{"id":"r1","kind":"email","to":"n•••@example.org"}]"#,
        )
        .replace("\"code_channel\":\"c1\"", "\"code_channel\":\"r1\"");
    let _stub = StubFetch::install(&format!(
        "[[201, {FLOW_CAPTCHA}], [200, {FLOW_CHANNEL}], [200, {pending}], [200, {pending}], [200, {approved}]]"
    ));
    let host = host();
    let mut form = RecoveryForm::new(
        host.clone(),
        options(&[("endpoint", "/api/recovery"), ("locale", "en")]),
    )
    .unwrap();
    let root = q(&host, "div.rf");
    type_into(&root, "identifier", "demo@example.com");
    submit(&root);
    wait_for(&root, "form[data-step=captcha]", 2000).await;
    type_into(&root, "answer", "123456");
    submit(&root);
    wait_for(&root, "form[data-step=channel]", 2000).await;
    click(&root, "[data-action=review]");
    assert_eq!(step(&root), "review");

    // The contact is checked with the identifier parser; the message must be there.
    type_into(&root, "contact", "new@");
    submit(&root);
    assert_eq!(
        attr(&root, ".rf-error", "data-code").as_deref(),
        Some("email.missing_domain")
    );
    type_into(&root, "contact", "new@example.org");
    submit(&root);
    assert_eq!(
        attr(&root, ".rf-error", "data-code").as_deref(),
        Some("review.message_required")
    );
    assert_eq!(active_name().as_deref(), Some("message"));
    assert_eq!(StubFetch::calls().len(), 2);
    type_into(&root, "message", "My phone was stolen.");
    submit(&root);
    wait_for(&root, "form[data-step=review_pending]", 2000).await;
    let sent = body_of(&StubFetch::calls()[2]);
    assert_eq!(
        field(&sent, "contact").as_string().as_deref(),
        Some("new@example.org")
    );
    assert_eq!(
        field(&sent, "message").as_string().as_deref(),
        Some("My phone was stolen.")
    );
    assert!(text(&root, ".rf-intro").contains("one working day"));
    assert_eq!(doc().active_element().unwrap().tag_name(), "H2");

    // "Check status": still pending, said politely.
    click(&root, "[data-action=refresh]");
    wait_for(&root, ".rf-status:not(:empty)", 2000).await;
    assert_eq!(text(&root, ".rf-status"), "No answer yet.");
    assert_eq!(attr(&root, ".rf-status", "role").as_deref(), Some("status"));
    let calls = StubFetch::calls();
    assert_eq!(
        field(&calls[3], "method").as_string().as_deref(),
        Some("GET")
    );
    assert!(field(&calls[3], "url")
        .as_string()
        .unwrap()
        .ends_with("/api/recovery/flows/f%201"));

    // Approved: the code went to the new contact.
    click(&root, "[data-action=refresh]");
    wait_for(&root, "form[data-step=code]", 2000).await;
    assert!(text(&root, ".rf-intro").contains("n•••@example.org"));
    form.destroy();
    host.remove();
}

#[wasm_bindgen_test]
fn dropping_the_handle_keeps_the_form_working() {
    let host = host();
    let form = RecoveryForm::new(
        host.clone(),
        options(&[("endpoint", "/api/recovery"), ("locale", "en")]),
    )
    .unwrap();
    // What the garbage collector does to an unreferenced `new RecoveryForm(..)`.
    drop(form);
    let root = q(&host, "div.rf");
    type_into(&root, "identifier", "demo@example.com");
    assert_eq!(
        attr(&root, "output.rf-kind", "data-kind").as_deref(),
        Some("email")
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn a_lost_answer_to_the_password_ends_at_done() {
    // The flow goes straight to the password step (the form follows the
    // step of each answer); the password's answer is lost on the way.
    let _stub = StubFetch::install(&format!("[[201, {FLOW_PASSWORD}]]"));
    let host = host();
    let mut form = RecoveryForm::new(
        host.clone(),
        options(&[("endpoint", "/api/recovery"), ("locale", "en")]),
    )
    .unwrap();
    let root = q(&host, "div.rf");
    type_into(&root, "identifier", "100000001");
    submit(&root);
    wait_for(&root, "form[data-step=password]", 2000).await;
    type_into(&root, "password", "gravel pine Lantern 47");
    type_into(&root, "confirm", "gravel pine Lantern 47");
    submit(&root);
    wait_for(&root, ".rf-error[data-code='network.failed']", 2000).await;
    // The server did set it: the retry hears that the flow is complete.
    StubFetch::push(r#"[409, {"error":{"code":"flow.completed","message":"x"}}]"#);
    click(&root, "button[data-action=retry]");
    wait_for(&root, "form[data-step=done]", 2000).await;
    let calls = StubFetch::calls();
    assert_eq!(
        field(&calls[1], "body").as_string(),
        field(&calls[2], "body").as_string(),
        "the retry sends the same request"
    );
    assert_eq!(calls.len(), 3);
    assert_eq!(
        field(&body_of(&calls[2]), "password")
            .as_string()
            .as_deref(),
        Some("gravel pine Lantern 47")
    );
    assert!(events(&host).iter().any(|(t, _)| t == "resetflow:complete"));
    form.destroy();
    host.remove();
}
