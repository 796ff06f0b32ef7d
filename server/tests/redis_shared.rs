//! The shared state in a real Redis, as several nodes hold it: two
//! independent connections (two `RedisShared`), and two routers on one
//! store and one Redis.
//!
//! Needs `REDIS_URL` (e.g. from `scripts/services.sh start`); without it
//! each test prints `skipped: REDIS_URL is not set` and passes. Every test
//! keeps its keys under its own random prefix.
#![cfg(feature = "redis")]

mod common;

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use common::*;
use rand_core::{OsRng, RngCore};
use redis::aio::ConnectionManager;
use resetflow::protocol::{Route, Routes};
use resetflow::Timestamp;
use resetflow_server::api::{self, AppState};
use resetflow_server::delivery::DevOutbox;
use resetflow_server::keys::Keys;
use resetflow_server::serve;
use resetflow_server::service::{HashCost, RateLimits};
use resetflow_server::shared::{
    conformance, Claim, Key, RedisShared, Scope, SharedState, CLOCK_SKEW_SECS,
};
use resetflow_server::store::{SqliteStore, Store};
use serde_json::json;

fn redis_url() -> Option<String> {
    match std::env::var("REDIS_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            println!("skipped: REDIS_URL is not set");
            None
        }
    }
}

fn random_prefix() -> String {
    format!("resetflow-test-{:016x}:", OsRng.next_u64())
}

async fn node(url: &str, prefix: &str) -> RedisShared {
    RedisShared::connect(url)
        .await
        .expect("REDIS_URL answers")
        .with_prefix(prefix)
}

/// A plain connection for looking at what the nodes wrote.
async fn inspector(url: &str) -> ConnectionManager {
    let client = redis::Client::open(url).unwrap();
    ConnectionManager::new(client).await.unwrap()
}

/// Every key under `prefix`, by `SCAN` (not `KEYS`: a shared Redis must
/// not be blocked).
async fn keys_under(conn: &mut ConnectionManager, prefix: &str) -> Vec<String> {
    let mut cursor: u64 = 0;
    let mut out = Vec::new();
    loop {
        let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(format!("{prefix}*"))
            .arg("COUNT")
            .arg(1000)
            .query_async(conn)
            .await
            .unwrap();
        out.extend(batch);
        if next == 0 {
            break;
        }
        cursor = next;
    }
    out.sort();
    out
}

async fn ttl(conn: &mut ConnectionManager, key: &str) -> i64 {
    redis::cmd("TTL").arg(key).query_async(conn).await.unwrap()
}

