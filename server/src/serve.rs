//! Running the server: open and migrate the store, derive keys, seed the
//! dev accounts, serve until SIGINT/SIGTERM, drain, stop the worker.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use rand_core::{OsRng, RngCore};
use resetflow::identifier::Region;
use resetflow::protocol::Routes;
use tokio::sync::Notify;

use crate::api::{self, AppState};
use crate::challenge::CaptchaSource;
use crate::config::ServeConfig;
use crate::delivery::{self, Delivery, DevOutbox};
use crate::keys::{Keys, MIN_MASTER_LEN};
use crate::service::{self, Ctx, HashCost, RateLimits};
use crate::shared::{MemoryShared, SharedState};
use crate::store::{Account, PostgresStore, SqliteStore, Store, StoreError};

/// Why the server could not start.
#[derive(Debug)]
pub struct ServeError {
    /// A stable code, e.g. `serve.dev_not_loopback`.
    pub code: &'static str,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ServeError {}

fn err(code: &'static str, message: impl Into<String>) -> ServeError {
    ServeError {
        code,
        message: message.into(),
    }
}

/// The demo accounts of dev mode: (ID, e-mail, phone).
pub const DEMO_ACCOUNTS: [(&str, Option<&str>, Option<&str>); 2] = [
    (
        "100000001",
        Some("demo@example.com"),
        Some("+4915123456789"),
    ),
    ("100000002", Some("mail-only@example.com"), None),
];

/// The demo password of every demo account (dev mode only).
pub const DEMO_PASSWORD: &str = "demo-recovery-2026";

/// Opens the store named by a database URL: `sqlite://FILE` or
/// `sqlite::memory:` for SQLite, `postgres://` or `postgresql://` for
/// PostgreSQL. Either is migrated before it is returned.
///
/// # Errors
///
/// `serve.database` for an unsupported URL or a store that cannot open.
/// The message names the URL without its password.
pub async fn open_store(url: &str) -> Result<Arc<dyn Store>, ServeError> {
    let cannot_open = |e: StoreError| {
        err(
            "serve.database",
            format!("cannot open {}: {e}", redact_password(url)),
        )
    };
    if url.starts_with("sqlite:") {
        let store = SqliteStore::open(url).await.map_err(cannot_open)?;
        Ok(Arc::new(store))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store = PostgresStore::open(url).await.map_err(cannot_open)?;
        Ok(Arc::new(store))
    } else {
        Err(err(
            "serve.database",
            format!(
                "unsupported database URL {:?} (expected sqlite://FILE or postgres://...)",
                redact_password(url)
            ),
        ))
    }
}

/// `url` with its password (the `user:password@` part, a `password=`
/// parameter) replaced.
fn redact_password(url: &str) -> String {
    let (url, query) = match url.split_once('?') {
        Some((base, query)) => {
            let pairs: Vec<&str> = query
                .split('&')
                .map(|p| {
                    if p.starts_with("password=") {
                        "password=***"
                    } else {
                        p
                    }
                })
                .collect();
            (base, format!("?{}", pairs.join("&")))
        }
        None => (url, String::new()),
    };
    let Some((scheme, rest)) = url.split_once("://") else {
        return format!("{url}{query}");
    };
    let authority = &rest[..rest.find(['/', '#']).unwrap_or(rest.len())];
    match authority.rfind('@') {
        Some(at) => match authority[..at].split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***{}{query}", &rest[at..]),
            None => format!("{url}{query}"),
        },
        None => format!("{url}{query}"),
    }
}

/// Opens the state several nodes share: Redis at `url` (feature `redis`),
/// or this node's memory without one.
///
/// # Errors
///
/// `serve.redis` when the URL is not a Redis URL, Redis does not answer,
/// or this build lacks the `redis` feature. The message never holds the
/// URL's password.
pub async fn open_shared(url: Option<&str>) -> Result<Arc<dyn SharedState>, ServeError> {
    let Some(url) = url else {
        return Ok(Arc::new(MemoryShared::default()));
    };
    #[cfg(feature = "redis")]
    {
        let redis = crate::shared::RedisShared::connect(url)
            .await
            .map_err(|e| err("serve.redis", e.to_string()))?;
        tracing::info!(redis = %redis.addr(), prefix = %redis.prefix(), "shared state in Redis");
        Ok(Arc::new(redis))
    }
    #[cfg(not(feature = "redis"))]
    {
        let _ = url;
        Err(err(
            "serve.redis",
            "this build has no Redis support (build with the `redis` feature)",
        ))
    }
}

