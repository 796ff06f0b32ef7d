//! No secret in any log line: walk every route with logs captured at the
//! most verbose level and look for every secret that passed through.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use common::*;
use resetflow::protocol::{Route, LOGIN_PATH};
use serde_json::json;

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
async fn no_secret_reaches_a_log_line() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let s = server().await;
    let mut secrets: Vec<String> = vec![
        resetflow_server::serve::DEMO_PASSWORD.to_owned(),
        ADMIN_TOKEN.to_owned(),
    ];

    // Sign in (a session token), then a whole flow with wrong answers too.
    let a = s
        .post(
            LOGIN_PATH,
            json!({"identifier": "100000001", "password": resetflow_server::serve::DEMO_PASSWORD}),
        )
        .await;
    secrets.push(a.json()["session"].as_str().unwrap().to_owned());
    let a = s
        .post(
            &s.path(Route::Flows, ""),
            json!({"identifier": "demo@example.com"}),
        )
        .await;
    let id = a.json()["id"].as_str().unwrap().to_owned();
    let first = s.captcha_answer(&id);
    secrets.push(first.clone());
    let wrong = if first == "000000" {
        "111111"
    } else {
        "000000"
    };
    let _ = s
        .post(&s.path(Route::Captcha, &id), json!({"answer": wrong}))
        .await;
    let answer = s.captcha_answer(&id);
    secrets.push(answer.clone());
    let now = resetflow::Timestamp::from_unix_secs(T0);
    let token = s
        .store
        .captcha(&id, now)
        .await
        .unwrap()
        .expect("a live challenge token");
    secrets.push(token);
    let a = s
        .post(&s.path(Route::Captcha, &id), json!({"answer": answer}))
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let _ = s
        .post(&s.path(Route::Code, &id), json!({"channel": "sms"}))
        .await;
    s.deliver().await;
    let code = s.code_for("+4915123456789").unwrap();
    secrets.push(code.clone());
    let _ = s
        .post(&s.path(Route::CodeVerify, &id), json!({"code": "999999"}))
        .await;
    let a = s
        .post(&s.path(Route::CodeVerify, &id), json!({"code": code}))
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let pw = "Amber-Walrus-Hums-31";
    secrets.push(pw.to_owned());
    let a = s
        .post(
            &s.path(Route::Password, &id),
            json!({"password": pw, "confirm": pw}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    s.deliver().await;
    let a = s
        .post(
            LOGIN_PATH,
            json!({"identifier": "100000001", "password": pw}),
        )
        .await;
    secrets.push(a.json()["session"].as_str().unwrap().to_owned());
    // A review, decided through the admin API with its token.
    let other = s.flow_at_channel("100000002").await;
    let _ = s
        .post(
            &s.path(Route::Review, &other),
            json!({"contact": "+4930123456", "message": "help"}),
        )
        .await;
    let rid = s.store.reviews(None).await.unwrap()[0].id;
    let req = axum::http::Request::post(format!("/api/admin/reviews/{rid}/approve"))
        .header("authorization", format!("Bearer {ADMIN_TOKEN}"))
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(s.request(req).await.status, StatusCode::OK);
    s.deliver().await;
    secrets.push(s.code_for("+4930123456").unwrap());

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.lines().count() >= 5, "logging is on: {logs}");
    assert!(logs.contains("flow started") && logs.contains("password reset completed"));
    for secret in &secrets {
        assert!(
            !contains_token(&logs, secret),
            "secret {secret:?} found in logs:\n{logs}"
        );
    }
    // Real addresses are masked in delivery logs.
    assert!(!logs.contains("+4915123456789"), "{logs}");
}

/// Whether `needle` occurs in `hay` not glued to other letters or digits (a
/// 6-digit code may occur by chance inside a longer number such as a
/// timestamp; that is not a leak).
fn contains_token(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + needle.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric()) && !after.is_some_and(|c| c.is_alphanumeric())
    })
}

#[test]
fn token_search_ignores_longer_numbers() {
    assert!(contains_token("code=123456 sent", "123456"));
    assert!(contains_token("\"123456\"", "123456"));
    assert!(!contains_token("t=1800123456", "123456"));
    assert!(!contains_token("1234567", "123456"));
}
