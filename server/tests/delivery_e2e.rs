//! The server outside dev mode with real delivery: SMTP to aiosmtpd and the
//! SMS webhook to a Python receiver that checks signatures.
//!
//! The walk runs `serve::run_until`, the function `resetflow serve` runs,
//! configured from command-line arguments and serving on a real socket; its
//! one difference from the binary is a captcha source whose answer the test
//! knows (outside dev mode nothing else reveals it, by design). The binary
//! itself is started too, to check which delivery configurations it refuses
//! and that it serves with one. Skipped with a notice without aiosmtpd.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use resetflow_server::challenge::{CaptchaSource, Rendered};
use resetflow_server::config::ServeConfig;
use resetflow_server::serve;
use serde_json::{json, Value};
use support::{part, SmtpSink, WebhookReceiver};

const SECRET: &str = "webhook-secret-for-tests-0123456789";
const MASTER: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const CAPTCHA: &str = "246810";
const EMAIL: &str = "mara.lind@example.com";
const PHONE: &str = "+4915198765432";

/// Serves a fixed answer: the walk must get past the captcha.
struct KnownCaptcha;

impl CaptchaSource for KnownCaptcha {
    fn render(&self) -> Result<Rendered, String> {
        Ok(Rendered {
            png: b"\x89PNG\r\n\x1a\nknown".to_vec(),
            answer: CAPTCHA.to_owned(),
        })
    }
}

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    serve: ServeConfig,
}

fn resetflow(args: &[&str], db: &str, stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_resetflow"))
        .args(args)
        .env("RESETFLOW_DATABASE", db)
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

struct Http {
    client: Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
    base: String,
}

impl Http {
    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let req = hyper::Request::post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(body.to_string())))
            .unwrap();
        let res = self.client.request(req).await.unwrap();
        let status = res.status().as_u16();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, value)
    }
}

