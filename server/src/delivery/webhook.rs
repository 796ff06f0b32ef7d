//! SMS through an HTTP webhook: each message is POSTed as signed JSON to
//! the SMS gateway (or to a small adapter in front of it).
//!
//! # The request
//!
//! ```text
//! POST <--sms-webhook-url>
//! Content-Type: application/json
//! Resetflow-Timestamp: 1800000000
//! Resetflow-Signature: v1=b90437334f4e7d151bee0e6ddd4c8c27c87045cc385c08d14e8fe0d0369efe5f
//! Idempotency-Key: 42-10293bf1294e79c3
//!
//! {"id":"42-10293bf1294e79c3","locale":"de","purpose":"code","text":"Your resetflow verification code is 123456.","to":"+4915123456789"}
//! ```
//!
//! (That signature is the real one for the secret `whsec-example-0123456789`:
//! a receiver can test its check against it.)
//!
//! - `id` is [`message_id`]: the same on every retry of
//!   one message, so the gateway can drop a duplicate (a retry after a
//!   timeout may repeat a message the gateway did take).
//! - `to` is the number in E.164; `text` the localised SMS text (it holds the
//!   code for `purpose` `"code"`); `purpose` is `"code"` or
//!   `"password_changed"`; `locale` one of `en`, `de`, `es`, `id`, `zh`.
//!
//! # The signature
//!
//! `Resetflow-Timestamp` is the sending time in Unix seconds.
//! `Resetflow-Signature` is `v1=` followed by the lower-case hex of
//! `HMAC-SHA256(key = the UTF-8 bytes of --sms-webhook-secret,
//! message = "<timestamp>" + "." + <the raw request body>)`.
//!
//! A receiver must compute the HMAC over the body bytes exactly as received
//! (before any JSON parsing), compare in constant time, and refuse a
//! timestamp more than 300 seconds away from its own clock (a replay). The
//! `v1=` prefix names the scheme so a later one can be added beside it. In
//! Python:
//!
//! ```python
//! import hashlib, hmac, time
//!
//! def verify(secret: bytes, timestamp: str, signature: str, body: bytes) -> bool:
//!     if abs(time.time() - int(timestamp)) > 300:
//!         return False
//!     mac = hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256)
//!     return hmac.compare_digest("v1=" + mac.hexdigest(), signature)
//! ```
//!
//! # Answers
//!
//! Any 2xx: delivered. 408, 429 and 5xx, a timeout or a connection failure:
//! retried with back-off. Any other status (a 4xx such as 401 for a bad
//! signature, or a redirect, which is not followed): a permanent failure,
//! recorded. The recorded error names the status or the network failure,
//! never the body.
//!
//! The URL must be `https://`; plain `http://` is accepted only for a
//! loopback address (an adapter on the same host), since the body holds the
//! code. Certificates are checked against the Mozilla roots compiled in,
//! plus an optional PEM file of extra CA certificates.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper::{header, Request, StatusCode, Uri};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use resetflow::Locale;
use sha2::Sha256;

use super::{config_error, message_id, ConfigError, Delivery, DeliveryError};
use crate::config::ServeConfig;
use crate::service::Clock;
use crate::store::Job;

