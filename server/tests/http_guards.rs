//! What the API refuses, and that unknown identifiers look like known ones.

mod common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use resetflow::protocol::{Route, DEV_OUTBOX_PATH, LOGIN_PATH};
use resetflow_server::service::RateLimits;
use serde_json::{json, Value};

/// The structure of a JSON value: object keys (recursively), array element
/// shapes (deduplicated), and leaf types. Values themselves do not count.
fn shape(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let inner: Vec<String> = m.iter().map(|(k, v)| format!("{k}:{}", shape(v))).collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(a) => {
            let set: BTreeSet<String> = a.iter().map(shape).collect();
            format!("[{}]", set.into_iter().collect::<Vec<_>>().join("|"))
        }
        Value::String(_) => "s".into(),
        Value::Number(_) => "n".into(),
        Value::Bool(_) => "b".into(),
        Value::Null => "null".into(),
    }
}

/// Status, error code (if any) and JSON shape of each step for one identifier.
async fn walk(s: &TestServer, identifier: &str) -> Vec<(String, StatusCode, String, String)> {
    let mut seen = Vec::new();
    let mut note = |step: &str, a: &Answer| {
        let (code, sh) = if a.headers["content-type"] == "image/png" {
            (String::new(), "png".to_owned())
        } else {
            let j = a.json();
            (
                j["error"]["code"].as_str().unwrap_or("").to_owned(),
                shape(&j),
            )
        };
        seen.push((step.to_owned(), a.status, code, sh));
    };
    let a = s
        .post(&s.path(Route::Flows, ""), json!({"identifier": identifier}))
        .await;
    note("create", &a);
    let id = a.json()["id"].as_str().unwrap().to_owned();
    let first_channel = a.json()["channels"][0]["id"].as_str().unwrap().to_owned();
    note("get", &s.get(&s.path(Route::Flow, &id)).await);
    note("image", &s.get(&s.path(Route::Captcha, &id)).await);
    let answer = s.captcha_answer(&id);
    let wrong = if answer == "000000" {
        "111111"
    } else {
        "000000"
    };
    note(
        "captcha wrong",
        &s.post(&s.path(Route::Captcha, &id), json!({"answer": wrong}))
            .await,
    );
    let answer = s.captcha_answer(&id);
    note(
        "captcha",
        &s.post(&s.path(Route::Captcha, &id), json!({"answer": answer}))
            .await,
    );
    note(
        "bad channel",
        &s.post(&s.path(Route::Code, &id), json!({"channel": "fax"}))
            .await,
    );
    note(
        "send",
        &s.post(&s.path(Route::Code, &id), json!({"channel": first_channel}))
            .await,
    );
    note(
        "resend",
        &s.post(&s.path(Route::Code, &id), json!({"channel": first_channel}))
            .await,
    );
    note(
        "wrong code",
        &s.post(&s.path(Route::CodeVerify, &id), json!({"code": "12345x"}))
            .await,
    );
    note(
        "review",
        &s.post(
            &s.path(Route::Review, &id),
            json!({"contact": "help@example.net", "message": "no access"}),
        )
        .await,
    );
    note("after review", &s.get(&s.path(Route::Flow, &id)).await);
    seen
}

#[tokio::test]
async fn unknown_identifiers_get_the_same_statuses_and_shapes_as_known_ones() {
    let s = server().await;
    for (known, unknown) in [
        ("demo@example.com", "nobody@example.com"),
        ("+4915123456789", "+4915198765432"),
        ("100000001", "100000999"),
    ] {
        let k = walk(&s, known).await;
        let u = walk(&s, unknown).await;
        assert_eq!(k, u, "{known} vs {unknown}");
    }
    // Decoys are pretend sends: stored and then dropped by the worker.
    s.deliver().await;
    let counts = s.store.job_counts().await.unwrap();
    assert!(
        counts.iter().any(|(st, n)| st == "dropped" && *n == 3),
        "{counts:?}"
    );
    assert!(
        s.outbox().iter().all(|e| !e.to.is_empty()),
        "a decoy never reaches the outbox"
    );
}

