//! `resetflow serve` configuration: every option a flag and an environment
//! variable (`RESETFLOW_*`), the flag winning.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use resetflow::protocol::DEFAULT_PREFIX;

/// The options of `resetflow serve`.
#[derive(Clone, clap::Args)]
pub struct ServeConfig {
    /// Address and port to listen on.
    #[arg(long, env = "RESETFLOW_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Database URL: `sqlite://FILE` (created and migrated on first start),
    /// `sqlite::memory:`, or `postgres://USER:PASSWORD@HOST:PORT/DB`
    /// (migrated at start; several nodes may share it; `?max_connections=N`
    /// sets the pool size, default 16).
    #[arg(
        long,
        env = "RESETFLOW_DATABASE",
        default_value = "sqlite://resetflow.db"
    )]
    pub database: String,
    /// Dev mode: demo accounts, the dev outbox at `/dev/outbox`, no real
    /// delivery. Refused unless `--listen` is a loopback address.
    #[arg(long, env = "RESETFLOW_DEV")]
    pub dev: bool,
    /// Redis URL (`redis://HOST:PORT/DB`) for the state several nodes must
    /// share: used captcha nonces, rate limits, resend cooldowns and hourly
    /// send caps. Without it they live in this node and its database.
    #[arg(long, env = "RESETFLOW_REDIS", hide_env_values = true)]
    pub redis: Option<String>,
    /// SMTP server for e-mail: `smtp://[USER[:PASSWORD]@]HOST[:PORT]`
    /// (STARTTLS required, port 587 by default) or `smtps://...` (TLS from
    /// the start, port 465); user and password percent-encoded. Needs
    /// `--smtp-from`.
    #[arg(long, env = "RESETFLOW_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The From address of e-mails (`no-reply@example.com` or
    /// `Example <no-reply@example.com>`).
    #[arg(long, env = "RESETFLOW_SMTP_FROM")]
    pub smtp_from: Option<String>,
    /// How the SMTP connection is protected: `starttls` (required, not
    /// opportunistic), `tls` (from the start) or `none` (a relay on this
    /// host or a trusted network). Default: from the URL's scheme.
    #[arg(long, env = "RESETFLOW_SMTP_TLS", value_enum)]
    pub smtp_tls: Option<crate::delivery::smtp::TlsMode>,
    /// A PEM file of CA certificates to trust for the SMTP server besides
    /// the built-in Mozilla roots (a private CA).
    #[arg(long, env = "RESETFLOW_SMTP_CA_FILE")]
    pub smtp_ca_file: Option<PathBuf>,
    /// Seconds allowed for sending one e-mail: connecting, TLS and every
    /// SMTP command.
    #[arg(long, env = "RESETFLOW_SMTP_TIMEOUT_SECS", default_value_t = 30)]
    pub smtp_timeout_secs: u64,
    /// The SMS gateway's webhook: each SMS is POSTed there as signed JSON.
    /// `https://` (plain `http://` only to a loopback address).
    #[arg(long, env = "RESETFLOW_SMS_WEBHOOK_URL")]
    pub sms_webhook_url: Option<String>,
    /// The shared secret that signs SMS webhook requests (HMAC-SHA256; at
    /// least 16 bytes).
    #[arg(long, env = "RESETFLOW_SMS_WEBHOOK_SECRET", hide_env_values = true)]
    pub sms_webhook_secret: Option<String>,
    /// A PEM file of CA certificates to trust for the webhook besides the
    /// built-in Mozilla roots.
    #[arg(long, env = "RESETFLOW_SMS_WEBHOOK_CA_FILE")]
    pub sms_webhook_ca_file: Option<PathBuf>,
    /// Seconds allowed for one webhook request, connecting included.
    #[arg(long, env = "RESETFLOW_SMS_WEBHOOK_TIMEOUT_SECS", default_value_t = 10)]
    pub sms_webhook_timeout_secs: u64,
    /// Where the recovery routes are mounted.
    #[arg(long, env = "RESETFLOW_PREFIX", default_value = DEFAULT_PREFIX)]
    pub prefix: String,
    /// Origins allowed to call the API from a browser, besides the server's
    /// own (comma-separated, e.g. `https://example.com`).
    #[arg(
        long = "allowed-origin",
        env = "RESETFLOW_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,
    /// Reverse proxies (addresses or CIDR ranges, comma-separated) whose
    /// `X-Forwarded-For` header names the client for the per-IP budgets.
    /// Without it the socket peer is the client: behind a proxy, list the
    /// proxy here or every client shares the proxy's budget.
    #[arg(
        long = "trusted-proxy",
        env = "RESETFLOW_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<String>,
    /// Bearer token for the admin review routes; without it they refuse
    /// every request.
    #[arg(long, env = "RESETFLOW_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Master secret (base64, at least 32 bytes) for keyed hashes. Without
    /// it a random one is generated on first start and kept in the database.
    #[arg(long, env = "RESETFLOW_SECRET", hide_env_values = true)]
    pub secret: Option<String>,
    /// The master secret being replaced (base64), during a key rotation:
    /// challenge and session tokens made under it are still accepted.
    #[arg(
        long,
        env = "RESETFLOW_PREVIOUS_SECRET",
        hide_env_values = true,
        requires = "secret"
    )]
    pub previous_secret: Option<String>,
    /// Folder of the test page served at `/`.
    #[arg(long, env = "RESETFLOW_WWW", default_value = "www")]
    pub www: PathBuf,
    /// Region (ISO 3166 alpha-2) for phone numbers typed without `+`.
    #[arg(long, env = "RESETFLOW_REGION")]
    pub region: Option<String>,
    /// argon2id memory cost in KiB for new password hashes.
    #[arg(long, env = "RESETFLOW_ARGON2_MEMORY_KIB", default_value_t = 19_456)]
    pub argon2_memory_kib: u32,
    /// argon2id iterations for new password hashes.
    #[arg(long, env = "RESETFLOW_ARGON2_ITERATIONS", default_value_t = 2)]
    pub argon2_iterations: u32,
    /// API requests per client IP (IPv6: per /64) per minute.
    #[arg(long, env = "RESETFLOW_IP_REQUESTS_PER_MINUTE", default_value_t = 120)]
    pub ip_requests_per_minute: u32,
    /// Flows started per client IP per hour.
    #[arg(long, env = "RESETFLOW_IP_FLOWS_PER_HOUR", default_value_t = 30)]
    pub ip_flows_per_hour: u32,
    /// Codes sent per client IP per hour.
    #[arg(long, env = "RESETFLOW_IP_SENDS_PER_HOUR", default_value_t = 20)]
    pub ip_sends_per_hour: u32,
    /// Sign-in attempts per client IP per minute.
    #[arg(long, env = "RESETFLOW_IP_LOGINS_PER_MINUTE", default_value_t = 10)]
    pub ip_logins_per_minute: u32,
}