/// The header with the sending time, Unix seconds.
pub const TIMESTAMP_HEADER: &str = "Resetflow-Timestamp";
/// The header with the signature, `v1=<hex>`.
pub const SIGNATURE_HEADER: &str = "Resetflow-Signature";
/// The shortest secret accepted, in bytes.
pub const MIN_SECRET_LEN: usize = 16;
/// How far a receiver should let a timestamp stray from its clock.
pub const TOLERANCE_SECS: u64 = 300;
/// The most of a gateway's answer that is read (and then dropped).
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// The signature of `body` sent at `timestamp`: `v1=` and the lower-case
/// hex of HMAC-SHA256(`secret`, `"<timestamp>.<body>"`).
pub fn sign(secret: &[u8], timestamp: u64, body: &[u8]) -> String {
    // HMAC takes a key of any length.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let mut out = String::with_capacity(3 + 64);
    out.push_str("v1=");
    for b in mac.finalize().into_bytes() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// What the webhook delivery needs, as configured.
#[derive(Clone)]
pub struct WebhookSettings {
    /// Where to POST.
    pub url: String,
    /// The signing secret.
    pub secret: String,
    /// A PEM file of extra trusted CA certificates.
    pub ca_file: Option<PathBuf>,
    /// Limit for the whole request, from connecting to the end of the answer.
    pub timeout: Duration,
}

impl fmt::Debug for WebhookSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = self
            .url
            .parse::<Uri>()
            .map_or_else(|_| "<invalid>".to_owned(), |u| without_secrets(&u));
        f.debug_struct("WebhookSettings")
            .field("url", &url)
            .field("secret", &"<redacted>")
            .field("ca_file", &self.ca_file)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// `scheme://host[:port]/path`: a gateway's key may sit in the user
/// information or the query, so logs and `Debug` leave both out.
fn without_secrets(uri: &Uri) -> String {
    format!(
        "{}://{}{}{}",
        uri.scheme_str().unwrap_or("https"),
        uri.host().unwrap_or(""),
        uri.port().map(|p| format!(":{p}")).unwrap_or_default(),
        uri.path()
    )
}

fn bad(message: impl Into<String>) -> ConfigError {
    config_error("serve.sms_webhook", message)
}

impl WebhookSettings {
    /// The webhook part of `serve`'s configuration, if any.
    ///
    /// # Errors
    ///
    /// `serve.sms_webhook` when it is incomplete: a URL without a secret or
    /// the reverse, or a CA file without a URL.
    pub fn from_config(config: &ServeConfig) -> Result<Option<WebhookSettings>, ConfigError> {
        match (&config.sms_webhook_url, &config.sms_webhook_secret) {
            (Some(url), Some(secret)) => Ok(Some(WebhookSettings {
                url: url.clone(),
                secret: secret.clone(),
                ca_file: config.sms_webhook_ca_file.clone(),
                timeout: Duration::from_secs(config.sms_webhook_timeout_secs.max(1)),
            })),
            (Some(_), None) => Err(bad(
                "--sms-webhook-url needs --sms-webhook-secret (the key that signs each request)",
            )),
            (None, Some(_)) => Err(bad("--sms-webhook-secret needs --sms-webhook-url")),
            (None, None) if config.sms_webhook_ca_file.is_some() => {
                Err(bad("--sms-webhook-ca-file needs --sms-webhook-url"))
            }
            (None, None) => Ok(None),
        }
    }
}

/// The secret, kept out of `Debug`.
struct Secret(Vec<u8>);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// SMS through a signed HTTP webhook.
pub struct WebhookDelivery {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    uri: Uri,
    secret: Secret,
    timeout: Duration,
    clock: Clock,
}

impl fmt::Debug for WebhookDelivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookDelivery")
            .field("url", &self.describe())
            .field("secret", &self.secret)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// The TLS client configuration: Mozilla roots plus the PEM file's
/// certificates, ring as the crypto provider.
fn tls_config(ca_file: Option<&PathBuf>) -> Result<rustls::ClientConfig, ConfigError> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = ca_file {
        let pem = std::fs::read(path).map_err(|e| {
            bad(format!(
                "cannot read --sms-webhook-ca-file {}: {e}",
                path.display()
            ))
        })?;
        let certs = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad(format!("--sms-webhook-ca-file {}: {e}", path.display())))?;
        if certs.is_empty() {
            return Err(bad(format!(
                "--sms-webhook-ca-file {} holds no PEM certificate",
                path.display()
            )));
        }
        for cert in certs {
            roots
                .add(cert)
                .map_err(|e| bad(format!("--sms-webhook-ca-file {}: {e}", path.display())))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| bad(format!("TLS set-up failed: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

impl WebhookDelivery {
    /// A delivery for `settings`; `clock` dates the signatures.
    ///
    /// # Errors
    ///
    /// `serve.sms_webhook` for a URL that is not `https://` (or `http://` to
    /// a loopback address), a secret shorter than [`MIN_SECRET_LEN`] bytes,
    /// or a CA file that cannot be read or holds no certificate.
    pub fn new(settings: &WebhookSettings, clock: Clock) -> Result<WebhookDelivery, ConfigError> {
        let uri: Uri = settings
            .url
            .parse()
            .map_err(|e| bad(format!("--sms-webhook-url is not a valid URL ({e})")))?;
        let host = uri
            .host()
            .ok_or_else(|| bad("--sms-webhook-url needs a host"))?;
        match uri.scheme_str() {
            Some("https") => {}
            Some("http") if super::smtp::is_loopback(host) => {}
            Some("http") => {
                return Err(bad(
                    "--sms-webhook-url must be https:// (the body holds the code); plain \
                     http:// is only accepted to a loopback address",
                ))
            }
            _ => return Err(bad("--sms-webhook-url must be an https:// URL")),
        }
        if settings.secret.len() < MIN_SECRET_LEN {
            return Err(bad(format!(
                "--sms-webhook-secret must hold at least {MIN_SECRET_LEN} bytes"
            )));
        }
        let tls = tls_config(settings.ca_file.as_ref())?;
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(settings.timeout));
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(30))
            .build(https);
        Ok(WebhookDelivery {
            client,
            uri,
            secret: Secret(settings.secret.as_bytes().to_vec()),
            timeout: settings.timeout,
            clock,
        })
    }

    /// The URL without any user information or query, for logs.
    pub fn describe(&self) -> String {
        without_secrets(&self.uri)
    }

    /// The JSON body for `job` (see the module docs).
    pub fn body(job: &Job) -> Vec<u8> {
        let m = &job.message;
        let body = serde_json::json!({
            "id": message_id(job),
            "to": m.to,
            "text": m.text,
            "purpose": m.purpose.as_str(),
            "locale": Locale::negotiate(&m.locale).as_str(),
        });
        body.to_string().into_bytes()
    }

    async fn post(&self, job: &Job) -> Result<StatusCode, DeliveryError> {
        let body = WebhookDelivery::body(job);
        let timestamp = (self.clock)().as_unix_secs();
        let signature = sign(&self.secret.0, timestamp, &body);
        let request = Request::post(self.uri.clone())
            .header(header::CONTENT_TYPE, "application/json")
            .header(
                header::USER_AGENT,
                concat!("resetflow/", env!("CARGO_PKG_VERSION")),
            )
            .header(TIMESTAMP_HEADER, timestamp.to_string())
            .header(SIGNATURE_HEADER, signature)
            .header("Idempotency-Key", message_id(job))
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| DeliveryError::permanent(format!("webhook: bad request: {e}")))?;
        let answer = self.client.request(request).await.map_err(|e| {
            let mut reason = format!("webhook: request failed: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                reason.push_str(&format!(": {s}"));
                source = s.source();
            }
            DeliveryError::retry(reason)
        })?;
        let status = answer.status();
        // Read (a bounded part of) the answer so the connection can be reused.
        let _ = Limited::new(answer.into_body(), MAX_ANSWER_BYTES)
            .collect()
            .await;
        Ok(status)
    }
}

#[async_trait]
impl Delivery for WebhookDelivery {
    async fn deliver(&self, job: &Job) -> Result<(), DeliveryError> {
        let status = tokio::time::timeout(self.timeout, self.post(job))
            .await
            .map_err(|_| DeliveryError::retry("webhook: timed out"))??;
        if status.is_success() {
            Ok(())
        } else if status.is_server_error()
            || status == StatusCode::TOO_MANY_REQUESTS
            || status == StatusCode::REQUEST_TIMEOUT
        {
            Err(DeliveryError::retry(format!(
                "webhook: the gateway answered {status}"
            )))
        } else {
            Err(DeliveryError::permanent(format!(
                "webhook: the gateway refused the message ({status})"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the module docs and the README, signature checked
    /// with Python's `hmac`.
    #[test]
    fn the_documented_example_holds() {
        use crate::store::{Message, Purpose};
        use resetflow::flow::ChannelKind;
        let job = Job {
            id: 42,
            attempts: 0,
            message: Message {
                kind: ChannelKind::Sms,
                to: "+4915123456789".into(),
                text: "Your resetflow verification code is 123456.".into(),
                secret: "123456".into(),
                decoy: false,
                purpose: Purpose::Code,
                locale: "de".into(),
            },
        };
        let body = WebhookDelivery::body(&job);
        assert_eq!(
            String::from_utf8(body.clone()).unwrap(),
            r#"{"id":"42-10293bf1294e79c3","locale":"de","purpose":"code","text":"Your resetflow verification code is 123456.","to":"+4915123456789"}"#
        );
        assert_eq!(
            sign(b"whsec-example-0123456789", 1_800_000_000, &body),
            "v1=b90437334f4e7d151bee0e6ddd4c8c27c87045cc385c08d14e8fe0d0369efe5f"
        );
    }

    #[test]
    fn signature_matches_pythons_hmac() {
        // From Python: hmac.new(b"0123456789abcdef", b'1800000000.{"a":1}',
        // hashlib.sha256).hexdigest()
        assert_eq!(
            sign(b"0123456789abcdef", 1_800_000_000, br#"{"a":1}"#),
            "v1=d3e17924cac4a72ca2ee9e5700df170fdb5733eaf69ecd909fb0c18a962b03a5"
        );
    }
}
