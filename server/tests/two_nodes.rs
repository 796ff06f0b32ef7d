//! Two `resetflow serve` nodes on one PostgreSQL database and one Redis act
//! as one service: a flow started on one node continues on the other, a
//! captcha answer is accepted once across both, the resend cooldown, the
//! hourly send cap per identifier and the per-IP budget hold for both
//! together, and each message is delivered once although both nodes run a
//! delivery worker.
//!
//! Needs `DATABASE_URL` (a PostgreSQL server; the test creates and drops
//! its own database there) and `REDIS_URL` (the test uses a fresh logical
//! database of that server); `scripts/services.sh start` provides both.
//! Without them the test prints a notice and passes.

mod process;

use std::net::SocketAddr;
use std::process::Command;
use std::thread;

use process::{expect, http, login, outbox, secrets, wait_outbox, Answer, Server};
use serde_json::{json, Value};

const PREFIX: &str = "/api/recovery";
/// Flows one client IP may start per hour, on both nodes together.
const IP_FLOWS: usize = 8;

fn services() -> Option<(String, String)> {
    match (std::env::var("DATABASE_URL"), std::env::var("REDIS_URL")) {
        (Ok(db), Ok(redis)) if !db.is_empty() && !redis.is_empty() => Some((db, redis)),
        _ => {
            eprintln!(
                "skipped: DATABASE_URL and REDIS_URL are not both set \
                 (scripts/services.sh start provides them)"
            );
            None
        }
    }
}

fn psql(url: &str, sql: &str) {
    let out = Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql])
        .output()
        .expect("psql (PostgreSQL's client) must be installed");
    assert!(
        out.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `url` with its database (the last path segment) replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("a database URL with a path");
    let query = url.split_once('?').map_or("", |(_, q)| q);
    if query.is_empty() {
        format!("{base}/{name}")
    } else {
        format!("{base}/{name}?{query}")
    }
}

/// A fresh PostgreSQL database, dropped at the end.
struct Database {
    admin_url: String,
    name: String,
    url: String,
}

