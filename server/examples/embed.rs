//! Mounting the recovery service inside your own axum application, with your
//! own delivery of codes.
//!
//! ```sh
//! cargo run -p resetflow-server --example embed
//! curl -s localhost:3000/api/recovery/flows -H 'content-type: application/json' \
//!      -d '{"identifier":"ann@example.com"}'
//! ```
//!
//! The store holds the accounts (`resetflow accounts add`, or
//! `Store::create_account`); implement `store::Store` to use your own user
//! database instead of SQLite, and `delivery::Delivery` to hand messages to
//! your mailer or SMS gateway.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use axum::routing::get;
use axum::Router;
use resetflow::captcha::Config;
use resetflow::flow::ChannelKind;
use resetflow::protocol::Routes;
use resetflow_server::api::{self, AppState};
use resetflow_server::challenge::LibraryCaptcha;
use resetflow_server::delivery::{self, Delivery, DeliveryError};
use resetflow_server::keys::Keys;
use resetflow_server::serve;
use resetflow_server::service::{self, HashCost, RateLimits};
use resetflow_server::store::{Job, SqliteStore, Store};

/// Your delivery: here it only says where a message would go.
struct Mailer;

#[async_trait]
impl Delivery for Mailer {
    async fn deliver(&self, job: &Job) -> Result<(), DeliveryError> {
        // Hand `message.text` to your mail or SMS service here (or use
        // `delivery::smtp` and `delivery::webhook`). Never log the text: it
        // holds the code. `DeliveryError::retry` asks for another attempt.
        let message = &job.message;
        let via = match message.kind {
            ChannelKind::Sms => "SMS",
            ChannelKind::Email => "e-mail",
        };
        println!("would send an {via} of {} bytes", message.text.len());
        Ok(())
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open("sqlite://embed-example.db").await?);
    // In production: 32+ random bytes from your secret store, the same on
    // every node.
    let keys = Keys::derive(&[0x5e; 32]);
    let ctx = serve::context(
        Arc::clone(&store),
        keys,
        Arc::new(LibraryCaptcha::new(Config::default())),
        None, // no dev outbox
        Some("DE"),
        HashCost::default(),
        RateLimits::default(),
        service::system_clock(),
    )
    .await?;

    // Messages go out from a background worker, off the request path.
    let (_stop, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(delivery::worker(
        Arc::clone(&store),
        Arc::new(Mailer),
        Arc::clone(&ctx.wake),
        Duration::from_secs(1),
        Arc::clone(&ctx.clock),
        stop_rx,
    ));

    let recovery = api::app(AppState {
        ctx,
        routes: Routes::default(), // /api/recovery
        allowed_origins: vec!["https://shop.example".to_owned()],
        admin_token: None, // admin routes refuse everything
        www: None,
    });
    let app = Router::new()
        .route("/", get(|| async { "my shop" }))
        .merge(recovery);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    // The recovery routes read the client address for their per-IP limits.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await?;
    Ok(())
}