#[tokio::test]
async fn decoy_channels_are_stable_per_identifier_and_look_real() {
    let s = server().await;
    let channels = |a: &Answer| a.json()["channels"].clone();
    let path = s.path(Route::Flows, "");
    let mut shapes = BTreeSet::new();
    for who in [
        "ghost@example.com",
        "+4915198765432",
        "123456789",
        "987654321",
    ] {
        let first = s.post(&path, json!({"identifier": who})).await;
        let second = s.post(&path, json!({"identifier": who})).await;
        assert_eq!(channels(&first), channels(&second), "{who}");
        let c = channels(&first);
        assert!(!c.as_array().unwrap().is_empty());
        for ch in c.as_array().unwrap() {
            let to = ch["to"].as_str().unwrap();
            match ch["kind"].as_str().unwrap() {
                "sms" => assert!(to.starts_with('+') && to.contains(" ••• •••• "), "{to}"),
                "email" => assert!(to.contains("•••@"), "{to}"),
                k => panic!("kind {k}"),
            }
            shapes.insert(ch["id"].as_str().unwrap().to_owned());
        }
    }
    // The same channel ids as real accounts use.
    assert!(
        shapes.iter().all(|id| id == "sms" || id == "email"),
        "{shapes:?}"
    );
    let typed = s
        .post(&path, json!({"identifier": "ghost@example.com"}))
        .await;
    let c = channels(&typed);
    assert!(c
        .as_array()
        .unwrap()
        .iter()
        .any(|ch| ch["to"] == "g•••@example.com"));
}