impl Database {
    fn create(admin_url: &str) -> Database {
        let name = format!("resetflow_two_nodes_{}", std::process::id());
        psql(admin_url, &format!("DROP DATABASE IF EXISTS {name}"));
        psql(admin_url, &format!("CREATE DATABASE {name}"));
        Database {
            admin_url: admin_url.to_owned(),
            url: with_database(admin_url, &name),
            name,
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let _ = Command::new("psql")
            .args([
                self.admin_url.as_str(),
                "-qAtc",
                &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            ])
            .output();
    }
}

/// A logical Redis database of its own, emptied first.
fn fresh_redis(url: &str) -> String {
    let base = url.trim_end_matches('/');
    let base = match base.rsplit_once('/') {
        Some((b, db)) if db.parse::<u32>().is_ok() => b.to_owned(),
        _ => base.to_owned(),
    };
    let db = 9 + std::process::id() % 6;
    let url = format!("{base}/{db}");
    let out = Command::new("redis-cli")
        .args(["-u", &url, "FLUSHDB"])
        .output()
        .expect("redis-cli must be installed");
    assert!(out.status.success(), "redis-cli FLUSHDB failed");
    url
}

fn post(addr: SocketAddr, path: &str, body: Value) -> Answer {
    http(addr, "POST", &format!("{PREFIX}{path}"), Some(&body))
        .unwrap_or_else(|e| panic!("POST {path} on {addr}: {e}"))
}

fn get(addr: SocketAddr, path: &str) -> Answer {
    http(addr, "GET", &format!("{PREFIX}{path}"), None)
        .unwrap_or_else(|e| panic!("GET {path} on {addr}: {e}"))
}

fn error_code(a: &Answer) -> String {
    a.json()["error"]["code"].as_str().unwrap_or("").to_owned()
}

/// Starts a flow on `node`; returns its id and the answer of its first
/// challenge (from that node's outbox: the node that issued it).
fn start_flow(node: SocketAddr, identifier: &str) -> (String, String) {
    let created = post(node, "/flows", json!({"identifier": identifier}));
    let flow = expect(&created, 201, "captcha", "start");
    let id = flow["id"].as_str().unwrap().to_owned();
    let answer = wait_outbox(node, "the captcha answer", |e| {
        secrets(e, "captcha", &id).pop()
    })
    .unwrap_or_else(|e| panic!("outbox: {e}"));
    (id, answer)
}

/// The answer of a challenge issued to `flow` other than `old`, from
/// either node's outbox.
fn wait_any_outbox(nodes: &[SocketAddr], flow: &str, old: &str) -> String {
    let started = std::time::Instant::now();
    loop {
        for &node in nodes {
            let entries = outbox(node).unwrap_or_default();
            if let Some(a) = secrets(&entries, "captcha", flow)
                .into_iter()
                .rfind(|a| a != old)
            {
                return a;
            }
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(15),
            "no new challenge for {flow}"
        );
        thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn channel_of(flow: &Value, kind: &str) -> String {
    flow["channels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} channel: {flow}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Every secret sent to `to` by either node.
fn sent_to(nodes: &[&Server], kind: &str, to: &str) -> Vec<String> {
    nodes
        .iter()
        .flat_map(|n| secrets(&outbox(n.addr).unwrap_or_default(), kind, to))
        .collect()
}

fn wait_sent(nodes: &[&Server], kind: &str, to: &str, count: usize) -> Vec<String> {
    let started = std::time::Instant::now();
    loop {
        let all = sent_to(nodes, kind, to);
        if all.len() >= count {
            return all;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(15),
            "only {} of {count} messages to {to} were delivered",
            all.len()
        );
        thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn two_nodes_on_postgres_and_redis_act_as_one() {
    let Some((database_url, redis_url)) = services() else {
        return;
    };
    let db = Database::create(&database_url);
    let redis = fresh_redis(&redis_url);
    let dir = tempfile::tempdir().unwrap();
    let ip_flows = IP_FLOWS.to_string();
    let envs = [
        ("RESETFLOW_IP_REQUESTS_PER_MINUTE", "100000"),
        ("RESETFLOW_IP_FLOWS_PER_HOUR", ip_flows.as_str()),
        ("RESETFLOW_IP_SENDS_PER_HOUR", "100000"),
        ("RESETFLOW_IP_LOGINS_PER_MINUTE", "100000"),
    ];
    let args = ["--database", db.url.as_str(), "--redis", redis.as_str()];
    // One after the other: the first migrates the database and creates the
    // master key there; the second finds both (no shared secret is given,
    // so the nodes agree only through the database).
    let n1 = Server::start(dir.path(), "node1", &args, &envs);
    let n2 = Server::start(dir.path(), "node2", &args, &envs);
    let (a1, a2) = (n1.addr, n2.addr);
    let mut flows_started = 0;

    // A flow started on node 1 continues on node 2.
    let (id, answer) = start_flow(a1, "demo@example.com");
    flows_started += 1;
    let seen = get(a2, &format!("/flows/{id}"));
    let flow = expect(&seen, 200, "captcha", "the flow read on node 2");
    assert_eq!(flow["id"], id.as_str());

    // Both nodes get the right answer at once: at most one accepts it (a
    // challenge is consumed by its first answer, right or wrong, so the
    // race may also cost both: then the flow has a new challenge).
    let path = format!("/flows/{id}/captcha");
    let (r1, r2) = thread::scope(|s| {
        let p = &path;
        let body = json!({ "answer": answer });
        let b2 = body.clone();
        let t1 = s.spawn(move || post(a1, p, body));
        let t2 = s.spawn(move || post(a2, p, b2));
        (t1.join().unwrap(), t2.join().unwrap())
    });
    let won: Vec<&Answer> = [&r1, &r2].into_iter().filter(|a| a.status == 200).collect();
    assert!(
        won.len() <= 1,
        "the same answer was accepted twice: {} / {}",
        r1.text(),
        r2.text()
    );
    let flow = match won.first() {
        Some(a) => a.json(),
        None => {
            // Neither won: the newest challenge (issued by either node) is
            // solved on node 2.
            let fresh = wait_any_outbox(&[a1, a2], &id, &answer);
            let solved = post(a2, &path, json!({ "answer": fresh }));
            expect(&solved, 200, "channel", "a new challenge after the race")
        }
    };
    assert_eq!(flow["step"], "channel");
    // Replayed later on node 2: refused, and the flow stays where it is.
    let replay = post(a2, &path, json!({ "answer": answer }));
    assert_ne!(replay.status, 200, "a replayed answer was accepted");
    expect(
        &get(a2, &format!("/flows/{id}")),
        200,
        "channel",
        "after the replay",
    );

    // A code sent through node 2; the resend on node 1 hits the cooldown.
    let email = channel_of(&flow, "email");
    let sent = post(a2, &format!("/flows/{id}/code"), json!({"channel": email}));
    expect(&sent, 200, "code", "send on node 2");
    let resend = post(a1, &format!("/flows/{id}/code"), json!({"channel": email}));
    assert_eq!(resend.status, 429, "resend on node 1: {}", resend.text());
    assert_eq!(error_code(&resend), "code.cooldown");
    assert!(
        resend.headers.contains("retry-after:"),
        "429 without Retry-After"
    );
    // Delivered once, by whichever worker claimed it.
    let codes = wait_sent(&[&n1, &n2], "email", "demo@example.com", 1);
    thread::sleep(std::time::Duration::from_millis(1500));
    let codes_later = sent_to(&[&n1, &n2], "email", "demo@example.com");
    assert_eq!(
        codes_later.len(),
        1,
        "one send was delivered {} times",
        codes_later.len()
    );
    let verified = post(
        a1,
        &format!("/flows/{id}/code/verify"),
        json!({"code": codes[0]}),
    );
    expect(&verified, 200, "password", "verify on node 1");
    let password = "Two-Nodes-Harbor-93";
    let done = post(
        a2,
        &format!("/flows/{id}/password"),
        json!({"password": password, "confirm": password}),
    );
    expect(&done, 200, "done", "password on node 2");
    assert_eq!(login(a1, "demo@example.com", password), 200);
    assert_eq!(login(a2, "100000001", password), 200);

    // The hourly cap of 5 sends per identifier holds across both nodes:
    // flows alternate between the nodes, each send goes to the other node.
    let identifier = "mail-only@example.com";
    for i in 0..6 {
        let (on, other) = if i % 2 == 0 { (a1, a2) } else { (a2, a1) };
        let (id, answer) = start_flow(on, identifier);
        flows_started += 1;
        let solved = post(
            on,
            &format!("/flows/{id}/captcha"),
            json!({"answer": answer}),
        );
        let flow = expect(&solved, 200, "channel", "captcha");
        let channel = channel_of(&flow, "email");
        let sent = post(
            other,
            &format!("/flows/{id}/code"),
            json!({"channel": channel}),
        );
        if i < 5 {
            expect(&sent, 200, "code", &format!("send {} of 5", i + 1));
        } else {
            assert_eq!(sent.status, 429, "a 6th send in the hour: {}", sent.text());
            assert_eq!(error_code(&sent), "code.send_limit");
        }
    }

    // The per-IP budget of flows holds for both nodes together: what is
    // left of it is used up alternately, then both nodes refuse.
    while flows_started < IP_FLOWS {
        let on = if flows_started % 2 == 0 { a1 } else { a2 };
        let created = post(on, "/flows", json!({"identifier": "100000002"}));
        expect(&created, 201, "captcha", "a flow within the per-IP budget");
        flows_started += 1;
    }
    for node in [a1, a2] {
        let refused = post(node, "/flows", json!({"identifier": "100000002"}));
        assert_eq!(
            refused.status,
            429,
            "flow {} from one IP on {node}: {}",
            IP_FLOWS + 1,
            refused.text()
        );
        assert_eq!(error_code(&refused), "rate.limited");
    }

    for n in [&n1, &n2] {
        let logs = n.logs();
        assert!(!logs.contains("ERROR"), "errors on a node: {logs}");
    }
}