/// The name after the prefix is `<scope>:<22 base64url>` (plus
/// `:<window>:<start>` for counters) or `nonce:<32 hex>`.
fn well_formed(name: &str) -> bool {
    let mut parts = name.split(':');
    let scope = parts.next().unwrap_or("");
    let id = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    let numbers = rest
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    match scope {
        "nonce" => id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) && rest.is_empty(),
        "ip-req" | "ip-flows" | "ip-sends" | "ip-login" | "id-sends" | "cooldown" => {
            id.len() == 22
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && (rest.is_empty() || rest.len() == 2)
                && numbers
        }
        _ => false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_connections_pass_the_conformance_suite() {
    let Some(url) = redis_url() else { return };
    let prefix = random_prefix();
    let a: Arc<dyn SharedState> = Arc::new(node(&url, &prefix).await);
    let b: Arc<dyn SharedState> = Arc::new(node(&url, &prefix).await);
    assert!(a.spans_nodes());
    conformance::run_all(Arc::clone(&a), Arc::clone(&b)).await;

    // Nothing is kept without an expiry, and no expiry outlives its
    // window or claim (the suite's longest: a 3600 s window, a 900 s
    // nonce) by more than the clock slack.
    let mut conn = inspector(&url).await;
    let names = keys_under(&mut conn, &prefix).await;
    assert!(names.len() >= 10, "{names:?}");
    for name in &names {
        let t = ttl(&mut conn, name).await;
        assert!(
            (1..=(3600 + CLOCK_SKEW_SECS) as i64).contains(&t),
            "{name}: TTL {t}"
        );
        let short = name.strip_prefix(&prefix).unwrap();
        assert!(well_formed(short), "{name}");
        assert!(
            !short.contains("198.51.100") && !short.contains("203.0.113"),
            "{name}"
        );
    }
}

#[tokio::test]
async fn keys_expire_with_their_window_or_claim_by_the_real_clock() {
    let Some(url) = redis_url() else { return };
    let prefix = random_prefix();
    let a = node(&url, &prefix).await;
    let keys = conformance::fresh_keys();
    let mut conn = inspector(&url).await;
    let now = Timestamp::now();

    let k = Key::hashed(&keys, Scope::IpRequests, b"192.0.2.1");
    let hit = a.hit(&k, 60, now).await.unwrap();
    assert_eq!(hit.count, 1);
    let start = now.as_unix_secs() - now.as_unix_secs() % 60;
    let name = format!("{prefix}{}:60:{start}", k.as_str());
    let t = ttl(&mut conn, &name).await;
    let left = hit.retry_after as i64;
    // Set once, at the first hit: the window's rest plus the slack (a
    // second may have passed since).
    assert!(
        (left + CLOCK_SKEW_SECS as i64 - 1..=left + CLOCK_SKEW_SECS as i64).contains(&t),
        "TTL {t}, window left {left}"
    );
    // A later hit in the window does not push the expiry out.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(a.hit(&k, 60, now).await.unwrap().count, 2);
    assert!(ttl(&mut conn, &name).await < t, "the expiry moved");

    let c = Key::hashed(&keys, Scope::Cooldown, b"some flow id");
    assert_eq!(a.claim(&c, 60, now).await.unwrap(), Claim::Won);
    let t = ttl(&mut conn, &format!("{prefix}{}", c.as_str())).await;
    assert!(
        (60 + CLOCK_SKEW_SECS as i64 - 1..=60 + CLOCK_SKEW_SECS as i64).contains(&t),
        "claim TTL {t}"
    );

    // Redis drops a key when its expiry comes (shortened here to see it).
    let _: () = redis::cmd("PEXPIRE")
        .arg(&name)
        .arg(50)
        .query_async(&mut conn)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(ttl(&mut conn, &name).await, -2, "the window's key is gone");
    assert_eq!(a.hit(&k, 60, now).await.unwrap().count, 1);
}

#[tokio::test]
async fn an_unreachable_redis_is_an_error_naming_the_host_not_the_password() {
    let started = Instant::now();
    let e = RedisShared::connect("redis://:hunter2-secret@127.0.0.1:1/")
        .await
        .expect_err("nothing listens on port 1");
    let text = e.to_string();
    assert!(text.contains("127.0.0.1:1"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    assert!(!format!("{e:?}").contains("hunter2"));
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    let e = RedisShared::connect("http://example.com/")
        .await
        .expect_err("not Redis");
    assert!(e.to_string().contains("not a usable Redis URL"), "{e}");

    let e = serve::open_shared(Some("redis://:hunter2-secret@127.0.0.1:1/"))
        .await
        .expect_err("serve refuses to start");
    assert_eq!(e.code, "serve.redis");
    assert!(!e.message.contains("hunter2"), "{}", e.message);
}

// --- two server nodes on one store and one Redis ---

/// Two routers on one SQLite store, one dev outbox, one clock, each with
/// its own connection to one Redis (as two processes would have).
async fn two_nodes(url: &str, prefix: &str, rates: RateLimits) -> (TestServer, TestServer) {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open("sqlite::memory:").await.unwrap());
    let now = Arc::new(AtomicU64::new(T0));
    let dev = Arc::new(DevOutbox::new());
    let mut nodes = Vec::new();
    for _ in 0..2 {
        let shared: Arc<dyn SharedState> = Arc::new(node(url, prefix).await);
        nodes.push(test_node(&store, &now, &dev, rates, shared).await);
    }
    let b = nodes.pop().unwrap();
    let a = nodes.pop().unwrap();
    (a, b)
}

async fn test_node(
    store: &Arc<dyn Store>,
    now: &Arc<AtomicU64>,
    dev: &Arc<DevOutbox>,
    rates: RateLimits,
    shared: Arc<dyn SharedState>,
) -> TestServer {
    let clock_now = Arc::clone(now);
    let clock = Arc::new(move || Timestamp::from_unix_secs(clock_now.load(Ordering::SeqCst)));
    let cost = HashCost {
        memory_kib: 64,
        iterations: 1,
    };
    let mut ctx = serve::context(
        Arc::clone(store),
        Keys::derive(&[42u8; 32]),
        Arc::new(TestCaptcha),
        Some(Arc::clone(dev)),
        None,
        cost,
        rates,
        clock,
    )
    .await
    .unwrap();
    ctx.shared = shared;
    serve::seed_demo(&ctx).await.unwrap();
    let state = AppState {
        ctx: ctx.clone(),
        routes: Routes::default(),
        allowed_origins: Vec::new(),
        admin_token: Some(ADMIN_TOKEN.to_owned()),
        www: None,
    };
    TestServer {
        app: api::app(state),
        ctx,
        dev: Arc::clone(dev),
        store: Arc::clone(store),
        now: Arc::clone(now),
        ip: "192.0.2.7:40000".parse().unwrap(),
    }
}

#[tokio::test]
async fn the_per_ip_budget_is_one_budget_across_nodes() {
    let Some(url) = redis_url() else { return };
    let rates = RateLimits {
        ip_requests_per_minute: 10,
        ..RateLimits::default()
    };
    let (a, b) = two_nodes(&url, &random_prefix(), rates).await;
    let path = a.path(Route::Flow, "no-such-flow");
    // Ten requests in one minute, split between the nodes, all counted.
    for i in 0..10 {
        let node = if i % 2 == 0 { &a } else { &b };
        let r = node.get(&path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "request {i}");
    }
    // Either node now refuses the eleventh (each alone has seen five).
    for node in [&a, &b] {
        let r = node.get(&path).await;
        assert_eq!(
            (r.status, r.error_code().as_str()),
            (StatusCode::TOO_MANY_REQUESTS, "rate.limited")
        );
        assert!(r.headers.contains_key("retry-after"));
    }
    // Another client is not affected; the next minute starts afresh.
    let mut other = b;
    other.ip = "192.0.2.8:40000".parse().unwrap();
    assert_eq!(other.get(&path).await.status, StatusCode::NOT_FOUND);
    a.advance(60);
    assert_eq!(a.get(&path).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_captcha_answer_is_accepted_once_across_nodes() {
    let Some(url) = redis_url() else { return };
    let (a, b) = two_nodes(&url, &random_prefix(), RateLimits::default()).await;
    // Solved on node a, replayed on node b: refused.
    let r = a
        .post(
            &a.path(Route::Flows, ""),
            json!({"identifier": "demo@example.com"}),
        )
        .await;
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let body = json!({ "answer": a.captcha_answer(&id) });
    let r = a.post(&a.path(Route::Captcha, &id), body.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.json());
    let r = b.post(&b.path(Route::Captcha, &id), body).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.json());

    // The right answer sent to both nodes at once is accepted at most
    // once. (A challenge answers once, right or wrong: the request that
    // finds it used counts as a wrong answer, and when that one saves
    // first the other gets `flow.conflict` and neither passes.)
    let a = Arc::new(a);
    let b = Arc::new(b);
    let mut accepted = 0;
    for round in 0..5 {
        let r = a
            .post(
                &a.path(Route::Flows, ""),
                json!({"identifier": "demo@example.com"}),
            )
            .await;
        let id = r.json()["id"].as_str().unwrap().to_owned();
        let answer = a.captcha_answer(&id);
        let body = json!({ "answer": answer });
        let path = a.path(Route::Captcha, &id);
        let (ra, rb) = tokio::join!(
            {
                let (a, path, body) = (Arc::clone(&a), path.clone(), body.clone());
                async move { a.post(&path, body).await }
            },
            {
                let (b, path, body) = (Arc::clone(&b), path.clone(), body.clone());
                async move { b.post(&path, body).await }
            }
        );
        let ok = [&ra, &rb]
            .iter()
            .filter(|r| r.status == StatusCode::OK)
            .count();
        assert!(ok <= 1, "round {round}: {:?} / {:?}", ra.json(), rb.json());
        accepted += ok;
        for r in [&ra, &rb] {
            let code = r.error_code();
            assert!(
                r.status == StatusCode::OK
                    || code == "flow.conflict"
                    || code == "captcha.mismatch"
                    || code == "flow.wrong_step",
                "round {round}: {:?}",
                r.json()
            );
        }
        // The same answer once more, on either node, is refused.
        let again = b.post(&path, body).await;
        assert_ne!(again.status, StatusCode::OK, "round {round}");
    }
    println!("racing answers accepted in {accepted} of 5 rounds");
}

#[tokio::test]
async fn the_resend_cooldown_and_the_hourly_cap_hold_across_nodes() {
    let Some(url) = redis_url() else { return };
    let prefix = random_prefix();
    let (a, b) = two_nodes(&url, &prefix, RateLimits::default()).await;
    let id = a.flow_at_channel("100000001").await;
    let send = |n: &TestServer, id: &str| n.path(Route::Code, id);
    let r = a.post(&send(&a, &id), json!({"channel": "sms"})).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.json());
    b.advance(30);
    let r = b.post(&send(&b, &id), json!({"channel": "email"})).await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::TOO_MANY_REQUESTS, "code.cooldown")
    );
    assert_eq!(r.headers["retry-after"], "30");
    // The cooldown is claimed in Redis too, under a hashed name.
    let mut conn = inspector(&url).await;
    let names = keys_under(&mut conn, &prefix).await;
    let cooldowns: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with(&format!("{prefix}cooldown:")))
        .collect();
    assert_eq!(cooldowns.len(), 1, "{names:?}");
    let t = ttl(&mut conn, cooldowns[0]).await;
    let slack = CLOCK_SKEW_SECS as i64;
    assert!((59 + slack..=60 + slack).contains(&t), "cooldown TTL {t}");
    b.advance(30);
    let r = b.post(&send(&b, &id), json!({"channel": "email"})).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.json());

    // The identifier has had 2 sends this hour; 3 more from new flows on
    // either node, then the sixth is refused.
    for round in 0..4 {
        let node = if round % 2 == 0 { &a } else { &b };
        node.advance(61);
        let id = node.flow_at_channel("100000001").await;
        let r = node
            .post(&send(node, &id), json!({"channel": "email"}))
            .await;
        if round < 3 {
            assert_eq!(r.status, StatusCode::OK, "send {round}: {:?}", r.json());
        } else {
            assert_eq!(
                (r.status, r.error_code().as_str()),
                (StatusCode::TOO_MANY_REQUESTS, "code.send_limit"),
                "{:?}",
                r.json()
            );
        }
    }
    // Counted in Redis (the database's counter is the single-node one).
    let names = keys_under(&mut conn, &prefix).await;
    assert!(
        names
            .iter()
            .any(|n| n.starts_with(&format!("{prefix}id-sends:"))),
        "{names:?}"
    );

    // Whatever the nodes wrote names nobody and expires.
    let flow_ids: Vec<String> = a.outbox().iter().map(|e| e.to.clone()).collect();
    for name in &names {
        let short = name.strip_prefix(&prefix).unwrap();
        assert!(well_formed(short), "{name}");
        for secret in [
            "192.0.2.7",
            "100000001",
            "demo@example.com",
            "+4915123456789",
        ] {
            assert!(!short.contains(secret), "{name} holds {secret}");
        }
        for f in &flow_ids {
            assert!(!short.contains(f.as_str()), "{name} holds a flow id");
        }
        let t = ttl(&mut conn, name).await;
        assert!(
            (1..=(3600 + CLOCK_SKEW_SECS) as i64).contains(&t),
            "{name}: TTL {t}"
        );
    }
}

