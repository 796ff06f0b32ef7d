//! The contract every [`Store`] backend keeps, as runnable checks.
//!
//! A backend's test calls [`run_all`] with a fresh, migrated store (SQLite
//! always; PostgreSQL and Redis backends when their URL is set). Each check
//! uses its own ids, so they may share one store. A failed check panics with
//! a message naming the broken rule.

use resetflow::flow::{Channel, ChannelKind, Effect, Event, Flow, Limits};
use resetflow::Timestamp;

use super::{
    Account, CodeCheck, FlowRecord, Lookup, Message, Purpose, ReviewStatus, Saved, Store,
    StoreError, JOB_LEASE_SECS,
};

const T0: Timestamp = Timestamp::from_unix_secs(1_800_000_000);

/// Runs every check in this module against `store`.
pub async fn run_all(store: &dyn Store) {
    meta_is_set_once(store).await;
    accounts_unique_and_found(store).await;
    emails_fold_ascii_case_only(store).await;
    flows_compare_and_swap(store).await;
    captcha_single_use(store).await;
    captcha_stored_with_a_new_flow(store).await;
    codes_count_then_consume(store).await;
    codes_parallel_attempts_are_bounded(store).await;
    sessions_revoke(store).await;
    reviews_decided_once(store).await;
    outbox_jobs(store).await;
    outbox_claims_are_exclusive_and_leased(store).await;
    rate_limit_windows(store).await;
    purge_keeps_what_is_live(store).await;
}

fn account(id: &str) -> Account {
    Account {
        id: id.to_owned(),
        email: Some(format!("u{id}@example.com")),
        phone: Some(format!("+49151{id}")),
        password_hash: "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA".to_owned(),
    }
}

fn record(id: &str, account_id: Option<&str>) -> FlowRecord {
    let channels = vec![Channel {
        id: "email".into(),
        kind: ChannelKind::Email,
        to: "u•••@example.com".into(),
    }];
    let t = Flow::start("u•••@example.com".into(), channels, T0, &Limits::DEFAULT);
    FlowRecord {
        id: id.to_owned(),
        account_id: account_id.map(str::to_owned),
        identifier_key: vec![7; 32],
        locale: "de".to_owned(),
        flow: t.flow,
        targets: vec![super::Target {
            channel: "email".into(),
            kind: ChannelKind::Email,
            address: "u1@example.com".into(),
        }],
    }
}

/// The first value stored under a name stays; later inits do not replace it.
pub async fn meta_is_set_once(store: &dyn Store) {
    let a = store.meta_get_or_init("conf.key", b"first").await.unwrap();
    let b = store.meta_get_or_init("conf.key", b"second").await.unwrap();
    assert_eq!((a.as_slice(), b.as_slice()), (&b"first"[..], &b"first"[..]));
}

