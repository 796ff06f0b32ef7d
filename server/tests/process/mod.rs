//! Black-box helpers: the `resetflow` binary as a child process and a
//! minimal blocking HTTP/1.1 client, so a test sees exactly what a client
//! on the network sees (used by the durability and multi-node tests).
#![allow(dead_code)]

use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The `resetflow` binary of this build.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_resetflow"));
    for var in ["RESETFLOW_LISTEN", "RESETFLOW_DATABASE", "RESETFLOW_REDIS"] {
        c.env_remove(var);
    }
    c
}

/// Lifts the per-IP budgets: one test client drives everything (the
/// per-identifier limits stay as SPEC has them).
pub const NO_IP_BUDGETS: [(&str, &str); 4] = [
    ("RESETFLOW_IP_REQUESTS_PER_MINUTE", "1000000"),
    ("RESETFLOW_IP_FLOWS_PER_HOUR", "1000000"),
    ("RESETFLOW_IP_SENDS_PER_HOUR", "1000000"),
    ("RESETFLOW_IP_LOGINS_PER_MINUTE", "1000000"),
];

/// A running `resetflow serve --dev`; killed with SIGKILL when dropped.
pub struct Server {
    child: Child,
    /// The address it listens on.
    pub addr: SocketAddr,
    log: PathBuf,
}

impl Server {
    /// Starts `resetflow serve --dev --listen 127.0.0.1:0` with `args`
    /// and `envs` added, in `dir`, logging to `dir/<name>.log`; returns
    /// once the banner names the bound address.
    pub fn start(dir: &Path, name: &str, args: &[&str], envs: &[(&str, &str)]) -> Server {
        let out = dir.join(format!("{name}.out"));
        let log = dir.join(format!("{name}.log"));
        let child = bin()
            .args(["serve", "--dev", "--listen", "127.0.0.1:0"])
            .args(args)
            .current_dir(dir)
            // Cheap hashes: black-box tests are about behaviour, not argon2.
            .env("RESETFLOW_ARGON2_MEMORY_KIB", "64")
            .env("RESETFLOW_ARGON2_ITERATIONS", "1")
            .env("RESETFLOW_LOG", "warn")
            .envs(envs.iter().copied())
            .stdout(fs::File::create(&out).unwrap())
            .stderr(fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut server = Server {
            child,
            addr: "127.0.0.1:1".parse().unwrap(),
            log,
        };
        let started = Instant::now();
        loop {
            let banner = fs::read_to_string(&out).unwrap_or_default();
            let addr = banner.lines().find_map(|l| {
                l.strip_prefix("resetflow dev mode on http://")
                    .map(|rest| rest.trim().trim_end_matches('/').to_owned())
            });
            if let (Some(addr), true) = (addr, banner.contains("dev outbox:")) {
                server.addr = addr.parse().unwrap();
                return server;
            }
            if let Some(status) = server.child.try_wait().unwrap() {
                panic!("serve exited ({status}): {}", server.logs());
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no banner: {banner} {}",
                server.logs()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn logs(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn sigkill(&mut self) {
        let status = Command::new("kill")
            .args(["-KILL", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let status = self.child.wait().unwrap();
        assert_eq!(status.code(), None, "killed by a signal: {status:?}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub enum HttpError {
    /// The connection was refused: the request never reached a server.
    NotSent(std::io::Error),
    /// The request may have been received; no answer came.
    NoAnswer(std::io::Error),
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HttpError::NotSent(e) => write!(f, "not sent: {e}"),
            HttpError::NoAnswer(e) => write!(f, "no answer: {e}"),
        }
    }
}

pub struct Answer {
    pub status: u16,
    pub headers: String,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "{} not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn dechunk(mut raw: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = raw.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&raw[..eol]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        raw = &raw[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(raw.get(..size)?);
        raw = raw.get(size + 2..)?;
    }
}

/// One HTTP/1.1 exchange on a fresh connection.
pub fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> Result<Answer, HttpError> {
    let mut s =
        TcpStream::connect_timeout(&addr, Duration::from_secs(5)).map_err(HttpError::NotSent)?;
    s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    let body = body.map(Value::to_string).unwrap_or_default();
    let content_type = if body.is_empty() {
        ""
    } else {
        "Content-Type: application/json\r\n"
    };
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{content_type}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).map_err(HttpError::NoAnswer)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).map_err(HttpError::NoAnswer)?;
    let incomplete = || {
        HttpError::NoAnswer(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "incomplete answer",
        ))
    };
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(incomplete)?;
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = head
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .ok_or_else(incomplete)?;
    let rest = &raw[split + 4..];
    let body = if head.contains("transfer-encoding: chunked") {
        dechunk(rest).ok_or_else(incomplete)?
    } else {
        rest.to_vec()
    };
    if let Some(len) = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
    {
        if body.len() != len {
            return Err(incomplete());
        }
    }
    Ok(Answer {
        status,
        headers: head,
        body,
    })
}

pub fn outbox(addr: SocketAddr) -> Result<Vec<Value>, HttpError> {
    let a = http(addr, "GET", "/dev/outbox", None)?;
    assert_eq!(a.status, 200, "{}", a.text());
    Ok(a.json().as_array().cloned().unwrap_or_default())
}

/// Secrets of the outbox entries of `kind` sent to `to`, oldest first.
pub fn secrets(entries: &[Value], kind: &str, to: &str) -> Vec<String> {
    entries
        .iter()
        .filter(|e| e["kind"] == kind && e["to"] == to)
        .filter_map(|e| e["secret"].as_str())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Polls the outbox until `pick` finds something (delivery runs in the
/// background).
pub fn wait_outbox<T>(
    addr: SocketAddr,
    what: &str,
    mut pick: impl FnMut(&[Value]) -> Option<T>,
) -> Result<T, HttpError> {
    let started = Instant::now();
    loop {
        if let Some(found) = pick(&outbox(addr)?) {
            return Ok(found);
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "{what} never reached the dev outbox"
        );
        thread::sleep(Duration::from_millis(10));
    }
}

pub fn expect(a: &Answer, status: u16, step: &str, what: &str) -> Value {
    assert_eq!(a.status, status, "{what}: {}", a.text());
    let flow = a.json();
    assert_eq!(flow["step"], step, "{what}: {flow}");
    flow
}

pub fn login(addr: SocketAddr, identifier: &str, password: &str) -> u16 {
    let a = http(
        addr,
        "POST",
        "/api/login",
        Some(&json!({"identifier": identifier, "password": password})),
    )
    .unwrap_or_else(|e| panic!("login: {e}"));
    assert!(
        a.status == 200 || a.status == 401,
        "login: {} {}",
        a.status,
        a.text()
    );
    a.status
}
