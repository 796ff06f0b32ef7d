//! SMS delivery through the signed webhook, against a real HTTP receiver
//! (Python's `http.server`) that checks each signature with Python's own
//! `hmac`. Skipped with a notice when python3 is missing.

mod support;

use std::sync::Arc;
use std::time::Duration;

use resetflow::flow::ChannelKind;
use resetflow::Timestamp;
use resetflow_server::delivery::webhook::{WebhookDelivery, WebhookSettings};
use resetflow_server::delivery::{work_once, MAX_ATTEMPTS};
use resetflow_server::service::{self, Clock};
use resetflow_server::store::Purpose;
use support::{closed_port, file_store, message, outbox, WebhookReceiver};

const T0: u64 = 1_800_000_000;
const SECRET: &str = "webhook-secret-for-tests-0123456789";
const PHONE: &str = "+4915123456789";

fn webhook(url: String, secret: &str, clock: Clock) -> WebhookDelivery {
    WebhookDelivery::new(
        &WebhookSettings {
            url,
            secret: secret.to_owned(),
            ca_file: None,
            timeout: Duration::from_secs(3),
        },
        clock,
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_arrives_once_signed_after_a_retry() {
    if !support::have_python("a_message_arrives_once_signed_after_a_retry") {
        return;
    }
    let receiver = WebhookReceiver::start(SECRET, 1);
    let dir = tempfile::tempdir().unwrap();
    let (store, url) = file_store(dir.path()).await;
    // Signatures carry the real time: the receiver checks it against its own.
    let sms = webhook(receiver.url("/sms"), SECRET, service::system_clock());
    let now = Timestamp::from_unix_secs(T0);
    let m = message(ChannelKind::Sms, PHONE, Purpose::Code, "de-AT", "551208");
    store.enqueue(&m, now).await.unwrap();

    // First attempt: the receiver answers 500; retried after the back-off.
    assert_eq!(work_once(store.as_ref(), &sms, now).await.unwrap(), 1);
    let row = &outbox(&url).await[0];
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
    assert_eq!(
        row.last_error.as_deref(),
        Some("webhook: the gateway answered 500 Internal Server Error")
    );
    assert_eq!(
        work_once(store.as_ref(), &sms, now.add_secs(4))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        work_once(store.as_ref(), &sms, now.add_secs(5))
            .await
            .unwrap(),
        1
    );
    let row = &outbox(&url).await[0];
    assert_eq!(row.status, "sent");

    let requests = receiver.wait_for(2);
    assert_eq!(requests.len(), 2, "{requests:?}");
    let statuses: Vec<i64> = requests
        .iter()
        .map(|r| r["status"].as_i64().unwrap())
        .collect();
    assert_eq!(statuses, [500, 200], "both signatures were valid");
    let (first, second) = (&requests[0]["body"], &requests[1]["body"]);
    assert_eq!(first, second, "the retry repeats the same message");
    assert_eq!(second["to"], PHONE);
    assert_eq!(second["text"], m.text);
    assert_eq!(second["purpose"], "code");
    assert_eq!(second["locale"], "de");
    let id = second["id"].as_str().unwrap();
    assert!(id.contains('-') && id.len() > 17, "{id}");
    assert_eq!(requests[1]["headers"]["idempotency-key"], id);
    assert_eq!(requests[1]["headers"]["content-type"], "application/json");
    assert!(requests[1]["headers"]["resetflow-signature"]
        .as_str()
        .unwrap()
        .starts_with("v1="));
    let accepted = requests.iter().filter(|r| r["status"] == 200).count();
    assert_eq!(accepted, 1, "delivered once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_secret_or_an_old_timestamp_is_refused_and_recorded_as_failed() {
    if !support::have_python("a_wrong_secret_or_an_old_timestamp_is_refused") {
        return;
    }
    let receiver = WebhookReceiver::start(SECRET, 0);
    let dir = tempfile::tempdir().unwrap();
    let (store, url) = file_store(dir.path()).await;
    let now = Timestamp::from_unix_secs(T0);
    let m = message(ChannelKind::Sms, PHONE, Purpose::Code, "en", "774411");

    let wrong = webhook(
        receiver.url("/sms"),
        "another-secret-of-enough-length",
        service::system_clock(),
    );
    store.enqueue(&m, now).await.unwrap();
    work_once(store.as_ref(), &wrong, now).await.unwrap();

    // Signed ten minutes ago: a replay to the receiver.
    let past: Clock = Arc::new(|| {
        let t = Timestamp::now().as_unix_secs() - 600;
        Timestamp::from_unix_secs(t)
    });
    let stale = webhook(receiver.url("/sms"), SECRET, past);
    store.enqueue(&m, now).await.unwrap();
    work_once(store.as_ref(), &stale, now).await.unwrap();

    let requests = receiver.wait_for(2);
    assert_eq!(requests[0]["reason"], "bad signature");
    assert_eq!(requests[1]["reason"], "stale or missing timestamp");
    assert!(requests.iter().all(|r| r["status"] == 401));
    // Permanent: failed after one attempt, never retried.
    for t in [5, 60, 600] {
        work_once(store.as_ref(), &wrong, now.add_secs(t))
            .await
            .unwrap();
    }
    assert_eq!(receiver.requests().len(), 2);
    for row in outbox(&url).await {
        assert_eq!(
            (row.status.as_str(), row.attempts),
            ("failed", 1),
            "{row:?}"
        );
        let error = row.last_error.unwrap();
        assert_eq!(
            error,
            "webhook: the gateway refused the message (401 Unauthorized)"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statuses_decide_between_retry_and_permanent_failure() {
    if !support::have_python("statuses_decide_between_retry_and_permanent_failure") {
        return;
    }
    let receiver = WebhookReceiver::start(SECRET, 0);
    let dir = tempfile::tempdir().unwrap();
    let (store, url) = file_store(dir.path()).await;
    let now = Timestamp::from_unix_secs(T0);
    let m = message(ChannelKind::Sms, PHONE, Purpose::PasswordChanged, "zh", "");
    let cases = [
        ("204", "sent"),
        ("429", "pending"),
        ("503", "pending"),
        ("408", "pending"),
        ("400", "failed"),
        ("404", "failed"),
        ("301", "failed"),
    ];
    for (status, _) in cases {
        let sms = webhook(
            receiver.url(&format!("/status/{status}")),
            SECRET,
            service::system_clock(),
        );
        store.enqueue(&m, now).await.unwrap();
        work_once(store.as_ref(), &sms, now).await.unwrap();
    }
    let rows = outbox(&url).await;
    for ((status, expected), row) in cases.iter().zip(&rows) {
        assert_eq!(&row.status, expected, "{status}: {row:?}");
        if let Some(e) = &row.last_error {
            assert!(e.contains(status), "{e}");
        }
    }
    let body = &receiver.requests()[0]["body"];
    assert_eq!(body["purpose"], "password_changed");
    assert_eq!(body["locale"], "zh");
}

#[tokio::test]
async fn a_silent_or_absent_gateway_is_retried_then_given_up() {
    let dir = tempfile::tempdir().unwrap();
    let (store, url) = file_store(dir.path()).await;
    let now = Timestamp::from_unix_secs(T0);
    let m = message(ChannelKind::Sms, PHONE, Purpose::Code, "en", "246802");

    // Accepts and never answers.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = silent.local_addr().unwrap().port();
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((c, _)) = silent.accept().await {
            open.push(c);
        }
    });
    let slow = WebhookDelivery::new(
        &WebhookSettings {
            url: format!("http://127.0.0.1:{port}/sms"),
            secret: SECRET.to_owned(),
            ca_file: None,
            timeout: Duration::from_secs(1),
        },
        service::system_clock(),
    )
    .unwrap();
    store.enqueue(&m, now).await.unwrap();
    let started = std::time::Instant::now();
    work_once(store.as_ref(), &slow, now).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(4));
    let row = &outbox(&url).await[0];
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
    assert_eq!(row.last_error.as_deref(), Some("webhook: timed out"));
    held.abort();

    // Nothing listens: retried with back-off, given up after MAX_ATTEMPTS.
    let absent = webhook(
        format!("http://127.0.0.1:{}/sms", closed_port()),
        SECRET,
        service::system_clock(),
    );
    store.enqueue(&m, now).await.unwrap();
    let mut t = now;
    for _ in 0..40 {
        work_once(store.as_ref(), &absent, t).await.unwrap();
        t = t.add_secs(5);
    }
    let rows = outbox(&url).await;
    for row in &rows {
        assert_eq!(
            (row.status.as_str(), row.attempts),
            ("failed", i64::from(MAX_ATTEMPTS))
        );
        let e = row.last_error.as_deref().unwrap();
        assert!(!e.contains("246802") && !e.contains(PHONE), "{e}");
    }
    assert!(rows[1]
        .last_error
        .as_deref()
        .unwrap()
        .starts_with("webhook: request failed"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_with_a_private_ca_named_by_the_ca_file() {
    if !support::have_python("https_with_a_private_ca_named_by_the_ca_file") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = support::private_ca(dir.path());
    let receiver = WebhookReceiver::start_with(
        SECRET,
        0,
        &["--tls", cert.to_str().unwrap(), key.to_str().unwrap()],
    );
    let (store, url) = file_store(dir.path()).await;
    let now = Timestamp::from_unix_secs(T0);
    let m = message(ChannelKind::Sms, PHONE, Purpose::Code, "id", "135790");
    let https = |ca_file| {
        WebhookDelivery::new(
            &WebhookSettings {
                url: format!("https://localhost:{}/sms", receiver.port()),
                secret: SECRET.to_owned(),
                ca_file,
                timeout: Duration::from_secs(3),
            },
            service::system_clock(),
        )
        .unwrap()
    };
    // Unknown CA: refused by our side, retried later.
    store.enqueue(&m, now).await.unwrap();
    work_once(store.as_ref(), &https(None), now).await.unwrap();
    let row = &outbox(&url).await[0];
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
    let e = row.last_error.as_deref().unwrap();
    assert!(e.contains("UnknownIssuer"), "{e}");
    assert!(receiver.requests().is_empty());
    // Trusted through the CA file.
    work_once(store.as_ref(), &https(Some(ca)), now.add_secs(5))
        .await
        .unwrap();
    assert_eq!(outbox(&url).await[0].status, "sent");
    let hit = &receiver.wait_for(1)[0];
    assert_eq!(
        (hit["status"].as_i64(), hit["body"]["locale"].as_str()),
        (Some(200), Some("id"))
    );
}

#[test]
fn incomplete_or_unsafe_webhook_settings_are_refused_without_the_secret() {
    let ok = |url: &str, secret: &str| WebhookSettings {
        url: url.to_owned(),
        secret: secret.to_owned(),
        ca_file: None,
        timeout: Duration::from_secs(1),
    };
    let cases = [
        (ok("http://sms.example.com/hook", SECRET), "https://"),
        (ok("ftp://sms.example.com/hook", SECRET), "https://"),
        (ok("/hook", SECRET), "host"),
        (
            ok("https://sms.example.com/hook", "short-s3cret"),
            "16 bytes",
        ),
        (
            WebhookSettings {
                ca_file: Some("/nonexistent/ca.pem".into()),
                ..ok("https://sms.example.com/hook", SECRET)
            },
            "cannot read",
        ),
    ];
    for (s, needle) in cases {
        let e = WebhookDelivery::new(&s, service::system_clock()).unwrap_err();
        assert_eq!(e.code, "serve.sms_webhook");
        assert!(
            e.message.contains(needle),
            "{needle:?} not in {:?}",
            e.message
        );
        assert!(!e.message.contains("short-s3cret") && !e.message.contains(SECRET));
        assert!(!format!("{s:?}").contains(SECRET));
    }
    // https anywhere, plain http to this host.
    for url in [
        "https://sms.example.com/hook",
        "http://127.0.0.1:9/hook",
        "http://localhost/x",
    ] {
        let d = WebhookDelivery::new(&ok(url, SECRET), service::system_clock()).unwrap();
        assert!(!format!("{d:?}").contains(SECRET));
    }
}