impl ServeConfig {
    /// The argon2id cost configured.
    pub fn hash_cost(&self) -> crate::service::HashCost {
        crate::service::HashCost {
            memory_kib: self.argon2_memory_kib,
            iterations: self.argon2_iterations,
        }
    }

    /// The cross-flow limits configured (the per-identifier hourly send
    /// cap is SPEC's 5 and not configurable).
    pub fn rate_limits(&self) -> crate::service::RateLimits {
        crate::service::RateLimits {
            ip_requests_per_minute: self.ip_requests_per_minute,
            ip_flows_per_hour: self.ip_flows_per_hour,
            ip_sends_per_hour: self.ip_sends_per_hour,
            ip_logins_per_minute: self.ip_logins_per_minute,
            ..crate::service::RateLimits::default()
        }
    }
}

impl fmt::Debug for ServeConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServeConfig")
            .field("listen", &self.listen)
            .field("database", &self.database)
            .field("dev", &self.dev)
            .field("redis", &self.redis.as_ref().map(|_| "<redacted>"))
            .field("smtp_url", &self.smtp_url.as_ref().map(|_| "<redacted>"))
            .field("smtp_from", &self.smtp_from)
            .field("smtp_tls", &self.smtp_tls)
            .field("smtp_ca_file", &self.smtp_ca_file)
            .field("smtp_timeout_secs", &self.smtp_timeout_secs)
            .field("sms_webhook_url", &self.sms_webhook_url)
            .field(
                "sms_webhook_secret",
                &self.sms_webhook_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("sms_webhook_ca_file", &self.sms_webhook_ca_file)
            .field("sms_webhook_timeout_secs", &self.sms_webhook_timeout_secs)
            .field("prefix", &self.prefix)
            .field("allowed_origins", &self.allowed_origins)
            .field("trusted_proxies", &self.trusted_proxies)
            .field(
                "admin_token",
                &self.admin_token.as_ref().map(|_| "<redacted>"),
            )
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .field(
                "previous_secret",
                &self.previous_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("www", &self.www)
            .field("region", &self.region)
            .field("hash_cost", &self.hash_cost())
            .field("rate_limits", &self.rate_limits())
            .finish()
    }
}
