//! E-mail through an SMTP server (lettre, asynchronous on tokio, TLS by
//! rustls).
//!
//! Configured by a URL, `smtp://[USER[:PASSWORD]@]HOST[:PORT]` or
//! `smtps://...` (user and password percent-encoded), a From address and a
//! [`TlsMode`]:
//!
//! | mode | what happens | default port |
//! |---|---|---|
//! | `starttls` (default for `smtp://`) | plain connection, then `STARTTLS`, **required**: a server that does not offer it is refused | 587 |
//! | `tls` (default for `smtps://`) | TLS from the first byte (RFC 8314 "implicit TLS") | 465 |
//! | `none` | no encryption; for a relay on the same host or a trusted network only | 25 |
//!
//! Certificates are checked against the Mozilla roots compiled into the
//! binary (webpki-roots), plus the certificates of an optional PEM file for a
//! private CA. Credentials are never sent without TLS to anything but a
//! loopback address: `serve` refuses that configuration.
//!
//! Each message is `multipart/alternative` (plain text, then HTML) from
//! [`templates`], with a `Date`, a `Message-ID` built from
//! [`message_id`] and the From domain, and
//! `Auto-Submitted: auto-generated` (RFC 3834), so that auto-responders stay
//! quiet.
//!
//! Failures: a 5xx answer (the server refuses this message for good) is
//! permanent; a 4xx answer, a timeout, a connection or TLS failure is
//! retried. The recorded error keeps the kind of failure and the SMTP code,
//! never the server's answer text (it may quote the recipient).

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use async_trait::async_trait;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use resetflow::protocol::mask_email;
use resetflow::Locale;

use super::{config_error, message_id, templates, ConfigError, Delivery, DeliveryError};
use crate::config::ServeConfig;
use crate::store::Job;

/// How the connection to the SMTP server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TlsMode {
    /// No TLS at all (a relay on this host or a trusted network).
    None,
    /// A plain connection upgraded with `STARTTLS`, which must be offered.
    Starttls,
    /// TLS from the start (`smtps`, usually port 465).
    Tls,
}

impl TlsMode {
    /// The name used by `--smtp-tls`.
    pub const fn as_str(self) -> &'static str {
        match self {
            TlsMode::None => "none",
            TlsMode::Starttls => "starttls",
            TlsMode::Tls => "tls",
        }
    }

    const fn default_port(self) -> u16 {
        match self {
            TlsMode::None => 25,
            TlsMode::Starttls => 587,
            TlsMode::Tls => 465,
        }
    }
}

/// What the SMTP delivery needs, as configured.
#[derive(Clone)]
pub struct SmtpSettings {
    /// `smtp://` or `smtps://` URL, credentials included.
    pub url: String,
    /// The From address (`resetflow <no-reply@example.com>` or a bare address).
    pub from: String,
    /// The TLS mode; `None` takes it from the URL's scheme.
    pub tls: Option<TlsMode>,
    /// A PEM file of extra trusted CA certificates.
    pub ca_file: Option<PathBuf>,
    /// Limit for one whole send: connecting, TLS and every command.
    pub timeout: Duration,
}

impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("url", &"<redacted>")
            .field("from", &self.from)
            .field("tls", &self.tls)
            .field("ca_file", &self.ca_file)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl SmtpSettings {
    /// The SMTP part of `serve`'s configuration, if any.
    ///
    /// # Errors
    ///
    /// `serve.smtp` when it is incomplete: a URL without a From address, or
    /// a From address, TLS mode or CA file without a URL.
    pub fn from_config(config: &ServeConfig) -> Result<Option<SmtpSettings>, ConfigError> {
        match (&config.smtp_url, &config.smtp_from) {
            (Some(url), Some(from)) => Ok(Some(SmtpSettings {
                url: url.clone(),
                from: from.clone(),
                tls: config.smtp_tls,
                ca_file: config.smtp_ca_file.clone(),
                timeout: Duration::from_secs(config.smtp_timeout_secs.max(1)),
            })),
            (Some(_), None) => Err(config_error(
                "serve.smtp",
                "--smtp-url needs --smtp-from (the From address of e-mails)",
            )),
            (None, _)
                if config.smtp_from.is_some()
                    || config.smtp_tls.is_some()
                    || config.smtp_ca_file.is_some() =>
            {
                Err(config_error(
                    "serve.smtp",
                    "--smtp-from, --smtp-tls and --smtp-ca-file need --smtp-url",
                ))
            }
            (None, _) => Ok(None),
        }
    }
}