/// Accounts are found by ID, e-mail and phone; duplicates are refused.
pub async fn accounts_unique_and_found(store: &dyn Store) {
    let a = account("200000001");
    store.create_account(&a, T0).await.unwrap();
    for lookup in [
        Lookup::Id("200000001"),
        Lookup::Email("u200000001@example.com"),
        Lookup::Phone("+49151200000001"),
    ] {
        let found = store.find_account(lookup.clone()).await.unwrap();
        assert_eq!(found.as_ref(), Some(&a), "lookup {lookup:?}");
    }
    assert_eq!(
        store.find_account(Lookup::Id("299999999")).await.unwrap(),
        None
    );
    let mut dup = account("200000002");
    dup.email = Some("U200000001@EXAMPLE.com".to_owned());
    match store.create_account(&dup, T0).await {
        Err(StoreError::Duplicate(_)) => {}
        other => panic!("duplicate e-mail must be refused, got {other:?}"),
    }
    match store.create_account(&a, T0).await {
        Err(StoreError::Duplicate(_)) => {}
        other => panic!("duplicate ID must be refused, got {other:?}"),
    }
    store
        .set_password_hash("200000001", "$argon2id$new", T0)
        .await
        .unwrap();
    store
        .replace_contacts("200000001", ChannelKind::Sms, "+4930123456", T0)
        .await
        .unwrap();
    let b = store
        .find_account(Lookup::Id("200000001"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(b.password_hash, "$argon2id$new");
    assert_eq!((b.email, b.phone.as_deref()), (None, Some("+4930123456")));
    assert!(store
        .list_accounts()
        .await
        .unwrap()
        .iter()
        .any(|x| x.id == "200000001"));
}

/// E-mail addresses match and clash ignoring ASCII case only, whatever
/// the database's locale: `Ä` and `ä` are different letters here, as in
/// SQLite's `NOCASE`.
pub async fn emails_fold_ascii_case_only(store: &dyn Store) {
    let mut a = account("200000040");
    a.email = Some("Ärger@example.com".to_owned());
    a.phone = None;
    store.create_account(&a, T0).await.unwrap();
    let mut b = account("200000041");
    b.email = Some("ärger@example.com".to_owned());
    b.phone = None;
    store
        .create_account(&b, T0)
        .await
        .expect("a non-ASCII case variant is another address");
    let found = |email: &'static str| async move {
        store
            .find_account(Lookup::Email(email))
            .await
            .unwrap()
            .map(|a| a.id)
    };
    assert_eq!(
        found("ÄRGER@EXAMPLE.COM").await.as_deref(),
        Some("200000040")
    );
    assert_eq!(
        found("äRGER@example.com").await.as_deref(),
        Some("200000041")
    );
    assert_eq!(
        found("ÄrGeR@Example.Com").await.as_deref(),
        Some("200000040")
    );
}

/// A flow round-trips; a save with a stale revision writes nothing.
pub async fn flows_compare_and_swap(store: &dyn Store) {
    store
        .create_account(&account("200000010"), T0)
        .await
        .unwrap();
    let r = record("conf-flow-cas", Some("200000010"));
    store.insert_flow(&r, T0).await.unwrap();
    assert_eq!(
        store.flow("conf-flow-cas").await.unwrap().as_ref(),
        Some(&r)
    );
    assert_eq!(store.flow("conf-flow-none").await.unwrap(), None);

    let limits = Limits::DEFAULT;
    let a = r
        .flow
        .handle(Event::CaptchaSolved, T0.add_secs(1), &limits)
        .unwrap();
    let b = r
        .flow
        .handle(Event::CaptchaFailed, T0.add_secs(1), &limits)
        .unwrap();
    // Both start from revision 0; only the first save may win.
    let rev = r.flow.revision();
    assert_eq!(
        store.save_flow(&r.id, &a.flow, rev, None).await.unwrap(),
        Saved::Saved
    );
    assert_eq!(
        store.save_flow(&r.id, &b.flow, rev, None).await.unwrap(),
        Saved::Conflict
    );
    let stored = store.flow(&r.id).await.unwrap().unwrap();
    assert_eq!(stored.flow, a.flow);
    assert_eq!(stored.targets, r.targets, "targets kept when not given");
    assert_eq!(
        store
            .save_flow("conf-flow-none", &a.flow, 0, None)
            .await
            .unwrap(),
        Saved::Conflict,
        "a missing flow is a conflict, not a silent success"
    );
    // Targets replaced when given.
    let c = a
        .flow
        .handle(
            Event::ChannelChosen {
                channel: "email".into(),
            },
            T0.add_secs(2),
            &limits,
        )
        .unwrap();
    assert!(c.effects.contains(&Effect::SendCode {
        channel: "email".into()
    }));
    let targets = vec![super::Target {
        channel: "review".into(),
        kind: ChannelKind::Sms,
        address: "+4930999".into(),
    }];
    let saved = store
        .save_flow(&r.id, &c.flow, a.flow.revision(), Some(&targets))
        .await
        .unwrap();
    assert_eq!(saved, Saved::Saved);
    assert_eq!(store.flow(&r.id).await.unwrap().unwrap().targets, targets);

    // Live flows of an account: only unexpired ones.
    let live = store
        .live_flows_of_account("200000010", T0.add_secs(10))
        .await
        .unwrap();
    assert_eq!(live.len(), 1);
    let later = T0.add_secs(limits.flow_lifetime_secs);
    assert!(store
        .live_flows_of_account("200000010", later)
        .await
        .unwrap()
        .is_empty());
}

/// A captcha challenge is consumed once, and a new one replaces the old.
pub async fn captcha_single_use(store: &dyn Store) {
    store
        .insert_flow(&record("conf-captcha", None), T0)
        .await
        .unwrap();
    assert_eq!(store.captcha("conf-captcha", T0).await.unwrap(), None);
    store
        .set_captcha("conf-captcha", "old", T0.add_secs(60))
        .await
        .unwrap();
    store
        .set_captcha("conf-captcha", "new", T0.add_secs(60))
        .await
        .unwrap();
    assert_eq!(
        store.captcha("conf-captcha", T0).await.unwrap().as_deref(),
        Some("new")
    );
    assert_eq!(
        store
            .captcha("conf-captcha", T0.add_secs(60))
            .await
            .unwrap(),
        None,
        "expired"
    );
    assert!(!store.consume_captcha("conf-captcha", "old").await.unwrap());
    assert!(store.consume_captcha("conf-captcha", "new").await.unwrap());
    assert!(
        !store.consume_captcha("conf-captcha", "new").await.unwrap(),
        "single use"
    );
    assert_eq!(store.captcha("conf-captcha", T0).await.unwrap(), None);
}

/// A flow inserted with its first challenge has that challenge live until
/// its expiry, single-use like any other; the flow itself reads back.
pub async fn captcha_stored_with_a_new_flow(store: &dyn Store) {
    let rec = record("conf-captcha-new", None);
    store
        .insert_flow_with_captcha(&rec, T0, "first", T0.add_secs(30))
        .await
        .unwrap();
    let back = store.flow("conf-captcha-new").await.unwrap().unwrap();
    assert_eq!(back.flow, rec.flow);
    assert_eq!(
        store
            .captcha("conf-captcha-new", T0.add_secs(29))
            .await
            .unwrap()
            .as_deref(),
        Some("first")
    );
    assert_eq!(
        store
            .captcha("conf-captcha-new", T0.add_secs(30))
            .await
            .unwrap(),
        None,
        "expired"
    );
    assert!(store
        .consume_captcha("conf-captcha-new", "first")
        .await
        .unwrap());
    assert!(
        !store
            .consume_captcha("conf-captcha-new", "first")
            .await
            .unwrap(),
        "single use"
    );
}

/// Attempts are counted before comparing; a match is consumed once; the
/// code dies after `max` attempts and at its expiry; a new code resets.
pub async fn codes_count_then_consume(store: &dyn Store) {
    store
        .insert_flow(&record("conf-code", None), T0)
        .await
        .unwrap();
    let exp = T0.add_secs(600);
    assert_eq!(
        store.check_code("conf-code", b"h", 5, T0).await.unwrap(),
        CodeCheck::Dead
    );
    store
        .put_code("conf-code", b"right", T0, exp)
        .await
        .unwrap();
    for _ in 0..4 {
        let c = store
            .check_code("conf-code", b"wrong", 5, T0)
            .await
            .unwrap();
        assert_eq!(c, CodeCheck::Mismatched);
    }
    assert_eq!(
        store
            .check_code("conf-code", b"right", 5, T0)
            .await
            .unwrap(),
        CodeCheck::Matched
    );
    assert_eq!(
        store
            .check_code("conf-code", b"right", 5, T0)
            .await
            .unwrap(),
        CodeCheck::Dead,
        "a used code is dead"
    );
    store
        .put_code("conf-code", b"right2", T0, exp)
        .await
        .unwrap();
    for _ in 0..5 {
        let c = store
            .check_code("conf-code", b"wrong", 5, T0)
            .await
            .unwrap();
        assert_eq!(c, CodeCheck::Mismatched);
    }
    assert_eq!(
        store
            .check_code("conf-code", b"right2", 5, T0)
            .await
            .unwrap(),
        CodeCheck::Dead,
        "the right code after 5 wrong ones is refused"
    );
    store
        .put_code("conf-code", b"right3", T0, exp)
        .await
        .unwrap();
    assert_eq!(
        store
            .check_code("conf-code", b"right3", 5, exp)
            .await
            .unwrap(),
        CodeCheck::Dead
    );
    assert_eq!(
        store
            .check_code("conf-code", b"right3", 5, T0.add_secs(599))
            .await
            .unwrap(),
        CodeCheck::Matched
    );
}

/// Many parallel guesses still pay one attempt each: at most `max` are
/// ever compared.
pub async fn codes_parallel_attempts_are_bounded(store: &dyn Store) {
    store
        .insert_flow(&record("conf-code-par", None), T0)
        .await
        .unwrap();
    store
        .put_code("conf-code-par", b"right", T0, T0.add_secs(600))
        .await
        .unwrap();
    let guesses = (0..20).map(|_| store.check_code("conf-code-par", b"wrong", 5, T0));
    let results = futures_join_all(guesses).await;
    let compared = results
        .iter()
        .filter(|r| **r == CodeCheck::Mismatched)
        .count();
    assert_eq!(
        compared, 5,
        "exactly max attempts are compared: {results:?}"
    );
}

async fn futures_join_all<F, T>(futures: impl Iterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = Result<T, StoreError>>,
{
    // Polled concurrently on one task; a backend with a pool interleaves them.
    let mut pinned: Vec<_> = futures.map(Box::pin).collect();
    let mut out: Vec<Option<T>> = (0..pinned.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if out[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => out[i] = Some(v.unwrap()),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().map(|v| v.unwrap()).collect()
}

/// Sessions resolve until revoked; revocation touches only that account.
pub async fn sessions_revoke(store: &dyn Store) {
    store
        .create_account(&account("200000020"), T0)
        .await
        .unwrap();
    store
        .create_account(&account("200000021"), T0)
        .await
        .unwrap();
    store.create_session(b"s1", "200000020", T0).await.unwrap();
    store.create_session(b"s2", "200000020", T0).await.unwrap();
    store.create_session(b"s3", "200000021", T0).await.unwrap();
    assert_eq!(
        store.session_account(b"s1").await.unwrap().as_deref(),
        Some("200000020")
    );
    assert_eq!(store.revoke_sessions("200000020", T0).await.unwrap(), 2);
    assert_eq!(store.session_account(b"s1").await.unwrap(), None);
    assert_eq!(store.session_account(b"s2").await.unwrap(), None);
    assert_eq!(
        store.session_account(b"s3").await.unwrap().as_deref(),
        Some("200000021")
    );
    assert_eq!(store.session_account(b"nope").await.unwrap(), None);
}

/// A review is decided once.
pub async fn reviews_decided_once(store: &dyn Store) {
    store
        .insert_flow(&record("conf-review", None), T0)
        .await
        .unwrap();
    let id = store
        .create_review("conf-review", None, "+4930123456", "lost my phone", T0)
        .await
        .unwrap();
    let pending = store.reviews(Some(ReviewStatus::Pending)).await.unwrap();
    assert!(pending
        .iter()
        .any(|r| r.id == id && r.contact == "+4930123456"));
    assert!(store
        .decide_review(id, ReviewStatus::Approved, T0)
        .await
        .unwrap());
    assert!(!store
        .decide_review(id, ReviewStatus::Denied, T0)
        .await
        .unwrap());
    let r = store.review(id).await.unwrap().unwrap();
    assert_eq!(
        (r.status, r.message.as_str()),
        (ReviewStatus::Approved, "lost my phone")
    );
    assert!(!store
        .reviews(Some(ReviewStatus::Pending))
        .await
        .unwrap()
        .iter()
        .any(|r| r.id == id));
    assert_eq!(store.review(i64::MAX).await.unwrap(), None);
}

/// Jobs come due in order, retry later, and lose their body when finished.
pub async fn outbox_jobs(store: &dyn Store) {
    let m = |to: &str| Message {
        kind: ChannelKind::Sms,
        to: to.to_owned(),
        text: "code 123456".to_owned(),
        secret: "123456".to_owned(),
        decoy: false,
        purpose: Purpose::Code,
        locale: "de".to_owned(),
    };
    let a = store.enqueue(&m("+1"), T0).await.unwrap();
    let b = store.enqueue(&m("+2"), T0).await.unwrap();
    let due = store.due_jobs(T0, 10).await.unwrap();
    let ids: Vec<i64> = due.iter().map(|j| j.id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "oldest first");
    assert!(ids.contains(&a) && ids.contains(&b));
    assert_eq!(due.iter().find(|j| j.id == a).unwrap().message, m("+1"));
    store
        .fail_job(a, "gateway down", Some(T0.add_secs(30)), T0)
        .await
        .unwrap();
    store.finish_job(b, true, T0).await.unwrap();
    let due: Vec<i64> = store
        .due_jobs(T0, 10)
        .await
        .unwrap()
        .iter()
        .map(|j| j.id)
        .collect();
    assert!(!due.contains(&a) && !due.contains(&b));
    let later = store.due_jobs(T0.add_secs(30), 10).await.unwrap();
    let job = later.iter().find(|j| j.id == a).expect("retried when due");
    assert_eq!(job.attempts, 1);
    store.fail_job(a, "gateway down", None, T0).await.unwrap();
    assert!(!store
        .due_jobs(T0.add_secs(99), 10)
        .await
        .unwrap()
        .iter()
        .any(|j| j.id == a));
    let counts = store.job_counts().await.unwrap();
    assert!(
        counts.iter().any(|(s, n)| s == "failed" && *n >= 1),
        "{counts:?}"
    );
    assert!(
        counts.iter().any(|(s, n)| s == "sent" && *n >= 1),
        "{counts:?}"
    );
}

/// Claiming due jobs is exclusive: parallel claims (workers on several
/// nodes) never return the same job, and a claimed job stays away from
/// every claim until its lease ends, then comes due again.
pub async fn outbox_claims_are_exclusive_and_leased(store: &dyn Store) {
    let t = T0.add_secs(1_000);
    let m = |i: u32| Message {
        kind: ChannelKind::Email,
        to: format!("claim{i}@example.com"),
        text: format!("code {i:06}"),
        secret: format!("{i:06}"),
        decoy: false,
        purpose: Purpose::Code,
        locale: "en".to_owned(),
    };
    let mut mine = Vec::new();
    for i in 0..12 {
        mine.push(store.enqueue(&m(i), t).await.unwrap());
    }
    // Eight claims of two at once: 16 places for 12 jobs.
    let claims = futures_join_all((0..8).map(|_| store.due_jobs(t, 2))).await;
    let mut seen = std::collections::HashMap::new();
    for (claim, jobs) in claims.iter().enumerate() {
        assert!(jobs.len() <= 2, "limit kept: {jobs:?}");
        for job in jobs {
            if let Some(other) = seen.insert(job.id, claim) {
                panic!("job {} claimed twice (claims {other} and {claim})", job.id);
            }
        }
    }
    for (i, id) in mine.iter().enumerate() {
        assert!(seen.contains_key(id), "job {id} was never claimed");
        let job = claims.iter().flatten().find(|j| j.id == *id).unwrap();
        assert_eq!(job.message, m(u32::try_from(i).unwrap()), "claimed intact");
    }
    // Within the lease no claim gets them, however late it runs.
    let lease_end = t.add_secs(JOB_LEASE_SECS);
    let during = store
        .due_jobs(t.add_secs(JOB_LEASE_SECS - 1), 100)
        .await
        .unwrap();
    assert!(
        !during.iter().any(|j| mine.contains(&j.id)),
        "claimed jobs are leased: {during:?}"
    );
    // A job settled during its lease never returns; an unsettled one is
    // due again when the lease ends (its worker died), attempts unchanged.
    store.finish_job(mine[0], true, t).await.unwrap();
    store
        .fail_job(mine[1], "gateway down", Some(lease_end.add_secs(30)), t)
        .await
        .unwrap();
    let after = store.due_jobs(lease_end, 100).await.unwrap();
    let again: Vec<i64> = after
        .iter()
        .map(|j| j.id)
        .filter(|id| mine.contains(id))
        .collect();
    assert_eq!(again, mine[2..], "unsettled jobs are due after the lease");
    assert!(after
        .iter()
        .filter(|j| mine.contains(&j.id))
        .all(|j| j.attempts == 0));
    // Claimed again, so leased again; the failed job is due at its retry
    // time, not before.
    let ids_at = |jobs: Vec<super::Job>| -> Vec<(i64, u32)> {
        jobs.iter()
            .filter(|j| mine.contains(&j.id))
            .map(|j| (j.id, j.attempts))
            .collect()
    };
    let early = store.due_jobs(lease_end.add_secs(29), 100).await.unwrap();
    assert_eq!(ids_at(early), vec![], "leased again, or not yet due");
    let retry = store.due_jobs(lease_end.add_secs(30), 100).await.unwrap();
    assert_eq!(ids_at(retry), vec![(mine[1], 1)], "due at its retry time");
    // A settled job stays settled: a late report from a worker whose lease
    // ran out changes nothing.
    store
        .fail_job(mine[0], "late", None, lease_end)
        .await
        .unwrap();
    for id in &mine[1..] {
        store.finish_job(*id, true, lease_end).await.unwrap();
    }
    let counts = store.job_counts().await.unwrap();
    assert!(
        !counts.iter().any(|(s, _)| s == "pending"),
        "every claimed job settled: {counts:?}"
    );
}

/// Hits count per key and window; a new window starts at zero.
pub async fn rate_limit_windows(store: &dyn Store) {
    let now = Timestamp::from_unix_secs(1_800_000_010); // 10 s into a 60 s window
    assert_eq!(store.hit(b"conf-ip", 60, now).await.unwrap(), (1, 50));
    assert_eq!(store.hit(b"conf-ip", 60, now).await.unwrap(), (2, 50));
    assert_eq!(store.hit(b"conf-other", 60, now).await.unwrap(), (1, 50));
    let next = Timestamp::from_unix_secs(1_800_000_060);
    assert_eq!(store.hit(b"conf-ip", 60, next).await.unwrap(), (1, 60));
}

/// Purging removes expired flows, finished jobs and revoked sessions, and
/// keeps live flows, flows under review, pending jobs and open sessions.
pub async fn purge_keeps_what_is_live(store: &dyn Store) {
    let late = T0.add_secs(10 * 86_400);
    store
        .create_account(&account("200000030"), T0)
        .await
        .unwrap();
    // Expired long ago (started at T0, 15 min lifetime).
    store
        .insert_flow(&record("conf-purge-old", None), T0)
        .await
        .unwrap();
    store
        .put_code("conf-purge-old", b"h", T0, T0.add_secs(600))
        .await
        .unwrap();
    // Expired, but a review refers to it.
    store
        .insert_flow(&record("conf-purge-review", None), T0)
        .await
        .unwrap();
    store
        .create_review("conf-purge-review", None, "+4930123456", "m", T0)
        .await
        .unwrap();
    // Live at `late`.
    let live = Flow::start("x".into(), vec![], late, &Limits::DEFAULT).flow;
    let mut r = record("conf-purge-live", None);
    r.flow = live;
    store.insert_flow(&r, late).await.unwrap();
    store
        .create_session(b"purge-open", "200000030", T0)
        .await
        .unwrap();
    store
        .create_session(b"purge-revoked", "200000030", T0)
        .await
        .unwrap();
    store.revoke_sessions("200000030", T0).await.unwrap();
    store
        .create_session(b"purge-open2", "200000030", T0)
        .await
        .unwrap();
    let removed = store.purge(late).await.unwrap();
    assert!(removed >= 4, "{removed}");
    assert_eq!(store.flow("conf-purge-old").await.unwrap(), None);
    assert_eq!(
        store
            .check_code("conf-purge-old", b"h", 5, T0)
            .await
            .unwrap(),
        CodeCheck::Dead
    );
    assert!(store.flow("conf-purge-review").await.unwrap().is_some());
    assert!(store.flow("conf-purge-live").await.unwrap().is_some());
    assert_eq!(
        store
            .session_account(b"purge-open2")
            .await
            .unwrap()
            .as_deref(),
        Some("200000030")
    );
    assert!(
        !store
            .job_counts()
            .await
            .unwrap()
            .iter()
            .any(|(s, _)| s == "sent" || s == "failed"),
        "finished jobs are gone"
    );
}
