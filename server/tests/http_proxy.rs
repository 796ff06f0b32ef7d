//! Per-IP budgets behind a reverse proxy: `X-Forwarded-For` names the
//! client only when the socket peer is a trusted proxy.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use resetflow::protocol::Routes;
use resetflow_server::api::{self, AppState};
use resetflow_server::proxy::TrustedProxies;
use resetflow_server::service::RateLimits;
use serde_json::json;

fn start_flow(forwarded_for: &str) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri("/api/recovery/flows")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-forwarded-for", forwarded_for)
        .body(Body::from(json!({"identifier": "100000001"}).to_string()))
        .unwrap()
}

#[tokio::test]
async fn budgets_follow_the_forwarded_client_only_behind_a_trusted_proxy() {
    let rates = RateLimits {
        ip_flows_per_hour: 2,
        ..RateLimits::default()
    };
    let mut t = common::server_with(rates, true).await;
    // The test client (192.0.2.7) plays the load balancer.
    t.ctx.trusted_proxies = TrustedProxies::parse(&["192.0.2.0/24"]).unwrap();
    t.app = api::app(AppState {
        ctx: t.ctx.clone(),
        routes: Routes::default(),
        allowed_origins: Vec::new(),
        admin_token: None,
        www: None,
    });

    // Two clients behind the proxy: a budget each, not one between them.
    for client in ["198.51.100.1", "198.51.100.2"] {
        for n in 1..=2 {
            let a = t.request(start_flow(client)).await;
            assert_eq!(a.status, StatusCode::CREATED, "{client} flow {n}");
        }
        let a = t.request(start_flow(client)).await;
        assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{client} flow 3");
        assert_eq!(a.error_code(), "rate.limited");
    }

    // A client that is not a trusted proxy cannot pick an address: its
    // own budget counts, whatever the header says.
    t.ip = "203.0.113.9:5000".parse().unwrap();
    for n in 1..=2 {
        let forged = format!("198.51.100.{}", 100 + n);
        let a = t.request(start_flow(&forged)).await;
        assert_eq!(a.status, StatusCode::CREATED, "direct flow {n}");
    }
    let a = t.request(start_flow("198.51.100.200")).await;
    assert_eq!(
        a.status,
        StatusCode::TOO_MANY_REQUESTS,
        "a forged header bought a flow"
    );
}
