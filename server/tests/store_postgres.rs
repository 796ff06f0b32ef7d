//! The store conformance suite, the migrations, several nodes on one
//! database, the CLI and a whole HTTP flow on PostgreSQL.
//!
//! Runs when `DATABASE_URL` names a PostgreSQL database the user may create
//! schemas in (`scripts/services.sh start` starts a throw-away one); each
//! test works in a fresh schema of its own (the URL's
//! `options[search_path]`), dropped when it passes. Without `DATABASE_URL`
//! the tests that need it say so and pass.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use rand_core::{OsRng, RngCore};
use resetflow::protocol::{Route, LOGIN_PATH};
use resetflow::Timestamp;
use resetflow_server::serve;
use resetflow_server::service::RateLimits;
use resetflow_server::store::{
    conformance, CodeCheck, FlowRecord, Lookup, Message, PostgresStore, Purpose, Store,
};
use serde_json::json;
use sqlx::{Connection, PgConnection};

const T0: Timestamp = Timestamp::from_unix_secs(1_800_000_000);

fn database_url() -> Option<String> {
    match std::env::var("DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!(
                "skipped: DATABASE_URL is not set (e.g. `scripts/services.sh start && \
                 source target/services/env` starts a PostgreSQL and sets it)"
            );
            None
        }
    }
}

/// A fresh schema in the database of `DATABASE_URL`, and the URL that puts
/// a store into it.
struct Schema {
    base: String,
    name: String,
    url: String,
}

impl Schema {
    async fn new(base: &str) -> Schema {
        let name = format!("rf_test_{:016x}", OsRng.next_u64());
        let mut conn = PgConnection::connect(base).await.unwrap();
        sqlx::query(&format!("CREATE SCHEMA {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options[search_path]={name}");
        Schema {
            base: base.to_owned(),
            name,
            url,
        }
    }

    async fn store(&self) -> PostgresStore {
        PostgresStore::open(&self.url).await.unwrap()
    }

    async fn count(&self, sql: &str) -> i64 {
        let mut conn = PgConnection::connect(&self.url).await.unwrap();
        let n: i64 = sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap();
        conn.close().await.unwrap();
        n
    }

    async fn drop(self) {
        let mut conn = PgConnection::connect(&self.base).await.unwrap();
        sqlx::query(&format!("DROP SCHEMA {} CASCADE", self.name))
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    }
}

/// One test per conformance check, each on its own schema, so a failure
/// names the broken rule and no check sees another's rows.
macro_rules! conformance_tests {
    ($($check:ident),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $check() {
            let Some(base) = database_url() else { return };
            let schema = Schema::new(&base).await;
            let store = schema.store().await;
            conformance::$check(&store).await;
            store.close().await;
            schema.drop().await;
        }
    )*};
}

conformance_tests!(
    meta_is_set_once,
    accounts_unique_and_found,
    emails_fold_ascii_case_only,
    flows_compare_and_swap,
    captcha_single_use,
    captcha_stored_with_a_new_flow,
    codes_count_then_consume,
    codes_parallel_attempts_are_bounded,
    sessions_revoke,
    reviews_decided_once,
    outbox_jobs,
    outbox_claims_are_exclusive_and_leased,
    rate_limit_windows,
    purge_keeps_what_is_live,
);

