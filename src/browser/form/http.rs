//! The one `fetch` helper of the form, and the flow object it reads.
//!
//! JSON is parsed with the browser's own `JSON.parse` and read field by field
//! with `Reflect`, so the browser build carries no JSON library. Field names
//! and meanings are those of [`crate::protocol::FlowObject`].

use js_sys::JSON;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCredentials, RequestInit, Response, Window};

use super::dom::{get_num, get_str, object};

/// A request the form may have to send again (the retry button).
#[derive(Clone)]
pub(super) struct Req {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The full URL.
    pub url: String,
    /// The JSON body of a `POST`.
    pub body: Option<String>,
}

/// Why a request failed: `status` 0 for a network failure.
pub(super) struct Failure {
    pub status: u16,
    pub code: String,
    /// The server's localised message, for codes the form has no text for.
    pub message: Option<String>,
    /// Seconds from `Retry-After` (or `error.retry_after`) on a 429.
    pub retry_after: Option<f64>,
}

impl Failure {
    fn network() -> Failure {
        Failure {
            status: 0,
            code: "network.failed".into(),
            message: None,
            retry_after: None,
        }
    }
}

/// One channel of a flow: `id`, `kind` (`sms` or `email`), masked `to`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Channel {
    pub id: String,
    pub kind: String,
    pub to: String,
}

/// The fields of the flow object the form uses.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Flow {
    pub id: String,
    pub step: String,
    pub channels: Vec<Channel>,
    pub attempts_left: Option<f64>,
    pub resend_after: Option<f64>,
    pub code_channel: Option<String>,
}

impl Flow {
    /// Reads a flow object; `None` when `id` or `step` is missing.
    pub fn read(v: &JsValue) -> Option<Flow> {
        let channels = js_sys::Reflect::get(v, &JsValue::from_str("channels"))
            .ok()
            .filter(js_sys::Array::is_array)
            .map(|c| {
                js_sys::Array::from(&c)
                    .iter()
                    .filter_map(|ch| {
                        Some(Channel {
                            id: get_str(&ch, "id")?,
                            kind: get_str(&ch, "kind").unwrap_or_default(),
                            to: get_str(&ch, "to").unwrap_or_default(),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(Flow {
            id: get_str(v, "id")?,
            step: get_str(v, "step")?,
            channels,
            attempts_left: get_num(v, "attempts_left"),
            resend_after: get_num(v, "resend_after"),
            code_channel: get_str(v, "code_channel"),
        })
    }
}

/// A JSON body from string fields (`None` fields are left out).
pub(super) fn body(fields: &[(&str, Option<&str>)]) -> Option<String> {
    let present: Vec<(&str, Option<&str>)> = fields
        .iter()
        .filter(|(_, v)| v.is_some())
        .copied()
        .collect();
    JSON::stringify(&object(&present)).ok().map(String::from)
}

/// Sends `req` with `fetch` (`credentials: "same-origin"`, JSON in and
/// out) and returns the parsed JSON of a 2xx answer.
///
/// # Errors
///
/// A [`Failure`]: `network.failed` (status 0) when `fetch` rejects or the
/// body cannot be read; the `error.code` of an error answer; `internal` for
/// an error answer without one (a proxy's HTML page, say).
pub(super) async fn call(win: &Window, req: &Req) -> Result<JsValue, Failure> {
    let init = RequestInit::new();
    init.set_method(req.method);
    init.set_credentials(RequestCredentials::SameOrigin);
    let mut headers = vec![("Accept", Some("application/json"))];
    if let Some(b) = &req.body {
        headers.push(("Content-Type", Some("application/json")));
        init.set_body(&JsValue::from_str(b));
    }
    init.set_headers(&object(&headers));
    let resp: Response = match JsFuture::from(win.fetch_with_str_and_init(&req.url, &init)).await {
        Ok(r) => r.unchecked_into(),
        Err(_) => return Err(Failure::network()),
    };
    let status = resp.status();
    let text = match resp.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()),
        Err(_) => None,
    };
    let Some(text) = text else {
        return Err(Failure::network());
    };
    let json = JSON::parse(&text).ok();
    if resp.ok() {
        return json.ok_or(Failure {
            status,
            code: "internal".into(),
            message: None,
            retry_after: None,
        });
    }
    let error = json
        .and_then(|j| js_sys::Reflect::get(&j, &JsValue::from_str("error")).ok())
        .filter(JsValue::is_object);
    let header = resp
        .headers()
        .get("Retry-After")
        .ok()
        .flatten()
        // Whole seconds (RFC 9110); an HTTP date is left to `retry_after`.
        .and_then(|s| s.trim().parse::<u32>().ok())
        .map(f64::from);
    Err(Failure {
        status,
        code: error
            .as_ref()
            .and_then(|e| get_str(e, "code"))
            .unwrap_or_else(|| {
                if status == 429 {
                    "rate.limited"
                } else {
                    "internal"
                }
                .into()
            }),
        message: error.as_ref().and_then(|e| get_str(e, "message")),
        retry_after: header.or_else(|| error.as_ref().and_then(|e| get_num(e, "retry_after"))),
    })
}
