//! E-mail delivery against a real SMTP server (aiosmtpd): what arrives,
//! STARTTLS and implicit TLS with a private CA, login, and how failures are
//! recorded and retried. Skipped with a notice when aiosmtpd is missing.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use resetflow::flow::ChannelKind;
use resetflow::Timestamp;
use resetflow_server::delivery::smtp::{SmtpDelivery, SmtpSettings, TlsMode};
use resetflow_server::delivery::{work_once, MAX_ATTEMPTS};
use resetflow_server::store::Purpose;
use serde_json::Value;
use support::{closed_port, file_store, message, outbox, part, private_ca, SmtpSink};

const T0: u64 = 1_800_000_000;
const FROM: &str = "resetflow <no-reply@resetflow.test>";

fn settings(url: String, tls: Option<TlsMode>, ca_file: Option<PathBuf>) -> SmtpSettings {
    SmtpSettings {
        url,
        from: FROM.to_owned(),
        tls,
        ca_file,
        timeout: Duration::from_secs(5),
    }
}

fn header<'a>(m: &'a Value, name: &str) -> &'a str {
    m["headers"][name]
        .as_str()
        .unwrap_or_else(|| panic!("no {name} header in {m}"))
}

fn is_message_id(v: &str) -> bool {
    // <JOB-16 hex digits@the From domain>
    let Some(inner) = v
        .strip_prefix('<')
        .and_then(|v| v.strip_suffix("@resetflow.test>"))
    else {
        return false;
    };
    let Some((job, hash)) = inner.split_once('-') else {
        return false;
    };
    !job.is_empty()
        && job.bytes().all(|b| b.is_ascii_digit())
        && hash.len() == 16
        && hash.bytes().all(|b| b"0123456789abcdef".contains(&b))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_emails_arrive_localised_with_both_parts_and_only_masked_data() {
    if !support::have_aiosmtpd("code_emails_arrive_localised") {
        return;
    }
    let sink = SmtpSink::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let (store, url) = file_store(dir.path()).await;
    let smtp = SmtpDelivery::new(&settings(
        format!("smtp://127.0.0.1:{}", sink.port()),
        Some(TlsMode::None),
        None,
    ))
    .unwrap();
    let now = Timestamp::from_unix_secs(T0);
    let e = ChannelKind::Email;
    for m in [
        message(e, "anna.schmidt@example.com", Purpose::Code, "de", "482913"),
        message(e, "li.wei@example.org", Purpose::Code, "zh-CN", "705218"),
        message(
            e,
            "anna.schmidt@example.com",
            Purpose::PasswordChanged,
            "es",
            "",
        ),
    ] {
        store.enqueue(&m, now).await.unwrap();
    }
    assert_eq!(work_once(store.as_ref(), &smtp, now).await.unwrap(), 3);
    let got = sink.wait_for(3);
    assert_eq!(got.len(), 3);
    let rows = outbox(&url).await;
    assert!(rows.iter().all(|r| r.status == "sent"), "{rows:?}");

    // German code.
    let de = &got[0];
    assert_eq!(de["mail_from"], "no-reply@resetflow.test");
    assert_eq!(
        de["rcpt_tos"],
        serde_json::json!(["anna.schmidt@example.com"])
    );
    assert_eq!(header(de, "From"), FROM);
    assert_eq!(header(de, "To"), "anna.schmidt@example.com");
    assert_eq!(header(de, "Subject"), "Ihr Bestätigungscode");
    assert_eq!(header(de, "Auto-Submitted"), "auto-generated");
    assert!(is_message_id(header(de, "Message-ID")), "{de}");
    assert!(!header(de, "Date").is_empty());
    assert_eq!(de["content_type"], "multipart/alternative");
    let types: Vec<&str> = de["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["content_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["text/plain", "text/html"]);
    let (text, html) = (part(de, "text/plain"), part(de, "text/html"));
    for body in [&text, &html] {
        assert!(body.contains("482913"), "{body}");
        assert!(body.contains("a•••@example.com"), "{body}");
        assert!(body.contains("Er ist 10 Minuten gültig"), "{body}");
        assert!(!body.contains("anna.schmidt"), "the full address: {body}");
        assert!(!body.contains("http"), "no links: {body}");
    }
    assert!(html.contains("<html lang=\"de\">"), "{html}");
    // Nothing but the To header names the address in the clear.
    let raw = String::from_utf8_lossy(&sink.raw(1)).into_owned();
    assert_eq!(raw.matches("anna.schmidt").count(), 1, "{raw}");

    // Chinese code, the locale negotiated from "zh-CN".
    let zh = &got[1];
    assert_eq!(header(zh, "To"), "li.wei@example.org");
    assert_eq!(header(zh, "Subject"), "您的验证码");
    let text = part(zh, "text/plain");
    assert!(
        text.contains("705218") && text.contains("l•••@example.org"),
        "{text}"
    );
    assert!(text.contains("验证码 10 分钟内有效"), "{text}");
    assert!(!text.contains("li.wei"));
    assert_ne!(header(zh, "Message-ID"), header(de, "Message-ID"));

    // Spanish notice: no code, masked address.
    let es = &got[2];
    assert_eq!(header(es, "Subject"), "Su contraseña ha cambiado");
    for body in [part(es, "text/plain"), part(es, "text/html")] {
        assert!(body.contains("a•••@example.com"), "{body}");
        assert!(
            body.contains("inicie de inmediato una recuperación"),
            "{body}"
        );
        assert!(!body.contains("482913") && !body.contains("anna.schmidt"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starttls_with_a_private_ca_and_a_login_from_the_url() {
    if !support::have_aiosmtpd("starttls_with_a_private_ca") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = private_ca(dir.path());
    let sink = SmtpSink::start(&[
        "--starttls",
        cert.to_str().unwrap(),
        key.to_str().unwrap(),
        "--auth",
        "mailer:p@ss w0rd",
    ]);
    let (store, url) = file_store(dir.path()).await;
    let now = Timestamp::from_unix_secs(T0);
    let m = message(
        ChannelKind::Email,
        "bo@example.net",
        Purpose::Code,
        "en",
        "310558",
    );

    // The private CA is trusted only when named.
    let untrusted = SmtpDelivery::new(&settings(
        format!("smtp://mailer:p%40ss%20w0rd@localhost:{}", sink.port()),
        None,
        None,
    ))
    .unwrap();
    store.enqueue(&m, now).await.unwrap();
    work_once(store.as_ref(), &untrusted, now).await.unwrap();
    let rows = outbox(&url).await;
    assert_eq!((rows[0].status.as_str(), rows[0].attempts), ("pending", 1));
    let error = rows[0].last_error.clone().unwrap();
    assert!(error.starts_with("smtp: TLS failed"), "{error}");
    assert!(error.contains("certificate"), "{error}");

    // STARTTLS (the default for smtp://), the CA file, and the login.
    let trusted = SmtpDelivery::new(&settings(
        format!("smtp://mailer:p%40ss%20w0rd@localhost:{}", sink.port()),
        None,
        Some(ca.clone()),
    ))
    .unwrap();
    let later = now.add_secs(60);
    assert_eq!(work_once(store.as_ref(), &trusted, later).await.unwrap(), 1);
    let got = sink.wait_for(1);
    assert_eq!(got[0]["tls"], true);
    assert_eq!(got[0]["login"], "mailer");
    assert!(part(&got[0], "text/plain").contains("310558"));
    assert_eq!(outbox(&url).await[0].status, "sent");

    // A wrong password: the server's 535 is permanent, recorded without it.
    let wrong = SmtpDelivery::new(&settings(
        format!("smtp://mailer:guess@localhost:{}", sink.port()),
        Some(TlsMode::Starttls),
        Some(ca),
    ))
    .unwrap();
    store.enqueue(&m, later).await.unwrap();
    work_once(store.as_ref(), &wrong, later).await.unwrap();
    let row = &outbox(&url).await[1];
    assert_eq!(
        (row.status.as_str(), row.attempts),
        ("failed", 1),
        "{row:?}"
    );
    let error = row.last_error.clone().unwrap();
    assert!(error.contains("535"), "{error}");
    assert!(!error.contains("guess") && !error.contains("310558") && !error.contains("bo@"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn implicit_tls_with_a_private_ca() {
    if !support::have_aiosmtpd("implicit_tls_with_a_private_ca") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = private_ca(dir.path());
    let sink = SmtpSink::start(&[
        "--implicit-tls",
        cert.to_str().unwrap(),
        key.to_str().unwrap(),
    ]);
    let (store, _) = file_store(dir.path()).await;
    let smtps = SmtpDelivery::new(&settings(
        format!("smtps://localhost:{}", sink.port()),
        None,
        Some(ca),
    ))
    .unwrap();
    let now = Timestamp::from_unix_secs(T0);
    let m = message(
        ChannelKind::Email,
        "cy@example.com",
        Purpose::Code,
        "id",
        "660241",
    );
    store.enqueue(&m, now).await.unwrap();
    work_once(store.as_ref(), &smtps, now).await.unwrap();
    let got = sink.wait_for(1);
    assert_eq!(got[0]["tls"], true);
    assert_eq!(header(&got[0], "Subject"), "Kode verifikasi Anda");
    assert!(part(&got[0], "text/plain").contains("660241"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_recipient_fails_at_once_and_a_dead_server_is_retried_then_given_up() {
    if !support::have_aiosmtpd("a_refused_recipient_fails_at_once") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (store, url) = file_store(dir.path()).await;
    let now = Timestamp::from_unix_secs(T0);
    let m = message(
        ChannelKind::Email,
        "gone@example.com",
        Purpose::Code,
        "en",
        "918273",
    );

    let sink = SmtpSink::start(&["--reject-rcpt"]);
    let refusing = SmtpDelivery::new(&settings(
        format!("smtp://127.0.0.1:{}", sink.port()),
        Some(TlsMode::None),
        None,
    ))
    .unwrap();
    store.enqueue(&m, now).await.unwrap();
    work_once(store.as_ref(), &refusing, now).await.unwrap();
    let row = &outbox(&url).await[0];
    assert_eq!(
        (row.status.as_str(), row.attempts),
        ("failed", 1),
        "{row:?}"
    );
    let error = row.last_error.clone().unwrap();
    assert!(error.contains("550"), "{error}");
    assert!(
        !error.contains("gone@") && !error.contains("918273"),
        "{error}"
    );
    assert!(sink.messages().is_empty());

    // Nothing listens: retried with back-off, given up after MAX_ATTEMPTS.
    let dead = SmtpDelivery::new(&settings(
        format!("smtp://127.0.0.1:{}", closed_port()),
        Some(TlsMode::None),
        None,
    ))
    .unwrap();
    store.enqueue(&m, now).await.unwrap();
    let mut t = now;
    let mut tries = 0;
    for _ in 0..40 {
        tries += work_once(store.as_ref(), &dead, t).await.unwrap();
        t = t.add_secs(5);
    }
    assert_eq!(tries, MAX_ATTEMPTS as usize, "retried, then given up");
    let row = &outbox(&url).await[1];
    assert_eq!(
        (row.status.as_str(), row.attempts),
        ("failed", i64::from(MAX_ATTEMPTS))
    );
    let error = row.last_error.clone().unwrap();
    assert!(error.starts_with("smtp: connection failed"), "{error}");
}

#[tokio::test]
async fn a_server_that_stops_answering_times_out_and_is_retried() {
    // Accepts connections and never says a word.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = silent.local_addr().unwrap().port();
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((c, _)) = silent.accept().await {
            open.push(c);
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let (store, url) = file_store(dir.path()).await;
    let smtp = SmtpDelivery::new(&SmtpSettings {
        timeout: Duration::from_secs(1),
        ..settings(
            format!("smtp://127.0.0.1:{port}"),
            Some(TlsMode::None),
            None,
        )
    })
    .unwrap();
    let now = Timestamp::from_unix_secs(T0);
    let m = message(
        ChannelKind::Email,
        "dee@example.com",
        Purpose::Code,
        "en",
        "123123",
    );
    store.enqueue(&m, now).await.unwrap();
    let started = std::time::Instant::now();
    work_once(store.as_ref(), &smtp, now).await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let row = &outbox(&url).await[0];
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
    assert_eq!(row.last_error.as_deref(), Some("smtp: timed out"));
    held.abort();
}

#[test]
fn incomplete_or_unsafe_smtp_settings_are_refused_without_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.pem");
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "not a certificate\n").unwrap();
    let cases: Vec<(SmtpSettings, &str)> = vec![
        (
            settings("http://mail.example.com".into(), None, None),
            "smtp://",
        ),
        (settings("smtp://".into(), None, None), "host"),
        (
            settings("smtps://mail.example.com".into(), Some(TlsMode::None), None),
            "contradicts",
        ),
        (
            settings(
                "smtp://u:s3cret-pw@mail.example.com".into(),
                Some(TlsMode::None),
                None,
            ),
            "unencrypted",
        ),
        (
            settings(
                "smtp://mail.example.com?tls=opportunistic".into(),
                None,
                None,
            ),
            "--smtp-tls",
        ),
        (
            settings("smtp://mail.example.com".into(), None, Some(missing)),
            "cannot read",
        ),
        (
            settings("smtp://mail.example.com".into(), None, Some(empty)),
            "no PEM certificate",
        ),
        (
            SmtpSettings {
                from: "not an address".into(),
                ..settings("smtp://u:s3cret-pw@mail.example.com".into(), None, None)
            },
            "--smtp-from",
        ),
    ];
    for (s, needle) in cases {
        let e = SmtpDelivery::new(&s).unwrap_err();
        assert_eq!(e.code, "serve.smtp", "{e}");
        assert!(
            e.message.contains(needle),
            "{needle:?} not in {:?}",
            e.message
        );
        assert!(!e.message.contains("s3cret-pw"), "{}", e.message);
        assert!(!format!("{s:?}").contains("s3cret-pw"));
    }
    // Credentials without TLS are fine to a relay on this host.
    SmtpDelivery::new(&settings(
        "smtp://u:pw@127.0.0.1:2525".into(),
        Some(TlsMode::None),
        None,
    ))
    .unwrap();
}