/// The server keys: from the configured secret, or from the one generated
/// on first start and kept in the database; with the previous secret during
/// a rotation. The identifier and decoy keys come from a random identity
/// secret kept in the database, so a rotation changes neither.
///
/// # Errors
///
/// `serve.secret` for a secret that is not base64 of at least 32 bytes, or
/// a previous secret equal to the current one.
pub async fn keys(
    store: &dyn Store,
    secret: Option<&str>,
    previous: Option<&str>,
) -> Result<Keys, ServeError> {
    let fresh = || {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        bytes
    };
    let master = match secret {
        Some(s) => decode_secret(s, "the secret")?,
        None => store
            .meta_get_or_init("master_key", &fresh())
            .await
            .map_err(|e| err("serve.database", e.to_string()))?,
    };
    let identity = store
        .meta_get_or_init("identity_key", &fresh())
        .await
        .map_err(|e| err("serve.database", e.to_string()))?;
    let mut keys = Keys::derive(&master).with_identity(&identity);
    if let Some(p) = previous {
        let previous = decode_secret(p, "the previous secret")?;
        if previous == master {
            return Err(err(
                "serve.secret",
                "the previous secret is the current one",
            ));
        }
        keys = keys.with_previous(&previous);
    }
    Ok(keys)
}

fn decode_secret(s: &str, what: &str) -> Result<Vec<u8>, ServeError> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let bytes = b64
        .decode(s.trim())
        .or_else(|_| url.decode(s.trim()))
        .map_err(|_| err("serve.secret", format!("{what} must be base64")))?;
    if bytes.len() < MIN_MASTER_LEN {
        return Err(err(
            "serve.secret",
            format!("{what} must hold at least {MIN_MASTER_LEN} bytes"),
        ));
    }
    Ok(bytes)
}

/// Builds the operations' context. Its shared state is this node's memory;
/// for several nodes, replace `ctx.shared` with [`open_shared`]'s Redis.
///
/// # Errors
///
/// `serve.region` for an unknown region; internal hashing failures.
#[allow(clippy::too_many_arguments)]
pub async fn context(
    store: Arc<dyn Store>,
    keys: Keys,
    captcha: Arc<dyn CaptchaSource>,
    dev: Option<Arc<DevOutbox>>,
    region: Option<&str>,
    hash_cost: HashCost,
    rates: RateLimits,
    clock: service::Clock,
) -> Result<Ctx, ServeError> {
    let default_region = region
        .map(|r| r.parse::<Region>())
        .transpose()
        .map_err(|_| err("serve.region", format!("unknown region {region:?}")))?;
    let mut random = [0u8; 24];
    OsRng.fill_bytes(&mut random);
    let dummy = base64::engine::general_purpose::STANDARD.encode(random);
    let dummy_hash = service::hash_password(dummy, hash_cost)
        .await
        .map_err(|e| err("serve.hash", format!("{e:?}")))?;
    let limits = resetflow::flow::Limits::DEFAULT;
    // A challenge lives as long as a flow may: the flow's expiry bounds it.
    let captcha_tokens = keys
        .captcha_keyring(limits.flow_lifetime_secs)
        .map_err(|e| err("serve.secret", format!("captcha keyring: {e}")))?;
    Ok(Ctx {
        store,
        captcha_tokens,
        keys,
        limits,
        rates,
        policy: resetflow::password::Policy::default(),
        hash_cost,
        default_region,
        captcha,
        wake: Arc::new(Notify::new()),
        dev,
        clock,
        shared: Arc::new(MemoryShared::default()),
        trusted_proxies: crate::proxy::TrustedProxies::default(),
        dummy_hash,
    })
}

/// Adds the demo accounts (those not there yet); returns them.
///
/// # Errors
///
/// Store failures other than "already there".
pub async fn seed_demo(ctx: &Ctx) -> Result<Vec<Account>, ServeError> {
    let hash = service::hash_password(DEMO_PASSWORD.to_owned(), ctx.hash_cost)
        .await
        .map_err(|e| err("serve.hash", format!("{e:?}")))?;
    let mut out = Vec::new();
    for (id, email, phone) in DEMO_ACCOUNTS {
        let account = Account {
            id: id.to_owned(),
            email: email.map(str::to_owned),
            phone: phone.map(str::to_owned),
            password_hash: hash.clone(),
        };
        match ctx.store.create_account(&account, (ctx.clock)()).await {
            Ok(()) | Err(StoreError::Duplicate(_)) => out.push(account),
            Err(e) => return Err(err("serve.database", e.to_string())),
        }
    }
    Ok(out)
}