/// E-mail through an SMTP server.
pub struct SmtpDelivery {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    id_domain: String,
    host: String,
    port: u16,
    mode: TlsMode,
    timeout: Duration,
}

impl fmt::Debug for SmtpDelivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpDelivery")
            .field("server", &self.describe())
            .field("from", &self.from.email.to_string())
            .finish()
    }
}

fn bad(message: impl Into<String>) -> ConfigError {
    config_error("serve.smtp", message)
}

fn decode(s: &str) -> Result<String, ConfigError> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| bad("the user and password in --smtp-url must be UTF-8 when decoded"))
}

pub(crate) fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl SmtpDelivery {
    /// A delivery for `settings`. Connects lazily, at the first message.
    ///
    /// # Errors
    ///
    /// `serve.smtp` for a URL that is not `smtp://` or `smtps://` with a
    /// host, a TLS mode that contradicts the scheme, credentials over an
    /// unencrypted connection to another host, an invalid From address, or
    /// a CA file that cannot be read or holds no certificate. The message
    /// never repeats the URL (it may hold a password).
    pub fn new(settings: &SmtpSettings) -> Result<SmtpDelivery, ConfigError> {
        let url = url::Url::parse(&settings.url)
            .map_err(|e| bad(format!("--smtp-url is not a valid URL ({e})")))?;
        let scheme_mode = match url.scheme() {
            "smtp" => TlsMode::Starttls,
            "smtps" => TlsMode::Tls,
            other => {
                return Err(bad(format!(
                    "--smtp-url must start with smtp:// or smtps://, not {other}://"
                )))
            }
        };
        let mode = match (url.scheme(), settings.tls) {
            ("smtps", Some(m)) if m != TlsMode::Tls => {
                return Err(bad(format!(
                    "an smtps:// URL means TLS from the start; it contradicts --smtp-tls {}",
                    m.as_str()
                )))
            }
            (_, Some(m)) => m,
            (_, None) => scheme_mode,
        };
        if url.query().is_some() || !matches!(url.path(), "" | "/") {
            return Err(bad(
                "--smtp-url takes no path or query; set the TLS mode with --smtp-tls",
            ));
        }
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| bad("--smtp-url needs a host"))?
            .to_owned();
        // `Url` keeps IPv6 hosts in brackets; the socket and SNI want them bare.
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let port = url.port().unwrap_or(mode.default_port());
        let credentials = if url.username().is_empty() {
            None
        } else {
            let user = decode(url.username())?;
            let password = decode(url.password().unwrap_or(""))?;
            Some(Credentials::new(user, password))
        };
        if credentials.is_some() && mode == TlsMode::None && !is_loopback(&host) {
            return Err(bad(
                "--smtp-url has a user and password but --smtp-tls none would send them \
                 unencrypted to another host; use starttls or tls",
            ));
        }
        let from: Mailbox = settings.from.parse().map_err(|e| {
            bad(format!(
                "--smtp-from {:?} is not a valid address ({e})",
                settings.from
            ))
        })?;
        let id_domain = from.email.domain().to_owned();

        let tls = if mode == TlsMode::None {
            Tls::None
        } else {
            let mut params = TlsParameters::builder(host.clone());
            if let Some(path) = &settings.ca_file {
                let pem = std::fs::read(path).map_err(|e| {
                    bad(format!(
                        "cannot read --smtp-ca-file {}: {e}",
                        path.display()
                    ))
                })?;
                if !String::from_utf8_lossy(&pem).contains("-----BEGIN CERTIFICATE-----") {
                    return Err(bad(format!(
                        "--smtp-ca-file {} holds no PEM certificate",
                        path.display()
                    )));
                }
                let cert = Certificate::from_pem(&pem)
                    .map_err(|e| bad(format!("--smtp-ca-file {}: {e}", path.display())))?;
                params = params.add_root_certificate(cert);
            }
            let params = params
                .build_rustls()
                .map_err(|e| bad(format!("TLS set-up failed: {e}")))?;
            if mode == TlsMode::Tls {
                Tls::Wrapper(params)
            } else {
                Tls::Required(params)
            }
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.clone())
            .port(port)
            .tls(tls)
            .timeout(Some(settings.timeout));
        if let Some(c) = credentials {
            builder = builder.credentials(c);
        }
        Ok(SmtpDelivery {
            transport: builder.build(),
            from,
            id_domain,
            host,
            port,
            mode,
            timeout: settings.timeout,
        })
    }

    /// Whether mail leaves this host unencrypted (`--smtp-tls none` to a
    /// host that is not a loopback address): `serve` warns about it.
    pub fn unencrypted_remote(&self) -> bool {
        self.mode == TlsMode::None && !is_loopback(&self.host)
    }

    /// `HOST:PORT (mode)`, for logs: no credentials.
    pub fn describe(&self) -> String {
        format!("{}:{} ({})", self.host, self.port, self.mode.as_str())
    }

    /// The e-mail for `job`, ready to send.
    ///
    /// # Errors
    ///
    /// Permanent: the recipient is not a valid address, or the message
    /// cannot be built.
    pub fn build(&self, job: &Job) -> Result<lettre::Message, DeliveryError> {
        let m = &job.message;
        let to: Mailbox = m
            .to
            .parse()
            .map_err(|_| DeliveryError::permanent("smtp: the recipient is not a valid address"))?;
        let locale = Locale::negotiate(&m.locale);
        let mail = templates::email(m.purpose, locale, &mask_email(&m.to), &m.secret);
        lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject)
            .date_now()
            .message_id(Some(format!("<{}@{}>", message_id(job), self.id_domain)))
            .header(AutoSubmitted)
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(mail.text),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(mail.html),
                    ),
            )
            .map_err(|e| DeliveryError::permanent(format!("smtp: cannot build the e-mail: {e}")))
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834).
#[derive(Clone, Debug)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// The recorded form of an SMTP failure: its kind and code, never the
/// server's text.
fn classify(e: &lettre::transport::smtp::Error) -> DeliveryError {
    if let Some(code) = e.status() {
        return if e.is_permanent() {
            DeliveryError::permanent(format!("smtp: the server refused the message ({code})"))
        } else {
            DeliveryError::retry(format!("smtp: temporary refusal ({code})"))
        };
    }
    if e.is_timeout() {
        return DeliveryError::retry("smtp: timed out");
    }
    if let Some(tls) = tls_cause(e) {
        return DeliveryError::retry(format!("smtp: TLS failed: {tls}"));
    }
    if e.is_tls() {
        return DeliveryError::retry("smtp: TLS failed");
    }
    if e.is_response() {
        return DeliveryError::retry("smtp: unexpected answer from the server");
    }
    // The innermost cause of a connection failure is an I/O error: it helps
    // the operator and holds no message data.
    let mut cause = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        cause = format!(": {s}");
        source = s.source();
    }
    DeliveryError::retry(format!("smtp: {}{cause}", kind_name(e)))
}

/// The rustls error somewhere below `e` (a refused certificate, a failed
/// handshake), also when wrapped in an I/O error.
fn tls_cause(e: &lettre::transport::smtp::Error) -> Option<String> {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(t) = s.downcast_ref::<rustls::Error>() {
            return Some(t.to_string());
        }
        if let Some(t) = s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return Some(t.to_string());
        }
        source = s.source();
    }
    None
}

fn kind_name(e: &lettre::transport::smtp::Error) -> &'static str {
    if e.is_client() {
        "client error"
    } else if e.is_transport_shutdown() {
        "transport shut down"
    } else {
        "connection failed"
    }
}

#[async_trait]
impl Delivery for SmtpDelivery {
    async fn deliver(&self, job: &Job) -> Result<(), DeliveryError> {
        let mail = self.build(job)?;
        // lettre's own timeout bounds connecting; this one bounds the whole
        // exchange, so a server that stops answering cannot stall the worker.
        match tokio::time::timeout(self.timeout, self.transport.send(mail)).await {
            Ok(sent) => sent.map(|_| ()).map_err(|e| classify(&e)),
            Err(_) => Err(DeliveryError::retry("smtp: timed out")),
        }
    }
}
