//! `resetflow serve` as a process: the dev banner, a request, SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_resetflow"));
    c.env_remove("RESETFLOW_SECRET")
        .env_remove("RESETFLOW_LISTEN");
    c
}

#[test]
fn dev_mode_off_loopback_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("x.db").display());
    let out = bin()
        .args(["serve", "--dev", "--listen", "0.0.0.0:0", "--database", &db])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error[serve.dev_not_loopback]"), "{err}");
}

#[test]
fn serves_in_dev_mode_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("s.db").display());
    let mut child = bin()
        .args([
            "serve",
            "--dev",
            "--listen",
            "127.0.0.1:0",
            "--database",
            &db,
        ])
        .env("RESETFLOW_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    let mut addr = None;
    for _ in 0..20 {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap() == 0 {
            break;
        }
        banner.push_str(&line);
        if let Some(rest) = line.strip_prefix("resetflow dev mode on http://") {
            addr = Some(rest.trim().trim_end_matches('/').to_owned());
        }
        if line.contains("dev outbox:") {
            break;
        }
    }
    let addr = addr.unwrap_or_else(|| panic!("no banner: {banner}"));
    assert!(
        banner.contains("100000001")
            && banner.contains("demo@example.com")
            && banner.contains("+4915123456789")
    );

    let mut s = TcpStream::connect(&addr).unwrap();
    write!(
        s,
        "GET /api/recovery/flows/x/captcha HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");

    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = child.wait().unwrap();
    assert!(status.success(), "graceful exit: {status:?}");
    let mut logs = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    assert!(
        logs.contains("shutdown signal received") && logs.contains("stopped"),
        "{logs}"
    );
    assert!(
        !logs.contains(resetflow_server::serve::DEMO_PASSWORD),
        "the password is in the banner only"
    );
}