/// Whether dev mode may bind `addr`: loopback only.
pub fn dev_allowed(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

/// Runs `resetflow serve` until SIGINT or SIGTERM.
///
/// # Errors
///
/// A [`ServeError`] when the configuration is refused or the server cannot start.
pub async fn run(config: ServeConfig, captcha: Arc<dyn CaptchaSource>) -> Result<(), ServeError> {
    run_until(config, captcha, shutdown_signal(), None).await
}

/// Runs the server until `shutdown` resolves, then drains open requests
/// and stops the delivery worker. `ready` receives the bound address.
///
/// # Errors
///
/// A [`ServeError`] when the configuration is refused or the server cannot start.
pub async fn run_until(
    config: ServeConfig,
    captcha: Arc<dyn CaptchaSource>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ready: Option<tokio::sync::oneshot::Sender<SocketAddr>>,
) -> Result<(), ServeError> {
    if config.dev && !dev_allowed(&config.listen) {
        return Err(err(
            "serve.dev_not_loopback",
            format!(
                "--dev exposes codes at /dev/outbox and is only allowed on a loopback \
                 address, not {}",
                config.listen
            ),
        ));
    }
    // Outside dev mode the real delivery must be complete before anything
    // else starts (SMTP and/or the SMS webhook).
    let real_delivery = if config.dev {
        None
    } else {
        Some(
            delivery::from_config(&config, service::system_clock())
                .map_err(|e| err(e.code, e.message))?,
        )
    };
    let routes = Routes::new(&config.prefix)
        .map_err(|e| err("serve.prefix", format!("--prefix {:?}: {e}", config.prefix)))?;
    let store = open_store(&config.database).await?;
    let shared = open_shared(config.redis.as_deref()).await?;
    let keys = keys(
        store.as_ref(),
        config.secret.as_deref(),
        config.previous_secret.as_deref(),
    )
    .await?;
    let dev = config.dev.then(|| Arc::new(DevOutbox::new()));
    let mut ctx = context(
        Arc::clone(&store),
        keys,
        captcha,
        dev.clone(),
        config.region.as_deref(),
        config.hash_cost(),
        config.rate_limits(),
        service::system_clock(),
    )
    .await?;
    ctx.shared = shared;
    ctx.trusted_proxies = crate::proxy::TrustedProxies::parse(&config.trusted_proxies)
        .map_err(|e| err("serve.trusted_proxy", format!("--trusted-proxy: {e}")))?;
    let demo = if config.dev {
        seed_demo(&ctx).await?
    } else {
        Vec::new()
    };
    let delivery: Arc<dyn Delivery> = match (&dev, real_delivery) {
        (Some(d), _) => Arc::clone(d) as Arc<dyn Delivery>,
        (None, Some(real)) => Arc::new(real),
        (None, None) => unreachable_delivery()?,
    };
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(delivery::worker(
        Arc::clone(&store),
        delivery,
        Arc::clone(&ctx.wake),
        Duration::from_secs(1),
        Arc::clone(&ctx.clock),
        stop_rx,
    ));
    let www = config.www.is_dir().then(|| config.www.clone());
    let state = AppState {
        ctx,
        routes,
        allowed_origins: config.allowed_origins.clone(),
        admin_token: config.admin_token.clone(),
        www,
    };
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| {
            err(
                "serve.listen",
                format!("cannot listen on {}: {e}", config.listen),
            )
        })?;
    let local = listener
        .local_addr()
        .map_err(|e| err("serve.listen", e.to_string()))?;
    tracing::info!(listen = %local, dev = config.dev, prefix = %state.routes.prefix(), "serving");
    // The banner goes to standard output (not the log): the demo password
    // is meant to be read there, and nothing else is secret in it.
    if config.dev {
        println!("resetflow dev mode on http://{local}/");
        println!("  demo accounts (password {DEMO_PASSWORD:?}):");
        for a in &demo {
            println!(
                "    account {}  e-mail {}  phone {}",
                a.id,
                a.email.as_deref().unwrap_or("-"),
                a.phone.as_deref().unwrap_or("-")
            );
        }
        println!("  dev outbox: http://{local}/dev/outbox");
    }
    if let Some(ready) = ready {
        let _ = ready.send(local);
    }
    let app = api::app(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| err("serve.io", e.to_string()))?;
    let _ = stop_tx.send(true);
    let _ = worker.await;
    tracing::info!("stopped");
    Ok(())
}

fn unreachable_delivery() -> Result<Arc<dyn Delivery>, ServeError> {
    Err(err("serve.no_delivery", "no delivery is configured"))
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
    tracing::info!("shutdown signal received; draining connections");
}