/// The whole suite in sequence on one schema, as SQLite runs it (and so
/// any check added to `run_all` runs here too).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_passes_the_whole_conformance_suite() {
    let Some(base) = database_url() else { return };
    let schema = Schema::new(&base).await;
    let store = schema.store().await;
    conformance::run_all(&store).await;
    store.close().await;
    schema.drop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_run_twice_and_on_nodes_starting_together() {
    let Some(base) = database_url() else { return };
    let schema = Schema::new(&base).await;
    // Two nodes start at once on an empty schema: one migrates, the other
    // waits for the lock and finds the work done.
    let (a, b) = tokio::join!(
        PostgresStore::open(&schema.url),
        PostgresStore::open(&schema.url)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let key = a.meta_get_or_init("master_key", b"k1").await.unwrap();
    assert_eq!(
        b.meta_get_or_init("master_key", b"k2").await.unwrap(),
        key,
        "one master key for every node"
    );
    a.close().await;
    b.close().await;
    // A restart runs the migrations again: nothing changes, nothing is lost.
    let again = schema.store().await;
    assert_eq!(
        again.meta_get_or_init("master_key", b"k3").await.unwrap(),
        b"k1"
    );
    again.close().await;
    assert_eq!(
        schema
            .count("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
            .await,
        2
    );
    assert_eq!(
        schema
            .count(
                "SELECT COUNT(*) FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'"
            )
            .await,
        8,
        "meta, accounts, flows, codes, sessions, reviews, outbox, rate_limits"
    );
    schema.drop().await;
}

/// Two nodes (two pools) on one database keep the limits between them:
/// parallel guesses of one code buy no extra attempts, parallel delivery
/// workers never claim the same job.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_share_the_limits_and_the_jobs() {
    let Some(base) = database_url() else { return };
    let schema = Schema::new(&base).await;
    let a = Arc::new(schema.store().await);
    let b = Arc::new(schema.store().await);

    let flow =
        resetflow::flow::Flow::start("x".into(), vec![], T0, &resetflow::flow::Limits::DEFAULT)
            .flow;
    let record = FlowRecord {
        id: "two-nodes".into(),
        account_id: None,
        identifier_key: vec![1; 32],
        locale: "en".into(),
        flow,
        targets: vec![],
    };
    a.insert_flow(&record, T0).await.unwrap();
    b.put_code("two-nodes", b"right", T0, T0.add_secs(600))
        .await
        .unwrap();
    let mut guesses = tokio::task::JoinSet::new();
    for i in 0..30 {
        let node = if i % 2 == 0 { a.clone() } else { b.clone() };
        guesses.spawn(async move { node.check_code("two-nodes", b"wrong", 5, T0).await });
    }
    let mut compared = 0;
    while let Some(r) = guesses.join_next().await {
        if r.unwrap().unwrap() == CodeCheck::Mismatched {
            compared += 1;
        }
    }
    assert_eq!(
        compared, 5,
        "exactly five guesses compared across both nodes"
    );

    let mut ids = Vec::new();
    for i in 0..40 {
        let m = Message {
            kind: resetflow::flow::ChannelKind::Sms,
            to: format!("+4930{i:06}"),
            text: "code".into(),
            secret: "123456".into(),
            decoy: false,
            purpose: Purpose::Code,
            locale: "en".into(),
        };
        ids.push(a.enqueue(&m, T0).await.unwrap());
    }
    let mut workers = tokio::task::JoinSet::new();
    for i in 0..8 {
        let node = if i % 2 == 0 { a.clone() } else { b.clone() };
        workers.spawn(async move {
            let mut mine = Vec::new();
            loop {
                let jobs = node.due_jobs(T0, 3).await.unwrap();
                if jobs.is_empty() {
                    return mine;
                }
                for job in jobs {
                    node.finish_job(job.id, true, T0).await.unwrap();
                    mine.push(job.id);
                }
            }
        });
    }
    let mut delivered = Vec::new();
    while let Some(r) = workers.join_next().await {
        delivered.extend(r.unwrap());
    }
    delivered.sort_unstable();
    assert_eq!(delivered, ids, "every job delivered exactly once");

    // Both nodes purge at once: one does the work, neither fails.
    let (x, y) = tokio::join!(a.purge(T0.add_secs(1)), b.purge(T0.add_secs(1)));
    assert_eq!(x.unwrap() + y.unwrap(), 40, "the 40 sent jobs, once");
    assert!(a.job_counts().await.unwrap().is_empty());
    a.close().await;
    b.close().await;
    schema.drop().await;
}

/// Without a ping before each use, a pooled connection the server closed
/// (a restart, a failover, an idle timeout) fails one call, then the pool
/// replaces it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_costs_one_failed_call() {
    let Some(base) = database_url() else { return };
    let schema = Schema::new(&base).await;
    let app = format!("rf_drop_{}", &schema.name[8..]);
    let store = PostgresStore::open(&format!(
        "{}&application_name={app}&max_connections=1",
        schema.url
    ))
    .await
    .unwrap();
    store.meta_get_or_init("k", b"v").await.unwrap();
    let mut conn = PgConnection::connect(&base).await.unwrap();
    let killed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                               WHERE application_name = $1) t",
    )
    .bind(&app)
    .fetch_one(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
    assert_eq!(killed, 1, "the pool's one connection");
    let first = store.meta_get_or_init("k", b"w").await;
    let second = store.meta_get_or_init("k", b"w").await.unwrap();
    assert_eq!(second, b"v");
    if let Ok(v) = first {
        assert_eq!(v, b"v");
    }
    store.close().await;
    schema.drop().await;
}

