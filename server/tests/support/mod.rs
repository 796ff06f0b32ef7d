//! Real local peers for the delivery tests: an SMTP server (aiosmtpd) and
//! an HTTP receiver of the SMS webhook (Python's `http.server`), both
//! started on free loopback ports and stopped when dropped; a throw-away CA
//! and server certificate made with `openssl`; an SQLite outbox in a file.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use resetflow::flow::ChannelKind;
use resetflow_server::store::{Message, Purpose, SqliteStore, Store};
use serde_json::Value;

const SUPPORT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support");

/// Whether `python3` can import `module`.
pub fn python_has(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether a missing peer must fail the test instead of skipping it
/// (`RESETFLOW_REQUIRE_PEERS=1`, for CI, where a skip would hide a gap).
fn peers_required() -> bool {
    std::env::var("RESETFLOW_REQUIRE_PEERS").is_ok_and(|v| v == "1")
}

/// `true` when aiosmtpd is there; else prints why the test is skipped.
pub fn have_aiosmtpd(test: &str) -> bool {
    let ok = python_has("aiosmtpd");
    assert!(
        ok || !peers_required(),
        "{test}: python3 cannot import aiosmtpd and RESETFLOW_REQUIRE_PEERS=1"
    );
    if !ok {
        eprintln!(
            "SKIPPED {test}: python3 cannot import aiosmtpd (pip install aiosmtpd; \
             scripts/setup.sh does it)"
        );
    }
    ok
}

/// `true` when python3 is there; else prints why the test is skipped.
pub fn have_python(test: &str) -> bool {
    let ok = python_has("http.server");
    assert!(
        ok || !peers_required(),
        "{test}: no python3 and RESETFLOW_REQUIRE_PEERS=1"
    );
    if !ok {
        eprintln!("SKIPPED {test}: python3 is not available");
    }
    ok
}

/// A helper process that printed `READY <port>`; killed when dropped.
pub struct Peer {
    child: Child,
    /// The loopback port it listens on.
    pub port: u16,
}

impl Peer {
    fn spawn(script: &str, args: &[&str]) -> Peer {
        let mut child = Command::new("python3")
            .arg(Path::new(SUPPORT).join(script))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 runs");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let port = line
            .strip_prefix("READY ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| {
                let _ = child.kill();
                panic!("{script} did not start: {line:?}")
            });
        Peer { child, port }
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An aiosmtpd server that saves what it receives.
pub struct SmtpSink {
    peer: Peer,
    dir: tempfile::TempDir,
}

impl SmtpSink {
    /// Starts the sink with extra options of `smtp_sink.py`.
    pub fn start(options: &[&str]) -> SmtpSink {
        let dir = tempfile::tempdir().unwrap();
        let mut args = vec![dir.path().to_str().unwrap()];
        args.extend_from_slice(options);
        let peer = Peer::spawn("smtp_sink.py", &args);
        SmtpSink { peer, dir }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.peer.port
    }

    /// The messages received so far, in order (parsed by Python's `email`).
    pub fn messages(&self) -> Vec<Value> {
        let mut found: Vec<(u32, Value)> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(|e| {
                let name = e.ok()?.file_name().into_string().ok()?;
                let n = name.strip_suffix(".json")?.parse().ok()?;
                let text = std::fs::read_to_string(self.dir.path().join(&name)).ok()?;
                Some((n, serde_json::from_str(&text).unwrap()))
            })
            .collect();
        found.sort_by_key(|(n, _)| *n);
        found.into_iter().map(|(_, v)| v).collect()
    }

    /// Waits (up to 20 s) until at least `n` messages arrived.
    pub fn wait_for(&self, n: usize) -> Vec<Value> {
        let start = Instant::now();
        loop {
            let m = self.messages();
            if m.len() >= n {
                return m;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "only {} of {n} e-mails arrived",
                m.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The raw bytes of message number `n` (1-based) as received.
    pub fn raw(&self, n: usize) -> Vec<u8> {
        std::fs::read(self.dir.path().join(format!("{n}.eml"))).unwrap()
    }
}

/// The body of the MIME part of type `content_type` in a received message.
pub fn part(message: &Value, content_type: &str) -> String {
    message["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["content_type"] == content_type)
        .unwrap_or_else(|| panic!("no {content_type} part in {message}"))["body"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The webhook receiver; `requests()` reads its log.
pub struct WebhookReceiver {
    peer: Peer,
    dir: tempfile::TempDir,
}

impl WebhookReceiver {
    /// Starts a receiver checking signatures with `secret`, answering 500
    /// to the first `fail_first` valid requests.
    pub fn start(secret: &str, fail_first: u32) -> WebhookReceiver {
        WebhookReceiver::start_with(secret, fail_first, &[])
    }

    /// As [`WebhookReceiver::start`], with extra options (`--tls CERT KEY`).
    pub fn start_with(secret: &str, fail_first: u32, options: &[&str]) -> WebhookReceiver {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("requests.jsonl");
        let fail = fail_first.to_string();
        let mut args = vec![secret, log.to_str().unwrap(), "--fail-first", &fail];
        args.extend_from_slice(options);
        let peer = Peer::spawn("webhook_receiver.py", &args);
        WebhookReceiver { peer, dir }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.peer.port
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.peer.port)
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Value> {
        match std::fs::read_to_string(self.dir.path().join("requests.jsonl")) {
            Ok(text) => text
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    /// Waits (up to 20 s) until at least `n` requests arrived.
    pub fn wait_for(&self, n: usize) -> Vec<Value> {
        let start = Instant::now();
        loop {
            let r = self.requests();
            if r.len() >= n {
                return r;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "only {} of {n} webhook requests arrived",
                r.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A throw-away private CA and a server certificate it signed for
/// `localhost` and `127.0.0.1`: `(ca.pem, server.pem, server.key)`.
pub fn private_ca(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let p = |name: &str| dir.join(name);
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl runs");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    let mut ca = vec![
        "req",
        "-x509",
        "-days",
        "2",
        "-subj",
        "/CN=resetflow test CA",
    ];
    ca.extend_from_slice(&ec);
    ca.extend_from_slice(&["-keyout", "ca.key", "-out", "ca.pem"]);
    run(&ca);
    let mut csr = vec!["req", "-subj", "/CN=localhost"];
    csr.extend_from_slice(&ec);
    csr.extend_from_slice(&["-keyout", "server.key", "-out", "server.csr"]);
    run(&csr);
    std::fs::write(
        p("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\n\
         keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-days",
        "2",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-extfile",
        "server.ext",
        "-out",
        "server.pem",
    ]);
    (p("ca.pem"), p("server.pem"), p("server.key"))
}

/// An SQLite store in a file of `dir`, and its URL (for [`outbox`]).
pub async fn file_store(dir: &Path) -> (Arc<dyn Store>, String) {
    let url = format!("sqlite://{}", dir.join("outbox.db").display());
    let store = SqliteStore::open(&url).await.unwrap();
    (Arc::new(store), url)
}

/// One outbox row as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
}

/// The outbox rows of the database at `url`, by job id.
pub async fn outbox(url: &str) -> Vec<Row> {
    use sqlx::Connection;
    let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
    let rows: Vec<(String, i64, Option<String>)> =
        sqlx::query_as("SELECT status, attempts, last_error FROM outbox ORDER BY id")
            .fetch_all(&mut c)
            .await
            .unwrap();
    rows.into_iter()
        .map(|(status, attempts, last_error)| Row {
            status,
            attempts,
            last_error,
        })
        .collect()
}

/// A message as the service would queue it.
pub fn message(kind: ChannelKind, to: &str, purpose: Purpose, locale: &str, code: &str) -> Message {
    let text = match purpose {
        Purpose::Code => format!("Your resetflow verification code is {code}."),
        Purpose::PasswordChanged => "The password of your account was just changed.".to_owned(),
    };
    Message {
        kind,
        to: to.to_owned(),
        text,
        secret: if purpose == Purpose::Code {
            code.to_owned()
        } else {
            String::new()
        },
        decoy: false,
        purpose,
        locale: locale.to_owned(),
    }
}

/// A loopback port nothing listens on (bound, then released).
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}
