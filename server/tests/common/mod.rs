//! A test server: the real router on an in-memory SQLite store (or any store,
//! [`server_on`]), a clock the
//! test moves, a captcha source with known answers, the dev outbox.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use rand_core::{OsRng, RngCore};
use resetflow::protocol::{OutboxEntry, OutboxKind, Routes};
use resetflow::Timestamp;
use resetflow_server::api::{self, AppState};
use resetflow_server::challenge::{CaptchaSource, Rendered};
use resetflow_server::delivery::{self, DevOutbox};
use resetflow_server::keys::Keys;
use resetflow_server::serve;
use resetflow_server::service::{Ctx, HashCost, RateLimits};
use resetflow_server::store::{SqliteStore, Store};
use serde_json::Value;
use tower::ServiceExt;

/// PNG signature plus a marker; what the test source "renders".
pub const FAKE_PNG: &[u8] = b"\x89PNG\r\n\x1a\ntest-captcha";

/// Random 6-digit answers with a fixed image: the tests read answers
/// from the dev outbox, as a browser test would.
pub struct TestCaptcha;

impl CaptchaSource for TestCaptcha {
    fn render(&self) -> Result<Rendered, String> {
        Ok(Rendered {
            png: FAKE_PNG.to_vec(),
            answer: format!("{:06}", OsRng.next_u32() % 1_000_000),
        })
    }
}

pub const T0: u64 = 1_800_000_000;
pub const ADMIN_TOKEN: &str = "admin-token-for-tests-0123456789";

pub struct TestServer {
    pub app: Router,
    pub ctx: Ctx,
    pub dev: Arc<DevOutbox>,
    pub store: Arc<dyn Store>,
    pub now: Arc<AtomicU64>,
    pub ip: SocketAddr,
}

pub async fn server() -> TestServer {
    server_with(RateLimits::default(), true).await
}

pub async fn server_with(rates: RateLimits, dev_mode: bool) -> TestServer {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open("sqlite::memory:").await.unwrap());
    server_on(store, rates, dev_mode).await
}

/// The test server on a given (fresh, migrated) store.
pub async fn server_on(store: Arc<dyn Store>, rates: RateLimits, dev_mode: bool) -> TestServer {
    let keys = Keys::derive(&[42u8; 32]);
    let now = Arc::new(AtomicU64::new(T0));
    let clock_now = Arc::clone(&now);
    let clock = Arc::new(move || Timestamp::from_unix_secs(clock_now.load(Ordering::SeqCst)));
    let dev = Arc::new(DevOutbox::new());
    // Cheap argon2 parameters: the tests are about the flow, not the cost.
    let cost = HashCost {
        memory_kib: 64,
        iterations: 1,
    };
    let ctx = serve::context(
        Arc::clone(&store),
        keys,
        Arc::new(TestCaptcha),
        dev_mode.then(|| Arc::clone(&dev)),
        None,
        cost,
        rates,
        clock,
    )
    .await
    .unwrap();
    serve::seed_demo(&ctx).await.unwrap();
    let state = AppState {
        ctx: ctx.clone(),
        routes: Routes::default(),
        allowed_origins: vec!["https://shop.example".to_owned()],
        admin_token: Some(ADMIN_TOKEN.to_owned()),
        www: None,
    };
    TestServer {
        app: api::app(state),
        ctx,
        dev,
        store,
        now,
        ip: "192.0.2.7:40000".parse().unwrap(),
    }
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|e| {
            panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.bytes))
        })
    }

    pub fn error_code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    }
}

impl TestServer {
    pub fn advance(&self, secs: u64) {
        self.now.fetch_add(secs, Ordering::SeqCst);
    }

    pub async fn request(&self, req: Request<Body>) -> Answer {
        let mut req = req;
        req.extensions_mut().insert(ConnectInfo(self.ip));
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        Answer {
            status,
            headers,
            bytes,
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.request(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.request(req).await
    }

    /// Runs the delivery worker once, as the background task would.
    pub async fn deliver(&self) {
        let now = (self.ctx.clock)();
        delivery::work_once(self.store.as_ref(), self.dev.as_ref(), now)
            .await
            .unwrap();
    }

    pub fn outbox(&self) -> Vec<OutboxEntry> {
        self.dev.entries()
    }

    /// The answer of the newest captcha issued to `flow`.
    pub fn captcha_answer(&self, flow: &str) -> String {
        self.outbox()
            .iter()
            .rev()
            .find(|e| e.kind == OutboxKind::Captcha && e.to == flow)
            .map(|e| e.secret.clone())
            .expect("a captcha was issued to the flow")
    }

    /// The newest code delivered to `address`.
    pub fn code_for(&self, address: &str) -> Option<String> {
        self.outbox()
            .iter()
            .rev()
            .find(|e| e.kind != OutboxKind::Captcha && e.to == address && !e.secret.is_empty())
            .map(|e| e.secret.clone())
    }

    /// Enters the newest code delivered to `address` on flow `id` (which
    /// must be accepted), then sets `password`; returns the password step's
    /// answer.
    pub async fn verify_code_and_set_password(
        &self,
        id: &str,
        address: &str,
        password: &str,
    ) -> Answer {
        use resetflow::protocol::Route;
        let code = self
            .code_for(address)
            .unwrap_or_else(|| panic!("no code delivered to {address}"));
        let a = self
            .post(
                &self.path(Route::CodeVerify, id),
                serde_json::json!({"code": code}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "code verify: {:?}", a.json());
        self.post(
            &self.path(Route::Password, id),
            serde_json::json!({"password": password, "confirm": password}),
        )
        .await
    }

    pub fn routes(&self) -> Routes {
        Routes::default()
    }

    pub fn path(&self, route: resetflow::protocol::Route, id: &str) -> String {
        Routes::default().path(route, id)
    }

    /// Starts a flow and solves its captcha; returns the flow id.
    pub async fn flow_at_channel(&self, identifier: &str) -> String {
        use resetflow::protocol::Route;
        let a = self
            .post(
                &self.path(Route::Flows, ""),
                serde_json::json!({ "identifier": identifier }),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.json());
        let id = a.json()["id"].as_str().unwrap().to_owned();
        let answer = self.captcha_answer(&id);
        let a = self
            .post(
                &self.path(Route::Captcha, &id),
                serde_json::json!({ "answer": answer }),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{:?}", a.json());
        id
    }
}
