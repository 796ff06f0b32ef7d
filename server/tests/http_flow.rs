//! The whole recovery flow over HTTP (the real router, `oneshot`).

mod common;

use axum::http::StatusCode;
use common::*;
use resetflow::protocol::{OutboxKind, Route, LOGIN_PATH};
use resetflow_server::store::Lookup;
use serde_json::json;

#[tokio::test]
async fn whole_flow_by_email_resets_the_password_revokes_and_notifies() {
    let s = server().await;
    // A session opened with the old password, to be revoked by the reset.
    let login = s
        .post(
            LOGIN_PATH,
            json!({"identifier": "100000001", "password": resetflow_server::serve::DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "{:?}", login.json());
    let old_session = login.json()["session"].as_str().unwrap().to_owned();
    assert_eq!(
        resetflow_server::service::session_account(&s.ctx, &old_session)
            .await
            .unwrap()
            .as_deref(),
        Some("100000001")
    );

    // 1. Identifier.
    let a = s
        .post(
            &s.path(Route::Flows, ""),
            json!({"identifier": " demo@EXAMPLE.com ", "locale": "de"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(a.headers["cache-control"], "no-store");
    let f = a.json();
    let id = f["id"].as_str().unwrap().to_owned();
    assert_eq!(f["step"], "captcha");
    assert_eq!(f["identifier"], "d•••@example.com");
    assert_eq!(f["attempts_left"], 5);
    assert_eq!(
        f["channels"],
        json!([
            {"id": "sms", "kind": "sms", "to": "+49 ••• •••• 89"},
            {"id": "email", "kind": "email", "to": "d•••@example.com"}
        ])
    );
    assert_eq!(f["expires_at"], T0 + 900);

    // 2. Image code: GET gives a fresh PNG each call; the newest answer counts.
    let img = s.get(&s.path(Route::Captcha, &id)).await;
    assert_eq!(img.status, StatusCode::OK);
    assert_eq!(img.headers["content-type"], "image/png");
    assert_eq!(img.bytes, FAKE_PNG);
    let answer = s.captcha_answer(&id);
    assert_eq!(answer.len(), 6);
    let spaced = format!("{} {}", &answer[..3], &answer[3..]);
    let a = s
        .post(&s.path(Route::Captcha, &id), json!({"answer": spaced}))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.json());
    assert_eq!(a.json()["step"], "channel");
    // The answer is single-use and the step has moved on.
    let again = s
        .post(&s.path(Route::Captcha, &id), json!({"answer": answer}))
        .await;
    assert_eq!(
        (again.status, again.error_code().as_str()),
        (StatusCode::CONFLICT, "flow.wrong_step")
    );

    // 3. Channel.
    let a = s
        .post(&s.path(Route::Code, &id), json!({"channel": "email"}))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.json());
    let f = a.json();
    assert_eq!(
        (f["step"].as_str(), f["resend_after"].as_u64()),
        (Some("code"), Some(60))
    );
    assert_eq!(f["code_channel"], "email");
    // Sending happens off the request path: nothing delivered yet.
    assert!(s.code_for("demo@example.com").is_none());
    s.deliver().await;
    let code = s.code_for("demo@example.com").expect("code delivered");
    assert_eq!(code.len(), 6);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));
    let mail = s
        .outbox()
        .into_iter()
        .rev()
        .find(|e| e.kind == OutboxKind::Email)
        .unwrap();
    assert!(mail.text.contains(&code), "the e-mail holds the code");
    assert!(
        mail.text.starts_with("Ihr resetflow-Bestätigungscode"),
        "in the flow's locale: {}",
        mail.text
    );

    // 4. Code.
    let a = s
        .post(&s.path(Route::CodeVerify, &id), json!({"code": code}))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.json());
    assert_eq!(a.json()["step"], "password");

    // 5. New password: the policy speaks the flow's locale.
    let weak = s
        .post(
            &s.path(Route::Password, &id),
            json!({"password": "password1", "confirm": "password1"}),
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(weak.error_code(), "password.common");
    assert_eq!(
        weak.json()["error"]["message"],
        resetflow::password::PasswordError::Common.message(resetflow::Locale::De)
    );
    let new_password = "Velvet-Otter-Runs-42";
    let a = s
        .post(
            &s.path(Route::Password, &id),
            json!({"password": new_password, "confirm": new_password}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.json());
    assert_eq!(a.json()["step"], "done");
    let again = s
        .post(
            &s.path(Route::Password, &id),
            json!({"password": new_password, "confirm": new_password}),
        )
        .await;
    assert_eq!(
        (again.status, again.error_code().as_str()),
        (StatusCode::CONFLICT, "flow.completed")
    );

    // The old session is revoked, the old password fails, the new one works.
    assert_eq!(
        resetflow_server::service::session_account(&s.ctx, &old_session)
            .await
            .unwrap(),
        None
    );
    let old = s
        .post(LOGIN_PATH, json!({"identifier": "demo@example.com", "password": resetflow_server::serve::DEMO_PASSWORD}))
        .await;
    assert_eq!(
        (old.status, old.error_code().as_str()),
        (StatusCode::UNAUTHORIZED, "login.failed")
    );
    let new = s
        .post(
            LOGIN_PATH,
            json!({"identifier": "+4915123456789", "password": new_password}),
        )
        .await;
    assert_eq!(new.status, StatusCode::OK);
    assert_eq!(new.json()["account"], "10•••01");

    // Every channel of the account is told.
    s.deliver().await;
    let notices: Vec<_> = s
        .outbox()
        .into_iter()
        .filter(|e| {
            e.text
                .contains("Das Passwort Ihres Kontos wurde soeben geändert")
        })
        .collect();
    let mut to: Vec<_> = notices.iter().map(|e| (e.kind, e.to.as_str())).collect();
    to.sort_by_key(|(_, t)| t.to_string());
    assert_eq!(
        to,
        [
            (OutboxKind::Sms, "+4915123456789"),
            (OutboxKind::Email, "demo@example.com")
        ]
    );
    assert!(notices.iter().all(|e| e.secret.is_empty()));
}

#[tokio::test]
async fn completing_one_flow_revokes_the_accounts_other_flows() {
    let s = server().await;
    let first = s.flow_at_channel("100000001").await;
    let second = s.flow_at_channel("+4915123456789").await;
    let a = s
        .post(&s.path(Route::Code, &first), json!({"channel": "sms"}))
        .await;
    assert_eq!(a.status, StatusCode::OK);
    s.deliver().await;
    let a = s
        .verify_code_and_set_password(&first, "+4915123456789", "Granite-Heron-Sings-7")
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let other = s.get(&s.path(Route::Flow, &second)).await;
    assert_eq!(other.json()["step"], "locked");
    let refused = s
        .post(&s.path(Route::Code, &second), json!({"channel": "sms"}))
        .await;
    assert_eq!(
        (refused.status, refused.error_code().as_str()),
        (StatusCode::CONFLICT, "flow.revoked")
    );
}

#[tokio::test]
async fn wrong_captcha_answers_get_new_images_then_lock_the_flow() {
    let s = server().await;
    let a = s
        .post(
            &s.path(Route::Flows, ""),
            json!({"identifier": "100000001"}),
        )
        .await;
    let id = a.json()["id"].as_str().unwrap().to_owned();
    for left in (1..5).rev() {
        let before = s.captcha_answer(&id);
        let wrong = if before == "000000" {
            "111111"
        } else {
            "000000"
        };
        let a = s
            .post(&s.path(Route::Captcha, &id), json!({"answer": wrong}))
            .await;
        assert_eq!(
            (a.status, a.error_code().as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "captcha.mismatch")
        );
        let f = s.get(&s.path(Route::Flow, &id)).await.json();
        assert_eq!(
            (f["step"].as_str(), f["attempts_left"].as_u64()),
            (Some("captcha"), Some(left))
        );
        // A new challenge was issued; the old answer no longer works later.
        let issued = s
            .outbox()
            .iter()
            .filter(|e| e.kind == OutboxKind::Captcha && e.to == id)
            .count();
        assert_eq!(issued, 6 - left as usize);
    }
    let a = s
        .post(
            &s.path(Route::Captcha, &id),
            json!({"answer": "not digits"}),
        )
        .await;
    assert_eq!(
        (a.status, a.error_code().as_str()),
        (StatusCode::CONFLICT, "flow.locked")
    );
    let right = s.captcha_answer(&id);
    let a = s
        .post(&s.path(Route::Captcha, &id), json!({"answer": right}))
        .await;
    assert_eq!(
        a.error_code(),
        "flow.locked",
        "a locked flow refuses even the right answer"
    );
    let img = s.get(&s.path(Route::Captcha, &id)).await;
    assert_eq!(img.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn an_old_captcha_answer_dies_when_a_new_image_is_fetched() {
    let s = server().await;
    let a = s
        .post(
            &s.path(Route::Flows, ""),
            json!({"identifier": "100000001"}),
        )
        .await;
    let id = a.json()["id"].as_str().unwrap().to_owned();
    let old = s.captcha_answer(&id);
    // Fetch images until the answer differs (1 in 10^6 that it does not).
    let mut new = old.clone();
    while new == old {
        let _ = s.get(&s.path(Route::Captcha, &id)).await;
        new = s.captcha_answer(&id);
    }
    let a = s
        .post(&s.path(Route::Captcha, &id), json!({"answer": old}))
        .await;
    assert_eq!(a.error_code(), "captcha.mismatch");
    // The failure issued yet another challenge; only its answer works now.
    let newest = s.captcha_answer(&id);
    if newest != new {
        let a = s
            .post(&s.path(Route::Captcha, &id), json!({"answer": new}))
            .await;
        assert_eq!(a.error_code(), "captcha.mismatch");
    }
    let newest = s.captcha_answer(&id);
    let a = s
        .post(&s.path(Route::Captcha, &id), json!({"answer": newest}))
        .await;
    assert_eq!(a.status, StatusCode::OK);
}

#[tokio::test]
async fn codes_have_attempts_cooldown_expiry_and_an_hourly_cap() {
    let s = server().await;
    let id = s.flow_at_channel("demo@example.com").await;
    let a = s
        .post(&s.path(Route::Code, &id), json!({"channel": "sms"}))
        .await;
    assert_eq!(a.status, StatusCode::OK);
    s.deliver().await;
    let code = s.code_for("+4915123456789").unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };

    // Resend within the cooldown: 429 with Retry-After.
    s.advance(10);
    let a = s
        .post(&s.path(Route::Code, &id), json!({"channel": "sms"}))
        .await;
    assert_eq!(
        (a.status, a.error_code().as_str()),
        (StatusCode::TOO_MANY_REQUESTS, "code.cooldown")
    );
    assert_eq!(a.headers["retry-after"], "50");
    assert_eq!(a.json()["error"]["retry_after"], 50);

    // Five wrong codes kill it; then even the right one is refused.
    for i in 1..=5 {
        let a = s
            .post(&s.path(Route::CodeVerify, &id), json!({"code": wrong}))
            .await;
        let expected = if i < 5 {
            "code.mismatch"
        } else {
            "code.attempts_exhausted"
        };
        assert_eq!(
            (a.status, a.error_code().as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, expected)
        );
    }
    let a = s
        .post(&s.path(Route::CodeVerify, &id), json!({"code": code}))
        .await;
    assert_eq!(a.error_code(), "code.attempts_exhausted");

    // A new send after the cooldown gives a fresh code with fresh attempts...
    s.advance(50);
    let a = s
        .post(&s.path(Route::Code, &id), json!({"channel": "email"}))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.json());
    assert_eq!(a.json()["attempts_left"], 5);
    s.deliver().await;
    let fresh = s.code_for("demo@example.com").unwrap();
    // ...that expires after 10 minutes.
    s.advance(600);
    let a = s
        .post(&s.path(Route::CodeVerify, &id), json!({"code": fresh}))
        .await;
    assert_eq!(a.error_code(), "code.expired");
}

#[tokio::test]
async fn at_most_five_sends_per_identifier_per_hour_across_flows() {
    let s = server().await;
    let mut codes = 0;
    for round in 0..6 {
        let id = s.flow_at_channel("100000001").await;
        let a = s
            .post(&s.path(Route::Code, &id), json!({"channel": "email"}))
            .await;
        if round < 5 {
            assert_eq!(a.status, StatusCode::OK, "send {round}: {:?}", a.json());
            codes += 1;
        } else {
            assert_eq!(
                (a.status, a.error_code().as_str()),
                (StatusCode::TOO_MANY_REQUESTS, "code.send_limit")
            );
            let retry: u64 = a.headers["retry-after"].to_str().unwrap().parse().unwrap();
            assert!((1..=3600).contains(&retry), "{retry}");
        }
        s.advance(61);
    }
    assert_eq!(codes, 5);
}

#[tokio::test]
async fn flows_expire_after_fifteen_minutes() {
    let s = server().await;
    let id = s.flow_at_channel("100000001").await;
    s.advance(899);
    assert_eq!(
        s.get(&s.path(Route::Flow, &id)).await.status,
        StatusCode::OK
    );
    s.advance(1);
    let a = s.get(&s.path(Route::Flow, &id)).await;
    assert_eq!(
        (a.status, a.error_code().as_str()),
        (StatusCode::GONE, "flow.expired")
    );
    let a = s
        .post(&s.path(Route::Code, &id), json!({"channel": "sms"}))
        .await;
    assert_eq!(a.error_code(), "flow.expired");
}

#[tokio::test]
async fn manual_review_approved_by_an_operator_replaces_the_contact() {
    let s = server().await;
    let id = s.flow_at_channel("100000001").await;
    let a = s
        .post(
            &s.path(Route::Review, &id),
            json!({"contact": "not a contact", "message": "lost my phone"}),
        )
        .await;
    assert_eq!(
        (a.status, a.error_code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "review.contact_invalid")
    );
    let a = s
        .post(
            &s.path(Route::Review, &id),
            json!({"contact": "New.Me@Example.org", "message": "Lost my phone and mailbox."}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.json());
    assert_eq!(a.json()["step"], "review_pending");

    // The admin routes want the bearer token.
    let list = s.get("/api/admin/reviews?status=pending").await;
    assert_eq!(
        (list.status, list.error_code().as_str()),
        (StatusCode::UNAUTHORIZED, "admin.unauthorized")
    );
    let authed = |path: &str, method: &str| {
        axum::http::Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {ADMIN_TOKEN}"))
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let bad = s
        .request(authed("/api/admin/reviews?status=maybe", "GET"))
        .await;
    assert_eq!(
        (bad.status, bad.error_code().as_str()),
        (StatusCode::BAD_REQUEST, "request.invalid_query")
    );
    let list = s
        .request(authed("/api/admin/reviews?status=pending", "GET"))
        .await;
    assert_eq!(list.status, StatusCode::OK);
    let reviews = list.json();
    assert_eq!(reviews.as_array().unwrap().len(), 1);
    assert_eq!(reviews[0]["contact"], "New.Me@example.org");
    assert_eq!(reviews[0]["account_id"], "100000001");
    let rid = reviews[0]["id"].as_i64().unwrap();

    let a = s
        .request(authed(&format!("/api/admin/reviews/{rid}/approve"), "POST"))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.json());
    assert_eq!(a.json()["status"], "approved");
    let a = s
        .request(authed(&format!("/api/admin/reviews/{rid}/deny"), "POST"))
        .await;
    assert_eq!(a.error_code(), "review.decided");

    let f = s.get(&s.path(Route::Flow, &id)).await.json();
    assert_eq!(f["step"], "code");
    assert_eq!(
        f["channels"],
        json!([{"id": "review", "kind": "email", "to": "N•••@example.org"}])
    );
    s.deliver().await;
    let pw = "Copper-Lantern-Drift-9";
    let a = s
        .verify_code_and_set_password(&id, "New.Me@example.org", pw)
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.json());
    let account = s
        .store
        .find_account(Lookup::Id("100000001"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (account.email.as_deref(), account.phone.as_deref()),
        (Some("New.Me@example.org"), None)
    );
    // The old contacts hear of the change too.
    s.deliver().await;
    for old in ["demo@example.com", "+4915123456789"] {
        assert!(
            s.outbox()
                .iter()
                .any(|e| e.to == old && e.text.contains("password of your account")),
            "{old}"
        );
    }
}

#[tokio::test]
async fn denied_review_locks_the_flow() {
    let s = server().await;
    let id = s.flow_at_channel("100000001").await;
    let a = s
        .post(
            &s.path(Route::Review, &id),
            json!({"contact": "+4930123456", "message": "help"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.json());
    let rid = s.store.reviews(None).await.unwrap()[0].id;
    resetflow_server::service::decide_review(&s.ctx, rid, false)
        .await
        .unwrap();
    let a = s.get(&s.path(Route::Flow, &id)).await;
    assert_eq!(a.json()["step"], "locked");
    let a = s
        .post(&s.path(Route::Code, &id), json!({"channel": "review"}))
        .await;
    assert_eq!(a.error_code(), "review.denied");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_wrong_codes_cannot_buy_extra_guesses() {
    let s = std::sync::Arc::new(server().await);
    let id = s.flow_at_channel("100000001").await;
    let a = s
        .post(&s.path(Route::Code, &id), json!({"channel": "email"}))
        .await;
    assert_eq!(a.status, StatusCode::OK);
    s.deliver().await;
    let code = s.code_for("demo@example.com").unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let s = std::sync::Arc::clone(&s);
        let path = s.path(Route::CodeVerify, &id);
        tasks.push(tokio::spawn(async move {
            let a = s.post(&path, json!({"code": wrong})).await;
            (a.status, a.error_code())
        }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    for (status, code) in &answers {
        assert!(
            matches!(
                code.as_str(),
                "code.mismatch" | "code.attempts_exhausted" | "flow.conflict"
            ),
            "{status} {code}"
        );
    }
    // However the race went, the right code is now refused: at most five
    // guesses were ever compared.
    let a = s
        .post(&s.path(Route::CodeVerify, &id), json!({"code": code}))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", a.json());
}

#[tokio::test]
async fn the_library_captcha_renders_distinct_160x60_pngs() {
    use resetflow_server::challenge::{CaptchaSource, LibraryCaptcha};
    let source = LibraryCaptcha::default();
    let a = source.render().unwrap();
    let b = source.render().unwrap();
    // PNG signature, then an IHDR chunk with the default 160x60 size.
    assert_eq!(&a.png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&a.png[12..16], b"IHDR");
    let width = u32::from_be_bytes(a.png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(a.png[20..24].try_into().unwrap());
    assert_eq!((width, height), (160, 60));
    assert_eq!(a.answer.len(), 6);
    assert!(a.answer.bytes().all(|b| b.is_ascii_digit()));
    assert_ne!(a.png, b.png, "OS randomness: every image differs");
}
