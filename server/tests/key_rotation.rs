//! Rotating the master secret with `--previous-secret`, as a black box: a
//! captcha issued before the switch is still answered after it, decoy
//! channels of an unknown identifier do not change (they would otherwise
//! tell unknown identifiers from real ones), and once the previous secret
//! is dropped the old challenge is refused.

mod process;

use process::{expect, http, secrets, wait_outbox, Server};
use serde_json::{json, Value};

const OLD: &str = "b2xkLXNlY3JldC1vbGQtc2VjcmV0LW9sZC1zZWNyZXQtMDE=";
const NEW: &str = "bmV3LXNlY3JldC1uZXctc2VjcmV0LW5ldy1zZWNyZXQtMDI=";

fn start(
    dir: &std::path::Path,
    name: &str,
    db: &str,
    secret: &str,
    previous: Option<&str>,
) -> Server {
    let mut args = vec!["--database", db, "--secret", secret];
    if let Some(p) = previous {
        args.extend(["--previous-secret", p]);
    }
    Server::start(dir, name, &args, &process::NO_IP_BUDGETS)
}

fn post(server: &Server, path: &str, body: Value) -> process::Answer {
    http(
        server.addr,
        "POST",
        &format!("/api/recovery{path}"),
        Some(&body),
    )
    .unwrap_or_else(|e| panic!("POST {path}: {e}"))
}

/// Starts a flow; returns its id, its first challenge's answer and its
/// channels.
fn begin(server: &Server, identifier: &str) -> (String, String) {
    let created = post(server, "/flows", json!({"identifier": identifier}));
    let flow = expect(&created, 201, "captcha", "start");
    let id = flow["id"].as_str().unwrap().to_owned();
    let answer = wait_outbox(server.addr, "the captcha answer", |e| {
        secrets(e, "captcha", &id).pop()
    })
    .unwrap_or_else(|e| panic!("outbox: {e}"));
    (id, answer)
}

fn decoy_channels(server: &Server) -> Value {
    let (id, answer) = begin(server, "nobody-here@example.com");
    let solved = post(
        server,
        &format!("/flows/{id}/captcha"),
        json!({"answer": answer}),
    );
    expect(&solved, 200, "channel", "decoy captcha")["channels"].clone()
}

#[test]
fn a_rotation_keeps_challenges_and_decoys() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("rotation.db").display());

    let before = start(dir.path(), "old", &db, OLD, None);
    let decoys_before = decoy_channels(&before);
    let (kept, kept_answer) = begin(&before, "demo@example.com");
    let (dropped, dropped_answer) = begin(&before, "100000002");
    drop(before);

    // Every node now runs the new secret with the old one as previous.
    let during = start(dir.path(), "rotating", &db, NEW, Some(OLD));
    let solved = post(
        &during,
        &format!("/flows/{kept}/captcha"),
        json!({"answer": kept_answer}),
    );
    expect(
        &solved,
        200,
        "channel",
        "a challenge issued before the rotation",
    );
    assert_eq!(
        decoy_channels(&during),
        decoys_before,
        "decoy channels changed with the rotation"
    );
    drop(during);

    // The previous secret removed: what was issued under it is refused.
    let after = start(dir.path(), "new", &db, NEW, None);
    let refused = post(
        &after,
        &format!("/flows/{dropped}/captcha"),
        json!({"answer": dropped_answer}),
    );
    assert_ne!(
        refused.status,
        200,
        "a challenge of a retired secret was accepted: {}",
        refused.text()
    );
    assert_eq!(decoy_channels(&after), decoys_before);
}
