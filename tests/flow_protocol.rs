//! The protocol types against JSON written by hand from the HTTP contract
//! (SPEC section 4): each document parses to the expected value, and the
//! value serialises back to the same JSON. Run with `--features serde`.
#![cfg(feature = "serde")]

use resetflow::flow::{Effect, Event, Flow, Limits, LockReason};
use resetflow::protocol::{
    CaptchaAnswerRequest, Channel, ChannelChoiceRequest, ChannelKind, CodeRequest,
    CreateFlowRequest, ErrorBody, ErrorDetail, FlowObject, LoginRequest, OutboxEntry, OutboxKind,
    PasswordRequest, ReviewRequest, Step,
};
use resetflow::Timestamp;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// `text` parses to `expected`, and `expected` serialises to the JSON `text`.
fn round_trip<T>(text: &str, expected: &T)
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let parsed: T = serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(&parsed, expected, "{text}");
    let written = serde_json::to_value(expected).unwrap();
    let reference: Value = serde_json::from_str(text).unwrap();
    assert_eq!(written, reference, "{text}");
}

#[test]
fn create_flow_request() {
    round_trip(
        r#"{"identifier": "demo@example.com", "locale": "de-DE", "region": "DE"}"#,
        &CreateFlowRequest {
            identifier: "demo@example.com".into(),
            locale: Some("de-DE".into()),
            region: Some("DE".into()),
        },
    );
    round_trip(
        r#"{"identifier": "100000001"}"#,
        &CreateFlowRequest {
            identifier: "100000001".into(),
            locale: None,
            region: None,
        },
    );
    // `null` for an optional field is read as absent.
    let r: CreateFlowRequest =
        serde_json::from_str(r#"{"identifier": "x", "locale": null}"#).unwrap();
    assert_eq!(r.locale, None);
    assert!(serde_json::from_str::<CreateFlowRequest>(r#"{"locale": "en"}"#).is_err());
    assert!(serde_json::from_str::<CreateFlowRequest>(r#"{"identifier": 5}"#).is_err());
}

#[test]
fn step_requests() {
    round_trip(
        r#"{"answer": "482913"}"#,
        &CaptchaAnswerRequest {
            answer: "482913".into(),
        },
    );
    round_trip(
        r#"{"channel": "sms-1"}"#,
        &ChannelChoiceRequest {
            channel: "sms-1".into(),
        },
    );
    round_trip(
        r#"{"code": "012345"}"#,
        &CodeRequest {
            code: "012345".into(),
        },
    );
    round_trip(
        r#"{"password": "Tr0ub4dor&3x", "confirm": "Tr0ub4dor&3x"}"#,
        &PasswordRequest {
            password: "Tr0ub4dor&3x".into(),
            confirm: "Tr0ub4dor&3x".into(),
        },
    );
    round_trip(
        r#"{"contact": "+4917012345678", "message": "Phone stolen, old mail closed."}"#,
        &ReviewRequest {
            contact: "+4917012345678".into(),
            message: "Phone stolen, old mail closed.".into(),
        },
    );
    round_trip(
        r#"{"identifier": "100000001", "password": "correct horse battery"}"#,
        &LoginRequest {
            identifier: "100000001".into(),
            password: "correct horse battery".into(),
        },
    );
    assert!(serde_json::from_str::<PasswordRequest>(r#"{"password": "x"}"#).is_err());
    assert!(serde_json::from_str::<CodeRequest>(r#"{"code": 123456}"#).is_err());
}

fn sms() -> Channel {
    Channel {
        id: "sms-1".into(),
        kind: ChannelKind::Sms,
        to: "+49 ••• •••• 89".into(),
    }
}

fn email() -> Channel {
    Channel {
        id: "email-1".into(),
        kind: ChannelKind::Email,
        to: "d•••@example.com".into(),
    }
}

#[test]
fn flow_object() {
    round_trip(
        r#"{
            "id": "f-7Jq2",
            "step": "code",
            "identifier": "10•••01",
            "channels": [
                {"id": "sms-1", "kind": "sms", "to": "+49 ••• •••• 89"},
                {"id": "email-1", "kind": "email", "to": "d•••@example.com"}
            ],
            "attempts_left": 5,
            "resend_after": 60,
            "expires_at": 1800000900,
            "code_channel": "sms-1"
        }"#,
        &FlowObject {
            id: "f-7Jq2".into(),
            step: Step::Code,
            identifier: "10•••01".into(),
            channels: vec![sms(), email()],
            attempts_left: Some(5),
            resend_after: Some(60),
            expires_at: 1_800_000_900,
            code_channel: Some("sms-1".into()),
        },
    );
    round_trip(
        r#"{
            "id": "f-1", "step": "review_pending", "identifier": "d•••@example.com",
            "channels": [], "attempts_left": null, "resend_after": null,
            "expires_at": 1800604900, "code_channel": null
        }"#,
        &FlowObject {
            id: "f-1".into(),
            step: Step::ReviewPending,
            identifier: "d•••@example.com".into(),
            channels: vec![],
            attempts_left: None,
            resend_after: None,
            expires_at: 1_800_604_900,
            code_channel: None,
        },
    );
}

#[test]
fn every_step_name_on_the_wire() {
    for (name, step) in [
        ("captcha", Step::Captcha),
        ("channel", Step::Channel),
        ("code", Step::Code),
        ("password", Step::Password),
        ("review_pending", Step::ReviewPending),
        ("done", Step::Done),
        ("locked", Step::Locked),
    ] {
        round_trip(&format!("\"{name}\""), &step);
    }
    assert!(serde_json::from_str::<Step>("\"expired\"").is_err());
    assert!(serde_json::from_str::<Step>("\"ReviewPending\"").is_err());
    assert!(serde_json::from_str::<ChannelKind>("\"phone\"").is_err());
}

#[test]
fn error_body() {
    round_trip(
        r#"{"error": {"code": "captcha.mismatch", "message": "The digits do not match."}}"#,
        &ErrorBody::new("captcha.mismatch", "The digits do not match."),
    );
    round_trip(
        r#"{"error": {"code": "code.cooldown", "message": "Wait 42 s.", "retry_after": 42}}"#,
        &ErrorBody {
            error: ErrorDetail {
                code: "code.cooldown".into(),
                message: "Wait 42 s.".into(),
                retry_after: Some(42),
            },
        },
    );
}

#[test]
fn outbox_entries() {
    round_trip(
        r#"[
            {"kind": "captcha", "to": "f-7Jq2", "text": "captcha issued", "secret": "482913"},
            {"kind": "sms", "to": "+4915123456789", "text": "Your code: 012345", "secret": "012345"},
            {"kind": "email", "to": "demo@example.com", "text": "Your code: 999000", "secret": "999000"}
        ]"#,
        &vec![
            OutboxEntry {
                kind: OutboxKind::Captcha,
                to: "f-7Jq2".into(),
                text: "captcha issued".into(),
                secret: "482913".into(),
            },
            OutboxEntry {
                kind: OutboxKind::Sms,
                to: "+4915123456789".into(),
                text: "Your code: 012345".into(),
                secret: "012345".into(),
            },
            OutboxEntry {
                kind: OutboxKind::Email,
                to: "demo@example.com".into(),
                text: "Your code: 999000".into(),
                secret: "999000".into(),
            },
        ],
    );
}

const L: Limits = Limits::DEFAULT;

fn at(secs: u64) -> Timestamp {
    Timestamp::from_unix_secs(1_800_000_000 + secs)
}

/// A flow stored by the server reads back as the same flow, and its stored
/// form is the documented shape.
#[test]
fn stored_flows_round_trip() {
    let f = Flow::start("10•••01".into(), vec![sms(), email()], at(0), &L).flow;
    let f = f.handle(Event::CaptchaSolved, at(2), &L).unwrap().flow;
    let f = f
        .handle(
            Event::ChannelChosen {
                channel: "sms-1".into(),
            },
            at(10),
            &L,
        )
        .unwrap()
        .flow;
    let f = f.handle(Event::CodeWrong, at(20), &L).unwrap().flow;
    let stored = serde_json::to_value(&f).unwrap();
    assert_eq!(
        stored,
        json!({
            "identifier": "10•••01",
            "channels": [
                {"id": "sms-1", "kind": "sms", "to": "+49 ••• •••• 89"},
                {"id": "email-1", "kind": "email", "to": "d•••@example.com"}
            ],
            "created_at": 1_800_000_000u64,
            "expires_at": 1_800_000_900u64,
            "state": {"step": "code", "channel": "sms-1", "sent_at": 1_800_000_010u64, "failures": 1},
            "sends": 1,
            "last_sent_at": 1_800_000_010u64,
            "reviewed_contact": null,
            "revision": 3
        })
    );
    let back: Flow = serde_json::from_value(stored).unwrap();
    assert_eq!(back, f);
    assert_eq!(back.attempts_left(&L), Some(4));
}

#[test]
fn stored_locked_flow_reads_with_its_reason() {
    let text = r#"{
        "identifier": "d•••@example.com", "channels": [],
        "created_at": 1800000000, "expires_at": 1800604900,
        "state": {"step": "locked", "reason": "review_denied"},
        "sends": 0, "last_sent_at": null, "reviewed_contact": null, "revision": 3
    }"#;
    let f: Flow = serde_json::from_str(text).unwrap();
    assert_eq!(f.lock_reason(), Some(LockReason::ReviewDenied));
    assert_eq!(
        f.handle(Event::Revoked, at(5), &L).unwrap_err().code(),
        "review.denied"
    );
}

/// A tampered store (a code step naming a channel the flow does not have)
/// must not make the machine panic.
#[test]
fn a_tampered_stored_flow_does_not_panic() {
    let text = r#"{
        "identifier": "x", "channels": [],
        "created_at": 1800000000, "expires_at": 1800000900,
        "state": {"step": "code", "channel": "gone", "sent_at": 1800000010, "failures": 4000000000},
        "sends": 4294967295, "last_sent_at": 1800000010, "reviewed_contact": null,
        "revision": 18446744073709551615
    }"#;
    let f: Flow = serde_json::from_str(text).unwrap();
    assert_eq!(f.code_channel(), None);
    assert_eq!(f.attempts_left(&L), Some(0));
    assert_eq!(
        f.handle(Event::CodeWrong, at(20), &L).unwrap_err().code(),
        "code.attempts_exhausted"
    );
    assert_eq!(
        f.handle(Event::ResendRequested, at(100), &L)
            .unwrap_err()
            .code(),
        "channel.unknown"
    );
    let t = f.handle(Event::Revoked, at(20), &L).unwrap();
    assert_eq!((t.flow.revision(), t.effects), (0, Vec::<Effect>::new()));
    let w = f.to_wire("f", at(20), &L);
    assert_eq!(w.code_channel.as_deref(), Some("gone"));
    assert!(serde_json::from_str::<Flow>(r#"{"state": {"step": "expired"}}"#).is_err());
}
