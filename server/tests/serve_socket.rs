//! `serve` on a real socket: startup, dev-mode seeding, static files,
//! graceful shutdown, and the refusals of the configuration.

mod common;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use resetflow_server::config::ServeConfig;
use resetflow_server::serve;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Parser)]
struct Wrapper {
    #[command(flatten)]
    serve: ServeConfig,
}

fn config(args: &[&str]) -> ServeConfig {
    let mut argv = vec!["serve"];
    argv.extend_from_slice(args);
    Wrapper::try_parse_from(argv).unwrap().serve
}

async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> (u16, String, Vec<u8>) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let body = body.unwrap_or("");
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head[9..12].parse().unwrap();
    (status, head.to_ascii_lowercase(), raw[split + 4..].to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_dev_mode_on_a_socket_and_shuts_down_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let www: PathBuf = dir.path().join("www");
    std::fs::create_dir(&www).unwrap();
    std::fs::write(www.join("index.html"), "<!doctype html><title>t</title>").unwrap();
    std::fs::write(www.join("m.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let db = format!("sqlite://{}", dir.path().join("s.db").display());
    let cfg = config(&[
        "--listen",
        "127.0.0.1:0",
        "--dev",
        "--database",
        &db,
        "--www",
        www.to_str().unwrap(),
        "--argon2-memory-kib",
        "64",
        "--argon2-iterations",
        "1",
    ]);

    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    let server = tokio::spawn(serve::run_until(
        cfg,
        Arc::new(common::TestCaptcha),
        async {
            let _ = stop_rx.await;
        },
        Some(ready_tx),
    ));
    let addr = ready_rx.await.unwrap();

    let (status, _, body) = http(addr, "GET", "/healthz", None).await;
    assert_eq!((status, body.as_slice()), (200, &b"ok"[..]));
    let (status, head, body) = http(
        addr,
        "POST",
        "/api/recovery/flows",
        Some(r#"{"identifier":"100000001"}"#),
    )
    .await;
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
    assert!(head.contains("cache-control: no-store"));
    let flow: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        flow["channels"].as_array().unwrap().len(),
        2,
        "the demo account was seeded"
    );
    let (status, _, body) = http(addr, "GET", "/dev/outbox", None).await;
    assert_eq!(status, 200);
    let outbox: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(outbox[0]["kind"], "captcha");
    assert_eq!(outbox[0]["to"], flow["id"]);

    let (status, head, body) = http(addr, "GET", "/", None).await;
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html"));
    assert!(head.contains("content-security-policy:") && head.contains("'wasm-unsafe-eval'"));
    assert!(body.starts_with(b"<!doctype html>"));
    let (status, head, _) = http(addr, "GET", "/m.wasm", None).await;
    assert_eq!(status, 200);
    assert!(head.contains("content-type: application/wasm"));
    for path in ["/../s.db", "/.hidden", "/nothing.js"] {
        assert_eq!(http(addr, "GET", path, None).await.0, 404, "{path}");
    }

    stop_tx.send(()).unwrap();
    server.await.unwrap().unwrap();
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "the socket is closed"
    );

    // A second start on the same file keeps the data and the seeded accounts once.
    let store = resetflow_server::store::SqliteStore::open(&db)
        .await
        .unwrap();
    use resetflow_server::store::Store;
    assert_eq!(
        store.list_accounts().await.unwrap().len(),
        serve::DEMO_ACCOUNTS.len()
    );
    assert!(store
        .flow(flow["id"].as_str().unwrap())
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn dev_mode_is_refused_off_loopback_and_without_dev_there_is_no_delivery() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("r.db").display());
    for listen in ["0.0.0.0:0", "192.0.2.1:8080", "[::]:0"] {
        let e = serve::run(
            config(&["--listen", listen, "--dev", "--database", &db]),
            Arc::new(common::TestCaptcha),
        )
        .await
        .unwrap_err();
        assert_eq!(e.code, "serve.dev_not_loopback", "{listen}");
    }
    let e = serve::run(
        config(&["--listen", "127.0.0.1:0", "--database", &db]),
        Arc::new(common::TestCaptcha),
    )
    .await
    .unwrap_err();
    assert_eq!(e.code, "serve.no_delivery");
    let e = serve::run(
        config(&[
            "--listen",
            "127.0.0.1:0",
            "--dev",
            "--database",
            "postgres://x/y",
        ]),
        Arc::new(common::TestCaptcha),
    )
    .await
    .unwrap_err();
    assert_eq!(e.code, "serve.database");
    let e = serve::run(
        config(&[
            "--listen",
            "127.0.0.1:0",
            "--dev",
            "--database",
            &db,
            "--secret",
            "c2hvcnQ=",
        ]),
        Arc::new(common::TestCaptcha),
    )
    .await
    .unwrap_err();
    assert_eq!(e.code, "serve.secret");
    assert!(serve::dev_allowed(&"[::1]:80".parse().unwrap()));
}

#[test]
fn config_debug_redacts_secrets() {
    let cfg = config(&[
        "--admin-token",
        "tok-123456",
        "--secret",
        "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==",
    ]);
    let shown = format!("{cfg:?}");
    assert!(shown.contains("memory_kib: 19456"), "{shown}");
    assert!(
        !shown.contains("tok-123456") && !shown.contains("c2VjcmV0"),
        "{shown}"
    );
}
