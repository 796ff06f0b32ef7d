//! `resetflow accounts` and `resetflow reviews` against a database file.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use resetflow::Locale;
use resetflow_server::serve;
use resetflow_server::service::{self, HashCost, RateLimits};
use resetflow_server::store::{Lookup, ReviewStatus, SqliteStore, Store};
use serde_json::Value;

fn resetflow(db: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_resetflow"))
        .args(args)
        .env("RESETFLOW_DATABASE", db)
        .env_remove("RESETFLOW_SECRET")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_add_list_and_reviews_decide() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("cli.db").display());

    let out = resetflow(
        &db,
        &[
            "accounts",
            "add",
            "--id",
            "555000111",
            "--email",
            "Ann@Example.COM",
            "--password-stdin",
        ],
        Some("Quartz-Meadow-Falls-8\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let added = lines(&out);
    assert_eq!(added[0]["email"], "Ann@example.com", "normalised");
    assert!(
        added[0].get("password").is_none(),
        "a given password is not echoed"
    );

    let out = resetflow(
        &db,
        &[
            "accounts",
            "add",
            "--id",
            "555000112",
            "--phone",
            "+4915123456700",
        ],
        None,
    );
    assert!(out.status.success());
    let generated = lines(&out)[0]["password"].as_str().unwrap().to_owned();
    assert!(generated.len() >= 20);

    let dup = resetflow(
        &db,
        &[
            "accounts",
            "add",
            "--id",
            "555000113",
            "--email",
            "ann@example.com",
        ],
        None,
    );
    assert_eq!(dup.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&dup.stderr).starts_with("error[accounts.duplicate]"));
    let bad = resetflow(
        &db,
        &["accounts", "add", "--id", "555000114", "--email", "ann@"],
        None,
    );
    assert_eq!(bad.status.code(), Some(2));
    let weak = resetflow(
        &db,
        &[
            "accounts",
            "add",
            "--id",
            "555000115",
            "--email",
            "b@example.com",
            "--password-stdin",
        ],
        Some("password\n"),
    );
    assert_eq!(weak.status.code(), Some(2));

    let out = resetflow(&db, &["accounts", "list"], None);
    let ids: Vec<String> = lines(&out)
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["555000111", "555000112"]);

    // A review queued through the service on the same database (same keys,
    // from the database), decided from the command line.
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&db).await.unwrap());
    let keys = serve::keys(store.as_ref(), None, None).await.unwrap();
    let cost = HashCost {
        memory_kib: 64,
        iterations: 1,
    };
    let ctx = serve::context(
        store.clone(),
        keys,
        Arc::new(common::TestCaptcha),
        None,
        None,
        cost,
        RateLimits::default(),
        service::system_clock(),
    )
    .await
    .unwrap();
    let rec = service::start_flow(&ctx, "555000111", Locale::En, None, "127.0.0.1")
        .await
        .unwrap();
    let answer_hash = store
        .captcha(&rec.id, resetflow::Timestamp::now())
        .await
        .unwrap();
    assert!(answer_hash.is_some());
    // Solve the captcha through the state machine's own path: the test
    // source's answer is unknown here, so move the flow on directly.
    let t = rec
        .flow
        .handle(
            resetflow::flow::Event::CaptchaSolved,
            resetflow::Timestamp::now(),
            &ctx.limits,
        )
        .unwrap();
    assert_eq!(
        store.save_flow(&rec.id, &t.flow, 0, None).await.unwrap(),
        resetflow_server::store::Saved::Saved
    );
    service::request_review(&ctx, &rec.id, "+4930123456", "lost everything", Locale::En)
        .await
        .unwrap();

    let out = resetflow(&db, &["reviews", "list", "--status", "pending"], None);
    let pending = lines(&out);
    assert_eq!(pending.len(), 1);
    let rid = pending[0]["id"].as_i64().unwrap().to_string();
    let out = resetflow(&db, &["reviews", "approve", &rid], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(lines(&out)[0]["status"], "approved");
    let again = resetflow(&db, &["reviews", "deny", &rid], None);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).starts_with("error[review.decided]"));
    let bad = resetflow(&db, &["reviews", "list", "--status", "maybe"], None);
    assert_eq!(bad.status.code(), Some(2));

    assert_eq!(
        store
            .reviews(Some(ReviewStatus::Approved))
            .await
            .unwrap()
            .len(),
        1
    );
    let flow = store.flow(&rec.id).await.unwrap().unwrap();
    assert_eq!(flow.flow.step().as_str(), "code");
    // The code is queued for the running server's worker to deliver.
    let jobs = store
        .due_jobs(resetflow::Timestamp::now().add_secs(1), 10)
        .await
        .unwrap();
    assert!(jobs.iter().any(|j| j.message.to == "+4930123456"));
    assert!(store
        .find_account(Lookup::Id("555000112"))
        .await
        .unwrap()
        .is_some());
}