#[tokio::test]
async fn non_json_bodies_and_bad_json_get_the_error_shape() {
    let s = server().await;
    let path = s.path(Route::Flows, "");
    let req = Request::post(&path)
        .header("content-type", "text/plain")
        .body(Body::from(r#"{"identifier":"100000001"}"#))
        .unwrap();
    let a = s.request(req).await;
    assert_eq!(
        (a.status, a.error_code().as_str()),
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "request.unsupported_media_type"
        )
    );
    let req = Request::post(&path)
        .body(Body::from(r#"{"identifier":"100000001"}"#))
        .unwrap();
    assert_eq!(
        s.request(req).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    for body in ["{", "[]", r#"{"identifer":"x"}"#, r#"{"identifier": 5}"#] {
        let req = Request::post(&path)
            .header("content-type", "application/json; charset=utf-8")
            .body(Body::from(body))
            .unwrap();
        let a = s.request(req).await;
        assert_eq!(
            (a.status, a.error_code().as_str()),
            (StatusCode::BAD_REQUEST, "request.invalid_json"),
            "{body}"
        );
        assert!(a.json()["error"]["message"].as_str().unwrap().len() > 5);
        assert_eq!(a.headers["cache-control"], "no-store");
    }
    let big = json!({"identifier": "x".repeat(20_000)});
    let a = s.post(&path, big).await;
    assert_eq!(
        a.status,
        StatusCode::BAD_REQUEST,
        "bodies over the limit are refused"
    );
}

#[tokio::test]
async fn errors_are_localised_and_identifiers_validated() {
    let s = server().await;
    let req = Request::post(s.path(Route::Flows, ""))
        .header("content-type", "application/json")
        .header("accept-language", "de-DE,de;q=0.9")
        .body(Body::from(r#"{"identifier":"jo@@example"}"#))
        .unwrap();
    let a = s.request(req).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let code = a.error_code();
    assert!(
        code.starts_with("email.") || code.starts_with("identifier."),
        "{code}"
    );
    let en = s
        .post(
            &s.path(Route::Flows, ""),
            json!({"identifier": "jo@@example"}),
        )
        .await;
    assert_eq!(en.error_code(), code);
    assert_ne!(
        a.json()["error"]["message"],
        en.json()["error"]["message"],
        "German differs from English"
    );

    let a = s.get(&s.path(Route::Flow, "no-such-flow")).await;
    assert_eq!(
        (a.status, a.error_code().as_str()),
        (StatusCode::NOT_FOUND, "flow.not_found")
    );
    let a = s.get("/api/recovery/nothing-here").await;
    assert_eq!(
        (a.status, a.error_code().as_str()),
        (StatusCode::NOT_FOUND, "request.not_found")
    );
}

#[tokio::test]
async fn origins_outside_the_allow_list_are_refused() {
    let s = server().await;
    let with_origin = |origin: &str, host: &str| {
        Request::post(s.path(Route::Flows, ""))
            .header("content-type", "application/json")
            .header("origin", origin)
            .header("host", host)
            .body(Body::from(r#"{"identifier":"100000001"}"#))
            .unwrap()
    };
    let a = s
        .request(with_origin("https://evil.example", "recover.example"))
        .await;
    assert_eq!(
        (a.status, a.error_code().as_str()),
        (StatusCode::FORBIDDEN, "request.origin_forbidden")
    );
    let a = s
        .request(with_origin("https://shop.example", "recover.example"))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "allow-listed origin");
    let a = s
        .request(with_origin("http://127.0.0.1:8080", "127.0.0.1:8080"))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "the server's own origin");
    let a = s.request(with_origin("null", "127.0.0.1:8080")).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn each_client_ip_has_a_request_budget() {
    let rates = RateLimits {
        ip_requests_per_minute: 3,
        ..RateLimits::default()
    };
    let mut s = server_with(rates, true).await;
    let path = s.path(Route::Flow, "x");
    for _ in 0..3 {
        assert_eq!(s.get(&path).await.status, StatusCode::NOT_FOUND);
    }
    let a = s.get(&path).await;
    assert_eq!(
        (a.status, a.error_code().as_str()),
        (StatusCode::TOO_MANY_REQUESTS, "rate.limited")
    );
    let retry: u64 = a.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    // Another client is not affected; the first is let in again after the window.
    s.ip = "198.51.100.1:1234".parse().unwrap();
    assert_eq!(s.get(&path).await.status, StatusCode::NOT_FOUND);
    s.ip = "192.0.2.7:40000".parse().unwrap();
    s.advance(retry);
    assert_eq!(s.get(&path).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn sign_in_attempts_and_flow_starts_per_ip_are_limited() {
    let rates = RateLimits {
        ip_logins_per_minute: 2,
        ip_flows_per_hour: 2,
        ..RateLimits::default()
    };
    let s = server_with(rates, true).await;
    for _ in 0..2 {
        let a = s
            .post(
                LOGIN_PATH,
                json!({"identifier": "100000001", "password": "wrong-password"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    let a = s
        .post(
            LOGIN_PATH,
            json!({"identifier": "100000001", "password": "wrong-password"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(a.headers.contains_key("retry-after"));
    for _ in 0..2 {
        let a = s
            .post(
                &s.path(Route::Flows, ""),
                json!({"identifier": "100000001"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED);
    }
    let a = s
        .post(
            &s.path(Route::Flows, ""),
            json!({"identifier": "100000001"}),
        )
        .await;
    assert_eq!(
        (a.status, a.error_code().as_str()),
        (StatusCode::TOO_MANY_REQUESTS, "rate.limited")
    );
}

#[tokio::test]
async fn unknown_and_known_sign_ins_fail_alike() {
    let s = server().await;
    for who in [
        "100000001",
        "100000999",
        "nobody@example.com",
        "not an identifier",
    ] {
        let a = s
            .post(
                LOGIN_PATH,
                json!({"identifier": who, "password": "wrong-password-1"}),
            )
            .await;
        assert_eq!(
            (a.status, a.error_code().as_str()),
            (StatusCode::UNAUTHORIZED, "login.failed"),
            "{who}"
        );
    }
}

#[tokio::test]
async fn the_dev_outbox_exists_only_in_dev_mode() {
    let dev = server().await;
    let a = dev.get(DEV_OUTBOX_PATH).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.json().is_array());
    let prod = server_with(RateLimits::default(), false).await;
    let a = prod.get(DEV_OUTBOX_PATH).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    // Without dev mode, the flow still works and records no captcha answers.
    let f = prod
        .post(
            &prod.path(Route::Flows, ""),
            json!({"identifier": "100000001"}),
        )
        .await;
    assert_eq!(f.status, StatusCode::CREATED);
    assert!(prod.dev.entries().is_empty());
}

#[tokio::test]
async fn outbox_entries_have_the_contract_fields_newest_last() {
    let s = server().await;
    let id = s.flow_at_channel("100000001").await;
    let a = s
        .post(&s.path(Route::Code, &id), json!({"channel": "sms"}))
        .await;
    assert_eq!(a.status, StatusCode::OK);
    s.deliver().await;
    let entries = s.get(DEV_OUTBOX_PATH).await.json();
    let entries = entries.as_array().unwrap();
    for e in entries {
        let keys: BTreeSet<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, BTreeSet::from(["kind", "to", "text", "secret"]));
    }
    assert_eq!(entries[0]["kind"], "captcha");
    assert_eq!(entries[0]["to"], id.as_str());
    let last = entries.last().unwrap();
    assert_eq!(
        (last["kind"].as_str(), last["to"].as_str()),
        (Some("sms"), Some("+4915123456789"))
    );
}

#[tokio::test]
async fn the_background_worker_delivers_without_being_asked() {
    let s = server().await;
    let (tx, rx) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(resetflow_server::delivery::worker(
        s.store.clone(),
        s.dev.clone(),
        s.ctx.wake.clone(),
        std::time::Duration::from_secs(60),
        s.ctx.clock.clone(),
        rx,
    ));
    let id = s.flow_at_channel("100000001").await;
    let a = s
        .post(&s.path(Route::Code, &id), json!({"channel": "email"}))
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let mut delivered = false;
    for _ in 0..100 {
        if s.code_for("demo@example.com").is_some() {
            delivered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(delivered, "the wake-up reached the worker");
    tx.send(true).unwrap();
    worker.await.unwrap();
}

#[tokio::test]
async fn failed_deliveries_are_retried_with_backoff_then_recorded() {
    use resetflow_server::delivery::{work_once, Delivery, DeliveryError, MAX_ATTEMPTS};
    use resetflow_server::store::Job;
    use std::sync::atomic::{AtomicU32, Ordering};
    struct Down(AtomicU32);
    #[async_trait::async_trait]
    impl Delivery for Down {
        async fn deliver(&self, _job: &Job) -> Result<(), DeliveryError> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Err("gateway unavailable".into())
        }
    }
    let s = server().await;
    let down = Down(AtomicU32::new(0));
    let id = s.flow_at_channel("100000001").await;
    assert_eq!(
        s.post(&s.path(Route::Code, &id), json!({"channel": "sms"}))
            .await
            .status,
        StatusCode::OK
    );
    let mut now = resetflow::Timestamp::from_unix_secs(T0);
    for _ in 0..20 {
        work_once(s.store.as_ref(), &down, now).await.unwrap();
        now = now.add_secs(60);
    }
    assert_eq!(
        down.0.load(Ordering::SeqCst),
        MAX_ATTEMPTS,
        "retried, then given up"
    );
    let counts = s.store.job_counts().await.unwrap();
    assert!(counts.contains(&("failed".to_owned(), 1)), "{counts:?}");
}

#[tokio::test]
async fn healthz_answers() {
    let s = server().await;
    let a = s.get("/healthz").await;
    assert_eq!((a.status, a.bytes.as_slice()), (StatusCode::OK, &b"ok"[..]));
}

#[test]
fn ipv6_clients_are_limited_by_their_64_prefix() {
    use resetflow_server::api::limit_key;
    let a = limit_key("2001:db8:1:2:aaaa::1".parse().unwrap());
    let b = limit_key("2001:db8:1:2:bbbb::9".parse().unwrap());
    let c = limit_key("2001:db8:1:3::1".parse().unwrap());
    assert_eq!(a, "2001:db8:1:2::/64");
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(limit_key("::ffff:192.0.2.1".parse().unwrap()), "192.0.2.1");
    assert_eq!(limit_key("192.0.2.1".parse().unwrap()), "192.0.2.1");
}

#[tokio::test]
async fn the_case_of_an_e_mail_tells_nothing() {
    let s = server().await;
    let path = s.path(Route::Flows, "");
    let channels = |a: &Answer| a.json()["channels"].clone();
    // A known account found with another case shows the same channels.
    let known = s
        .post(&path, json!({"identifier": "DEMO@example.com"}))
        .await;
    let known_lower = s
        .post(&path, json!({"identifier": "demo@example.com"}))
        .await;
    assert_eq!(channels(&known), channels(&known_lower));
    // An unknown one: decoys stable across case, first letter lower-cased like real masks.
    let ghost = s
        .post(&path, json!({"identifier": "GHOST@example.com"}))
        .await;
    let ghost_lower = s
        .post(&path, json!({"identifier": "ghost@example.com"}))
        .await;
    assert_eq!(channels(&ghost), channels(&ghost_lower));
    let own = channels(&ghost)
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "email")
        .unwrap()["to"]
        .clone();
    assert_eq!(own, "g•••@example.com");
    let known_own = channels(&known)
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "email")
        .unwrap()["to"]
        .clone();
    assert_eq!(known_own, "d•••@example.com");
}

#[tokio::test]
async fn the_hourly_send_cap_is_not_reset_by_changing_case() {
    let s = server().await;
    for (round, who) in [
        "demo@example.com",
        "Demo@example.com",
        "DEMO@example.com",
        "dEmo@example.com",
        "deMo@example.com",
        "demO@example.com",
    ]
    .iter()
    .enumerate()
    {
        let id = s.flow_at_channel(who).await;
        let a = s
            .post(&s.path(Route::Code, &id), json!({"channel": "email"}))
            .await;
        let expected = if round < 5 {
            StatusCode::OK
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(a.status, expected, "{who}");
        s.advance(61);
    }
}

#[tokio::test]
async fn allow_listed_origins_get_cors_headers_and_others_do_not() {
    let s = server().await;
    let preflight = |origin: &str| {
        Request::builder()
            .method("OPTIONS")
            .uri(s.path(Route::Flows, ""))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .body(Body::empty())
            .unwrap()
    };
    let a = s.request(preflight("https://shop.example")).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    assert_eq!(
        a.headers["access-control-allow-origin"],
        "https://shop.example"
    );
    assert!(a.headers["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("POST"));
    assert!(a.headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("content-type"));
    let a = s.request(preflight("https://evil.example")).await;
    assert!(!a.headers.contains_key("access-control-allow-origin"));
    assert_ne!(a.status, StatusCode::NO_CONTENT);

    let post = Request::post(s.path(Route::Flows, ""))
        .header("content-type", "application/json")
        .header("origin", "https://shop.example")
        .body(Body::from(r#"{"identifier":"100000001"}"#))
        .unwrap();
    let a = s.request(post).await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(
        a.headers["access-control-allow-origin"],
        "https://shop.example"
    );
    assert_eq!(a.headers["vary"], "Origin");
}

#[tokio::test]
async fn per_ip_budgets_are_counted_in_memory_not_in_the_store() {
    let s = server().await;
    let path = s.path(Route::Flow, "x");
    for _ in 0..5 {
        assert_eq!(s.get(&path).await.status, StatusCode::NOT_FOUND);
    }
    let a = s
        .post(
            &s.path(Route::Flows, ""),
            json!({"identifier": "x@example.com"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    // The store's counters saw none of those requests: a first hit on the
    // keys the per-IP budgets used to live under counts 1.
    let now = resetflow::Timestamp::from_unix_secs(T0);
    for key in ["ip-req:192.0.2.7", "ip-flows:192.0.2.7"] {
        let (count, _) = s.store.hit(key.as_bytes(), 60, now).await.unwrap();
        assert_eq!(count, 1, "{key}");
    }
}

/// The contract's error shape, with `code`, and nothing but JSON.
fn assert_error(a: &Answer, status: StatusCode, code: &str) {
    assert_eq!(
        a.headers["content-type"],
        "application/json",
        "{status} {code}: {:?}",
        String::from_utf8_lossy(&a.bytes)
    );
    assert_eq!((a.status, a.error_code().as_str()), (status, code));
    assert!(a.json()["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn ids_that_are_no_valid_path_segment_are_flow_not_found_in_json() {
    let s = server().await;
    for route in [
        Route::Flow,
        Route::Captcha,
        Route::Code,
        Route::CodeVerify,
        Route::Password,
        Route::Review,
    ] {
        // Raw: `path` would percent-encode the `%`.
        let path = s.path(route, "ID").replace("ID", "%FF");
        let a = if route == Route::Flow || route == Route::Captcha {
            s.get(&path).await
        } else {
            s.post(&path, json!({})).await
        };
        assert_error(&a, StatusCode::NOT_FOUND, "flow.not_found");
    }
    // Bad UTF-8 in an admin review id: the token first, then review.not_found.
    let a = s
        .request(
            Request::post("/api/admin/reviews/%FF/approve")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_error(&a, StatusCode::UNAUTHORIZED, "admin.unauthorized");
    let a = s
        .request(
            Request::post("/api/admin/reviews/%FF/deny")
                .header("authorization", format!("Bearer {ADMIN_TOKEN}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_error(&a, StatusCode::NOT_FOUND, "review.not_found");
}

#[tokio::test]
async fn a_malformed_review_query_is_refused_after_the_token_check() {
    let s = server().await;
    let path = "/api/admin/reviews?status=pending&status=pending";
    assert_error(
        &s.get(path).await,
        StatusCode::UNAUTHORIZED,
        "admin.unauthorized",
    );
    let a = s
        .request(
            Request::get(path)
                .header("authorization", format!("Bearer {ADMIN_TOKEN}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_error(&a, StatusCode::BAD_REQUEST, "request.invalid_query");
}

#[tokio::test]
async fn wrong_methods_get_a_json_405_with_allow() {
    let s = server().await;
    for (method, path, allow) in [
        ("PUT", s.path(Route::Flows, ""), "POST"),
        ("DELETE", s.path(Route::Flow, "abc"), "GET"),
        ("GET", LOGIN_PATH.to_owned(), "POST"),
        ("POST", "/api/admin/reviews".to_owned(), "GET"),
    ] {
        let a = s
            .request(
                Request::builder()
                    .method(method)
                    .uri(&path)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_error(
            &a,
            StatusCode::METHOD_NOT_ALLOWED,
            "request.method_not_allowed",
        );
        let allowed = a.headers["allow"].to_str().unwrap();
        assert!(allowed.contains(allow), "{method} {path}: allow {allowed}");
    }
}

#[tokio::test]
async fn null_optional_fields_mean_not_given_and_wrong_types_are_refused() {
    let s = server().await;
    let flows = s.path(Route::Flows, "");
    let a = s
        .post(
            &flows,
            json!({"identifier": "demo@example.com", "locale": null, "region": null}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    // `locale: null` falls back to Accept-Language, exactly as an absent one.
    let german = |body: &'static str| {
        Request::post(flows.clone())
            .header("content-type", "application/json")
            .header("accept-language", "de")
            .body(Body::from(body))
            .unwrap()
    };
    let absent = s.request(german(r#"{"identifier":"jo@@example"}"#)).await;
    let null = s
        .request(german(
            r#"{"identifier":"jo@@example","locale":null,"region":null}"#,
        ))
        .await;
    assert_eq!(null.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(null.json(), absent.json());
    let en = s.post(&flows, json!({"identifier": "jo@@example"})).await;
    assert_ne!(
        null.json()["error"]["message"],
        en.json()["error"]["message"]
    );
    // Anything but a string or null is not the schema.
    for bad in [json!(5), json!(["DE"]), json!({"r": "DE"})] {
        let a = s
            .post(
                &flows,
                json!({"identifier": "demo@example.com", "region": bad}),
            )
            .await;
        assert_eq!(
            (a.status, a.error_code().as_str()),
            (StatusCode::BAD_REQUEST, "request.invalid_json")
        );
    }
}