/// The six digits standing alone in a text.
fn code_in(text: &str) -> String {
    let codes: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 6)
        .collect();
    assert_eq!(codes.len(), 1, "one code in {text:?}");
    codes[0].to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flow_gets_its_code_by_e_mail_and_sms_and_every_channel_the_notice() {
    if !support::have_aiosmtpd("a_flow_gets_its_code_by_e_mail_and_sms") {
        return;
    }
    let sink = SmtpSink::start(&[]);
    let receiver = WebhookReceiver::start(SECRET, 0);
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("e2e.db").display());
    let added = resetflow(
        &[
            "accounts",
            "add",
            "--id",
            "700000001",
            "--email",
            EMAIL,
            "--phone",
            PHONE,
            "--password-stdin",
        ],
        &db,
        "Old-Harbour-Lights-31\n",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );

    let smtp_url = format!("smtp://127.0.0.1:{}", sink.port());
    let hook = receiver.url("/sms");
    let cli = Cli::parse_from([
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--database",
        &db,
        "--secret",
        MASTER,
        "--www",
        "/nonexistent",
        "--argon2-memory-kib",
        "64",
        "--argon2-iterations",
        "1",
        "--smtp-url",
        &smtp_url,
        "--smtp-tls",
        "none",
        "--smtp-from",
        "Example Recovery <recovery@shop.test>",
        "--sms-webhook-url",
        &hook,
        "--sms-webhook-secret",
        SECRET,
    ]);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel::<SocketAddr>();
    let server = tokio::spawn(serve::run_until(
        cli.serve,
        Arc::new(KnownCaptcha),
        async move {
            let _ = stop_rx.await;
        },
        Some(ready_tx),
    ));
    let addr = tokio::time::timeout(Duration::from_secs(30), ready_rx)
        .await
        .expect("the server starts")
        .unwrap();
    let http = Http {
        client: Client::builder(TokioExecutor::new()).build_http(),
        base: format!("http://{addr}/api/recovery"),
    };

    // Flow A, by e-mail, in German: the code arrives by e-mail.
    let (s, f) = http
        .post("/flows", json!({"identifier": EMAIL, "locale": "de"}))
        .await;
    assert_eq!(s, 201, "{f}");
    let a = f["id"].as_str().unwrap().to_owned();
    let (s, f) = http
        .post(&format!("/flows/{a}/captcha"), json!({"answer": CAPTCHA}))
        .await;
    assert_eq!((s, f["step"].as_str()), (200, Some("channel")), "{f}");
    let channel = |f: &Value, kind: &str| {
        f["channels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["kind"] == kind)
            .unwrap_or_else(|| panic!("no {kind} channel in {f}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let email = channel(&f, "email");
    let (s, f) = http
        .post(&format!("/flows/{a}/code"), json!({"channel": email}))
        .await;
    assert_eq!((s, f["step"].as_str()), (200, Some("code")), "{f}");
    let mail = &sink.wait_for(1)[0];
    assert_eq!(mail["headers"]["To"], EMAIL);
    assert_eq!(mail["headers"]["Subject"], "Ihr Bestätigungscode");
    assert_eq!(
        mail["headers"]["From"],
        "Example Recovery <recovery@shop.test>"
    );
    let text = part(mail, "text/plain");
    assert!(
        text.contains("m•••@example.com") && !text.contains("mara.lind"),
        "{text}"
    );
    let code = code_in(&text);
    assert!(part(mail, "text/html").contains(&code));

    // Flow B, by account ID: the code arrives by SMS, signed.
    let (s, f) = http
        .post("/flows", json!({"identifier": "700000001", "locale": "es"}))
        .await;
    assert_eq!(s, 201, "{f}");
    let b = f["id"].as_str().unwrap().to_owned();
    let (_, f) = http
        .post(&format!("/flows/{b}/captcha"), json!({"answer": CAPTCHA}))
        .await;
    let sms = channel(&f, "sms");
    let (s, f) = http
        .post(&format!("/flows/{b}/code"), json!({"channel": sms}))
        .await;
    assert_eq!(s, 200, "{f}");
    let hit = &receiver.wait_for(1)[0];
    assert_eq!(
        hit["status"], 200,
        "the receiver accepted the signature: {hit}"
    );
    assert_eq!(hit["body"]["to"], PHONE);
    assert_eq!(hit["body"]["purpose"], "code");
    assert_eq!(hit["body"]["locale"], "es");
    let sms_code = code_in(hit["body"]["text"].as_str().unwrap());
    let (s, f) = http
        .post(
            &format!("/flows/{b}/code/verify"),
            json!({"code": sms_code}),
        )
        .await;
    assert_eq!((s, f["step"].as_str()), (200, Some("password")), "{f}");

    // Flow A finishes with the e-mailed code.
    let (s, f) = http
        .post(&format!("/flows/{a}/code/verify"), json!({"code": code}))
        .await;
    assert_eq!((s, f["step"].as_str()), (200, Some("password")), "{f}");
    let new = "Lantern-Orbit-Violet-42";
    let (s, f) = http
        .post(
            &format!("/flows/{a}/password"),
            json!({"password": new, "confirm": new}),
        )
        .await;
    assert_eq!((s, f["step"].as_str()), (200, Some("done")), "{f}");

    // Every channel hears of the change.
    let notice = &sink.wait_for(2)[1];
    assert_eq!(notice["headers"]["Subject"], "Ihr Passwort wurde geändert");
    let text = part(notice, "text/plain");
    assert!(
        text.contains("m•••@example.com") && !text.contains(&code),
        "{text}"
    );
    let hits = receiver.wait_for(2);
    assert_eq!(hits[1]["status"], 200);
    assert_eq!(hits[1]["body"]["purpose"], "password_changed");
    assert_eq!(hits[1]["body"]["to"], PHONE);

    let login = Http {
        client: http.client.clone(),
        base: format!("http://{addr}"),
    };
    let (s, f) = login
        .post("/api/login", json!({"identifier": EMAIL, "password": new}))
        .await;
    assert_eq!(s, 200, "{f}");

    stop_tx.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(30), server)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
    assert_eq!(sink.messages().len(), 2);
    assert_eq!(receiver.requests().len(), 2);
}

fn serve_bin(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_resetflow"));
    c.arg("serve")
        .args(args)
        .env("RESETFLOW_LOG_FORMAT", "json")
        .env("RESETFLOW_LOG", "info")
        .env("RESETFLOW_ARGON2_MEMORY_KIB", "64")
        .env("RESETFLOW_ARGON2_ITERATIONS", "1")
        .env_remove("RESETFLOW_SECRET")
        .env_remove("RESETFLOW_LISTEN");
    for (k, _) in std::env::vars() {
        if k.starts_with("RESETFLOW_SMTP") || k.starts_with("RESETFLOW_SMS") {
            c.env_remove(k);
        }
    }
    c
}

#[test]
fn the_binary_refuses_incomplete_delivery_and_serves_with_smtp_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("bin.db").display());
    let base = ["--listen", "127.0.0.1:0", "--database", &db];
    let refusals: [(&[&str], &str); 5] = [
        (&[], "error[serve.no_delivery]"),
        (
            &["--smtp-url", "smtp://mail.example.com"],
            "error[serve.smtp]",
        ),
        (&["--smtp-from", "a@example.com"], "error[serve.smtp]"),
        (
            &["--sms-webhook-url", "https://sms.example.com/hook"],
            "error[serve.sms_webhook]",
        ),
        (
            &[
                "--sms-webhook-url",
                "http://sms.example.com/hook",
                "--sms-webhook-secret",
                SECRET,
            ],
            "error[serve.sms_webhook]",
        ),
    ];
    for (extra, expected) in refusals {
        let out = serve_bin(&base).args(extra).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{extra:?} started");
        assert!(err.contains(expected), "{extra:?}: {err}");
        assert!(!err.contains(SECRET));
    }

    // SMTP alone (it connects only to send): serves, warns about SMS.
    let mut child = serve_bin(&base)
        .args([
            "--smtp-url",
            "smtp://mailer:pw-s3cret@127.0.0.1:2525",
            "--smtp-tls",
            "none",
            "--smtp-from",
            "recovery@shop.test",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut logs = String::new();
    let mut addr = None;
    for _ in 0..50 {
        let mut line = String::new();
        if err.read_line(&mut line).unwrap() == 0 {
            break;
        }
        logs.push_str(&line);
        let v: Value = serde_json::from_str(&line).unwrap_or(Value::Null);
        if v["fields"]["message"] == "serving" {
            addr = v["fields"]["listen"].as_str().map(str::to_owned);
            break;
        }
    }
    let addr = addr.unwrap_or_else(|| panic!("not serving: {logs}"));
    assert!(logs.contains("no SMS delivery is configured"), "{logs}");
    assert!(logs.contains("127.0.0.1:2525 (none)"), "{logs}");
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    let body = r#"{"identifier":"someone@example.com"}"#;
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
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    assert!(child.wait().unwrap().success());
    err.read_to_string(&mut logs).unwrap();
    assert!(!logs.contains("pw-s3cret"), "{logs}");
}