fn resetflow(db: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_resetflow"))
        .args(args)
        .args(["--database", db])
        .env_remove("RESETFLOW_DATABASE")
        .env_remove("RESETFLOW_SECRET")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_accounts_work_on_postgres() {
    let Some(base) = database_url() else { return };
    let schema = Schema::new(&base).await;
    let add = |id: &str, email: &str| {
        resetflow(
            &schema.url,
            &[
                "accounts",
                "add",
                "--id",
                id,
                "--email",
                email,
                "--password-stdin",
            ],
            "Quartz-Meadow-Falls-8\n",
        )
    };
    let out = add("555000111", "Ann@Example.COM");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dup = add("555000112", "ann@example.com");
    assert!(!dup.status.success());
    assert!(
        String::from_utf8_lossy(&dup.stderr).contains("accounts.duplicate"),
        "{}",
        String::from_utf8_lossy(&dup.stderr)
    );
    let list = resetflow(&schema.url, &["accounts", "list"], "");
    let listed: Vec<serde_json::Value> = String::from_utf8_lossy(&list.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["id"], "555000111");
    // The server's store finds what the CLI wrote, e-mail case aside.
    let store = schema.store().await;
    let found = store
        .find_account(Lookup::Email("ANN@example.com"))
        .await
        .unwrap()
        .expect("found ignoring case");
    assert_eq!(found.id, "555000111");
    assert!(found.password_hash.starts_with("$argon2id$"));
    store.close().await;
    schema.drop().await;
}

#[tokio::test]
async fn an_unreachable_database_is_a_clear_error_without_the_password() {
    // Port 1 on loopback: nothing listens there.
    let url = "postgres://resetflow:s3cret-pw@127.0.0.1:1/resetflow";
    let e = match serve::open_store(url).await {
        Ok(_) => panic!("nothing listens on port 1"),
        Err(e) => e,
    };
    assert_eq!(e.code, "serve.database");
    assert!(!e.message.contains("s3cret-pw"), "{}", e.message);
    assert!(
        e.message
            .contains("postgres://resetflow:***@127.0.0.1:1/resetflow"),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("refused"),
        "names the cause: {}",
        e.message
    );
    let e =
        match serve::open_store("postgres://u@127.0.0.1:1/db?sslmode=disable&password=pw2").await {
            Ok(_) => panic!("nothing listens on port 1"),
            Err(e) => e,
        };
    assert!(
        e.message
            .contains("postgres://u@127.0.0.1:1/db?sslmode=disable&password=***"),
        "{}",
        e.message
    );
    let bad = serve::open_store("postgres://u@h/db?max_connections=0").await;
    assert!(bad.is_err_and(|e| e.message.contains("max_connections")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whole_http_flow_on_postgres() {
    let Some(base) = database_url() else { return };
    let schema = Schema::new(&base).await;
    let store = serve::open_store(&schema.url)
        .await
        .unwrap_or_else(|e| panic!("{}", e.message));
    let s = common::server_on(store, RateLimits::default(), true).await;
    let id = s.flow_at_channel("demo@example.com").await;
    let a = s
        .post(&s.path(Route::Code, &id), json!({"channel": "email"}))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.json());
    assert_eq!(a.json()["step"], "code");
    s.deliver().await;
    let new_password = "Velvet-Otter-Runs-42";
    let a = s
        .verify_code_and_set_password(&id, "demo@example.com", new_password)
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.json());
    assert_eq!(a.json()["step"], "done");
    let login = s
        .post(
            LOGIN_PATH,
            json!({"identifier": "100000001", "password": new_password}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "{:?}", login.json());
    let old = s
        .post(
            LOGIN_PATH,
            json!({"identifier": "100000001", "password": serve::DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    // The notices of the change go out and every job is settled.
    s.deliver().await;
    let counts = s.store.job_counts().await.unwrap();
    assert!(
        counts.iter().all(|(status, _)| status == "sent"),
        "{counts:?}"
    );
    assert_eq!(
        schema
            .count("SELECT COUNT(*) FROM outbox WHERE body IS NOT NULL OR secret IS NOT NULL")
            .await,
        0,
        "no code kept after delivery"
    );
    schema.drop().await;
}

/// A server process, killed if the test fails before stopping it.
struct Node(Child);

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `resetflow serve --dev` on `db`, on a free loopback port; returns the
/// process and its address (read from the banner).
fn serve_node(db: &str) -> (Node, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_resetflow"))
        .args([
            "serve",
            "--dev",
            "--listen",
            "127.0.0.1:0",
            "--database",
            db,
        ])
        .env_remove("RESETFLOW_DATABASE")
        .env_remove("RESETFLOW_SECRET")
        .env_remove("RESETFLOW_LISTEN")
        .env("RESETFLOW_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while out.read_line(&mut line).unwrap() > 0 {
        if let Some(rest) = line.strip_prefix("resetflow dev mode on http://") {
            let addr = rest.trim().trim_end_matches('/').to_owned();
            // Keep reading the banner in the background so the pipe never fills.
            std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
            return (Node(child), addr);
        }
        line.clear();
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the node printed no address");
}

/// One HTTP/1.1 request; the status and the JSON body.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    let json = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| serde_json::from_str(b).unwrap_or(serde_json::Value::Null))
        .unwrap_or_default();
    (status, json)
}

fn stop(mut node: Node) {
    let pid = node.0.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    assert!(node.0.wait().unwrap().success(), "graceful exit");
}

/// Two `resetflow serve` processes on one database act as one service:
/// they start together (one migrates), share the master key, and a flow
/// moves between them step by step; its code is delivered exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_serve_processes_on_one_database_act_as_one() {
    let Some(base) = database_url() else { return };
    let schema = Schema::new(&base).await;
    let url = schema.url.clone();
    let (a, b) = tokio::task::spawn_blocking(move || {
        let url2 = url.clone();
        let other = std::thread::spawn(move || serve_node(&url2));
        (serve_node(&url), other.join().unwrap())
    })
    .await
    .unwrap();
    let ((node_a, a), (node_b, b)) = (a, b);
    let (a2, b2) = (a.clone(), b.clone());
    tokio::task::spawn_blocking(move || {
        let (a, b) = (a2, b2);
        let p = "/api/recovery/flows";
        let (status, flow) = http(&a, "POST", p, Some(json!({"identifier": "+4915123456789"})));
        assert_eq!(status, 201, "{flow}");
        let id = flow["id"].as_str().unwrap().to_owned();
        let (_, outbox) = http(&a, "GET", "/dev/outbox", None);
        let answer = outbox
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .find(|e| e["kind"] == "captcha" && e["to"] == id.as_str())
            .unwrap()["secret"]
            .as_str()
            .unwrap()
            .to_owned();
        let (status, flow) = http(
            &b,
            "POST",
            &format!("{p}/{id}/captcha"),
            Some(json!({"answer": answer})),
        );
        assert_eq!(
            (status, flow["step"].as_str()),
            (200, Some("channel")),
            "{flow}"
        );
        let (status, flow) = http(
            &b,
            "POST",
            &format!("{p}/{id}/code"),
            Some(json!({"channel": "sms"})),
        );
        assert_eq!(
            (status, flow["step"].as_str()),
            (200, Some("code")),
            "{flow}"
        );
        // Both workers poll the one outbox; the code goes out once.
        let sms = |node: &str| -> Vec<String> {
            let (_, outbox) = http(node, "GET", "/dev/outbox", None);
            outbox
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["kind"] == "sms" && e["to"] == "+4915123456789")
                .map(|e| e["secret"].as_str().unwrap().to_owned())
                .collect()
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut codes = Vec::new();
        while codes.is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
            codes = [sms(&a), sms(&b)].concat();
        }
        assert_eq!(codes.len(), 1, "delivered once: {codes:?}");
        // Long enough for either worker to poll again.
        std::thread::sleep(Duration::from_secs(3));
        assert_eq!([sms(&a), sms(&b)].concat(), codes, "and only once");
        let (status, flow) = http(
            &a,
            "POST",
            &format!("{p}/{id}/code/verify"),
            Some(json!({"code": codes[0]})),
        );
        assert_eq!(
            (status, flow["step"].as_str()),
            (200, Some("password")),
            "{flow}"
        );
        let password = "Velvet-Otter-Runs-42";
        let (status, flow) = http(
            &b,
            "POST",
            &format!("{p}/{id}/password"),
            Some(json!({"password": password, "confirm": password})),
        );
        assert_eq!(
            (status, flow["step"].as_str()),
            (200, Some("done")),
            "{flow}"
        );
        let login = json!({"identifier": "100000001", "password": password});
        assert_eq!(http(&a, "POST", LOGIN_PATH, Some(login.clone())).0, 200);
        assert_eq!(http(&b, "POST", LOGIN_PATH, Some(login)).0, 200);
    })
    .await
    .unwrap();
    stop(node_a);
    stop(node_b);
    schema.drop().await;
}