// --- Redis lost while serving ---

/// A TCP relay to Redis that the test can cut (every connection dropped,
/// new ones refused, as a network failure would) or stall (bytes held, as
/// a Redis that stopped answering).
struct Relay {
    url: String,
    down: Arc<AtomicBool>,
    stall: Arc<AtomicBool>,
    conns: Arc<Mutex<tokio::task::JoinSet<()>>>,
    _acceptor: tokio::task::JoinSet<()>,
}

impl Relay {
    async fn start(redis_url: &str) -> Relay {
        let upstream = redis::Client::open(redis_url)
            .unwrap()
            .get_connection_info()
            .addr
            .to_string();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("redis://{}/", listener.local_addr().unwrap());
        let down = Arc::new(AtomicBool::new(false));
        let stall = Arc::new(AtomicBool::new(false));
        let conns = Arc::new(Mutex::new(tokio::task::JoinSet::new()));
        let mut acceptor = tokio::task::JoinSet::new();
        let (down2, stall2, conns2) = (Arc::clone(&down), Arc::clone(&stall), Arc::clone(&conns));
        acceptor.spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if down2.load(Ordering::SeqCst) {
                    continue; // dropped: the connection closes at once
                }
                let Ok(server) = tokio::net::TcpStream::connect(&upstream).await else {
                    continue;
                };
                let (cr, cw) = client.into_split();
                let (sr, sw) = server.into_split();
                let mut set = conns2.lock().unwrap();
                set.spawn(pump(cr, sw, Arc::clone(&stall2)));
                set.spawn(pump(sr, cw, Arc::clone(&stall2)));
            }
        });
        Relay {
            url,
            down,
            stall,
            conns,
            _acceptor: acceptor,
        }
    }

    /// Drops every relayed connection and refuses new ones.
    fn cut(&self) {
        self.down.store(true, Ordering::SeqCst);
        self.conns.lock().unwrap().abort_all();
    }

    /// Relays new connections again.
    fn mend(&self) {
        self.down.store(false, Ordering::SeqCst);
    }
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    stall: Arc<AtomicBool>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        while stall.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn requests_fail_closed_while_redis_is_lost_and_recover_after() {
    let Some(url) = redis_url() else { return };
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let relay = Relay::start(&url).await;
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open("sqlite::memory:").await.unwrap());
    let now = Arc::new(AtomicU64::new(T0));
    let dev = Arc::new(DevOutbox::new());
    let shared: Arc<dyn SharedState> = Arc::new(node(&relay.url, &random_prefix()).await);
    let s = test_node(&store, &now, &dev, RateLimits::default(), shared).await;
    let r = s
        .post(
            &s.path(Route::Flows, ""),
            json!({"identifier": "demo@example.com"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let answer = s.captcha_answer(&id);
    let unavailable = |r: &Answer| {
        assert_eq!(
            (r.status, r.error_code().as_str()),
            (StatusCode::SERVICE_UNAVAILABLE, "service.unavailable"),
            "{:?}",
            r.json()
        );
    };

    // Connection lost: refused at once, and nothing moves.
    relay.cut();
    let started = Instant::now();
    let r = s
        .post(&s.path(Route::Captcha, &id), json!({ "answer": answer }))
        .await;
    unavailable(&r);
    println!(
        "connection lost: failed closed after {:?}",
        started.elapsed()
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    let flow = store.flow(&id).await.unwrap().unwrap();
    assert_eq!(flow.flow.step().as_str(), "captcha");

    // Back: the connection is made again and the same answer passes.
    relay.mend();
    let started = Instant::now();
    let r = loop {
        let r = s
            .post(&s.path(Route::Captcha, &id), json!({ "answer": answer }))
            .await;
        if r.status != StatusCode::SERVICE_UNAVAILABLE
            || started.elapsed() > Duration::from_secs(20)
        {
            break r;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.json());
    println!("reconnected after {:?}", started.elapsed());

    // Redis stops answering: the request waits no longer than the
    // response timeout, then fails closed.
    relay.stall.store(true, Ordering::SeqCst);
    let started = Instant::now();
    let r = s.get(&s.path(Route::Flow, &id)).await;
    unavailable(&r);
    let waited = started.elapsed();
    println!("no answer: failed closed after {waited:?}");
    assert!(
        waited >= Duration::from_millis(1900) && waited < Duration::from_secs(6),
        "{waited:?}"
    );
    relay.stall.store(false, Ordering::SeqCst);

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("request failed closed: shared state unavailable"),
        "{log}"
    );
    assert!(log.contains("redis 127.0.0.1:"), "{log}");
    for secret in [answer.as_str(), "192.0.2.7", "demo@example.com"] {
        assert!(!log.contains(secret), "the log holds {secret}: {log}");
    }
}

// --- `resetflow serve --redis` as a process ---

fn serve_cmd(db_dir: &std::path::Path, redis: &str) -> std::process::Command {
    let db = format!("sqlite://{}", db_dir.join("r.db").display());
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_resetflow"));
    c.env_remove("RESETFLOW_SECRET")
        .env_remove("RESETFLOW_LISTEN")
        .env_remove("RESETFLOW_REDIS")
        .env("RESETFLOW_LOG", "info")
        .args([
            "serve",
            "--dev",
            "--listen",
            "127.0.0.1:0",
            "--database",
            &db,
            "--redis",
            redis,
        ]);
    c
}

#[test]
fn serve_refuses_to_start_when_redis_does_not_answer() {
    let dir = tempfile::tempdir().unwrap();
    let out = serve_cmd(dir.path(), "redis://:hunter2-secret@127.0.0.1:1/")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error[serve.redis]"), "{err}");
    assert!(err.contains("127.0.0.1:1"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}

#[test]
fn serve_with_redis_keeps_its_budgets_there() {
    use std::io::{BufRead, BufReader, Read};
    let Some(url) = redis_url() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut child = serve_cmd(dir.path(), &url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut addr = None;
    for _ in 0..20 {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap() == 0 {
            break;
        }
        if let Some(rest) = line.strip_prefix("resetflow dev mode on http://") {
            addr = Some(rest.trim().trim_end_matches('/').to_owned());
            break;
        }
    }
    let addr = addr.expect("the dev banner");
    let body = r#"{"identifier":"demo@example.com"}"#;
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        s,
        "POST /api/recovery/flows HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");

    // The request and the flow start were counted in Redis, under the
    // default prefix, with an expiry.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let names = rt.block_on(async {
        let mut conn = inspector(&url).await;
        let mut found = Vec::new();
        for scope in ["ip-req", "ip-flows"] {
            for name in keys_under(&mut conn, &format!("resetflow:{scope}:")).await {
                let t = ttl(&mut conn, &name).await;
                assert!(t > 0, "{name}: TTL {t}");
                found.push(name);
            }
        }
        found
    });
    assert!(names.len() >= 2, "{names:?}");

    let _ = child.kill();
    let _ = child.wait();
    let mut logs = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut logs);
    assert!(logs.contains("shared state in Redis"), "{logs}");
    assert!(
        !logs.contains("redis://"),
        "the URL is never logged: {logs}"
    );
}
