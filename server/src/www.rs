//! The test page: static files from the `www/` folder at `/`.
//!
//! Only plain files under the folder are served (no `..`, no hidden files),
//! each with its MIME type — `.wasm` must be `application/wasm` or browsers
//! refuse to compile it — and a strict Content-Security-Policy that still
//! lets the page instantiate WebAssembly.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::api::{request_locale, AppState};
use crate::error::{ApiError, Code};

/// The CSP of every page served.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
base-uri 'none'; frame-ancestors 'none'";

/// The MIME type of a file name, by extension.
pub fn mime_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "wasm" => "application/wasm",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        // The package's phone table, fetched by the form at run time.
        "tsv" => "text/tab-separated-values; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The fallback handler: a file of the test page, or a JSON 404.
pub async fn serve(State(state): State<AppState>, req: Request) -> Response {
    let locale = request_locale(req.headers());
    let not_found = || ApiError::new(Code::NotFound, locale).into_response();
    let path = req.uri().path();
    let Some(root) = &state.www else {
        return not_found();
    };
    if path.starts_with("/api/") || path.starts_with("/dev/") {
        return not_found();
    }
    let rel = path.trim_start_matches('/');
    let rel = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_owned()
    };
    let safe = rel
        .split('/')
        .all(|seg| !seg.is_empty() && !seg.starts_with('.') && !seg.contains('\\'));
    if !safe {
        return not_found();
    }
    let file = root.join(&rel);
    match tokio::fs::read(&file).await {
        Ok(bytes) => {
            let mut res = (StatusCode::OK, bytes).into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(mime_type(&rel)),
            );
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CSP),
            );
            res
        }
        Err(_) => not_found(),
    }
}

#[cfg(test)]
mod tests {
    use super::mime_type;

    #[test]
    fn mime_types() {
        assert_eq!(mime_type("pkg/x_bg.wasm"), "application/wasm");
        assert_eq!(mime_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(mime_type("app.JS"), "text/javascript; charset=utf-8");
        assert_eq!(
            mime_type("pkg/phone-metadata.tsv"),
            "text/tab-separated-values; charset=utf-8"
        );
        assert_eq!(mime_type("noext"), "application/octet-stream");
    }
}
