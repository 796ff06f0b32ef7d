//! The numbers of SPEC section 5 as one flow enforces them, the effects of
//! each transition, and every refusal. Expected values are written by hand
//! from the spec, not taken from the code.

use resetflow::flow::{
    Channel, ChannelKind, Effect, Event, Flow, FlowError, Limits, LockReason, Step, Transition,
};
use resetflow::Timestamp;

const T0: u64 = 1_800_000_000;

fn at(secs: u64) -> Timestamp {
    Timestamp::from_unix_secs(T0 + secs)
}

fn ch(id: &str, kind: ChannelKind, to: &str) -> Channel {
    Channel {
        id: id.into(),
        kind,
        to: to.into(),
    }
}

fn channels() -> Vec<Channel> {
    vec![
        ch("sms-1", ChannelKind::Sms, "+49 ••• •••• 89"),
        ch("email-1", ChannelKind::Email, "d•••@example.com"),
    ]
}

fn chosen(id: &str) -> Event {
    Event::ChannelChosen { channel: id.into() }
}

const L: Limits = Limits::DEFAULT;

fn start() -> Flow {
    let t = Flow::start("10•••01".into(), channels(), at(0), &L);
    assert_eq!(t.effects, [Effect::IssueCaptcha]);
    assert_eq!(t.rejected, None);
    t.flow
}

fn ok(flow: &Flow, event: Event, secs: u64) -> Transition {
    flow.handle(event.clone(), at(secs), &L)
        .unwrap_or_else(|e| panic!("{event:?} at +{secs} refused: {}", e.code()))
}

fn refused(flow: &Flow, event: Event, secs: u64) -> FlowError {
    match flow.handle(event.clone(), at(secs), &L) {
        Ok(t) => panic!("{event:?} at +{secs} accepted: {:?}", t.flow.step()),
        Err(e) => e,
    }
}

/// A flow at step `code`, its code sent to `sms-1` at +10.
fn at_code() -> Flow {
    let f = ok(&start(), Event::CaptchaSolved, 2).flow;
    ok(&f, chosen("sms-1"), 10).flow
}

// --- captcha -------------------------------------------------------------

#[test]
fn five_wrong_captchas_lock_the_flow() {
    let mut f = start();
    assert_eq!(f.attempts_left(&L), Some(5));
    for n in 1..=4u32 {
        let t = ok(&f, Event::CaptchaFailed, u64::from(n));
        assert_eq!(t.rejected, Some(FlowError::CaptchaMismatch));
        assert_eq!(
            t.effects,
            [Effect::IssueCaptcha],
            "a wrong answer gets a new image"
        );
        assert_eq!(t.flow.step(), Step::Captcha);
        assert_eq!(t.flow.attempts_left(&L), Some(5 - n));
        f = t.flow;
    }
    let t = ok(&f, Event::CaptchaFailed, 5);
    assert_eq!(t.rejected, Some(FlowError::Locked));
    assert_eq!(t.effects, []);
    assert_eq!(t.flow.step(), Step::Locked);
    assert_eq!(t.flow.lock_reason(), Some(LockReason::CaptchaAttempts));
    assert_eq!(t.flow.attempts_left(&L), None);
    for event in [Event::CaptchaSolved, Event::CaptchaRenewed, Event::Revoked] {
        assert_eq!(refused(&t.flow, event, 6).code(), "flow.locked");
    }
}

#[test]
fn four_wrong_captchas_then_a_right_one_pass() {
    let mut f = start();
    for _ in 0..4 {
        f = ok(&f, Event::CaptchaFailed, 1).flow;
    }
    let t = ok(&f, Event::CaptchaSolved, 2);
    assert_eq!(t.flow.step(), Step::Channel);
    assert_eq!(t.effects, []);
    assert_eq!(t.rejected, None);
}

#[test]
fn renewing_the_captcha_costs_no_attempt() {
    let f = ok(&start(), Event::CaptchaFailed, 1).flow;
    let t = ok(&f, Event::CaptchaRenewed, 2);
    assert_eq!(t.effects, [Effect::IssueCaptcha]);
    assert_eq!(t.rejected, None);
    assert_eq!(t.flow.attempts_left(&L), Some(4));
}

#[test]
fn small_limits_are_honoured() {
    let limits = Limits {
        captcha_attempts: 2,
        ..Limits::DEFAULT
    };
    let f = Flow::start("x".into(), channels(), at(0), &limits).flow;
    let f = f.handle(Event::CaptchaFailed, at(1), &limits).unwrap().flow;
    assert_eq!(f.step(), Step::Captcha);
    let f = f.handle(Event::CaptchaFailed, at(1), &limits).unwrap().flow;
    assert_eq!(f.step(), Step::Locked);

    let zero = Limits {
        captcha_attempts: 0,
        ..Limits::DEFAULT
    };
    let f = Flow::start("x".into(), channels(), at(0), &zero).flow;
    assert_eq!(f.attempts_left(&zero), Some(1));
    assert_eq!(
        f.handle(Event::CaptchaFailed, at(1), &zero)
            .unwrap()
            .flow
            .step(),
        Step::Locked
    );
}

// --- channel and sends ---------------------------------------------------

#[test]
fn only_a_channel_of_this_flow_can_be_chosen() {
    let f = ok(&start(), Event::CaptchaSolved, 2).flow;
    assert_eq!(refused(&f, chosen("sms-2"), 3), FlowError::UnknownChannel);
    assert_eq!(refused(&f, chosen(""), 3), FlowError::UnknownChannel);
    assert_eq!(refused(&f, chosen("SMS-1"), 3), FlowError::UnknownChannel);
    let t = ok(&f, chosen("email-1"), 3);
    assert_eq!(t.flow.step(), Step::Code);
    assert_eq!(
        t.effects,
        [Effect::SendCode {
            channel: "email-1".into()
        }]
    );
    assert_eq!(
        t.flow.code_channel().map(|c| c.id.as_str()),
        Some("email-1")
    );
    assert_eq!(t.flow.attempts_left(&L), Some(5));
    assert_eq!(t.flow.sends(), 1);
}

#[test]
fn resend_cooldown_reports_exact_seconds() {
    let f = at_code(); // sent at +10
    for (now, left) in [(10, 60), (11, 59), (40, 30), (69, 1)] {
        let e = refused(&f, Event::ResendRequested, now);
        assert_eq!(
            e,
            FlowError::Cooldown {
                retry_after_secs: left
            },
            "at +{now}"
        );
        assert_eq!(e.retry_after_secs(), Some(left));
        assert_eq!(e.code(), "code.cooldown");
        // Switching channel is a send too: the same cooldown.
        assert_eq!(refused(&f, chosen("email-1"), now), e);
        assert_eq!(f.resend_after(at(now), &L), Some(left));
    }
    assert_eq!(f.resend_after(at(70), &L), Some(0));
    let t = ok(&f, Event::ResendRequested, 70);
    assert_eq!(
        t.effects,
        [Effect::SendCode {
            channel: "sms-1".into()
        }]
    );
    assert_eq!(t.flow.resend_after(at(70), &L), Some(60));
    let t = ok(&t.flow, chosen("email-1"), 130);
    assert_eq!(
        t.effects,
        [Effect::SendCode {
            channel: "email-1".into()
        }]
    );
    assert_eq!(
        t.flow.code_channel().map(|c| c.id.as_str()),
        Some("email-1")
    );
}

#[test]
fn a_new_send_gives_a_new_code_with_fresh_attempts() {
    let mut f = at_code();
    for _ in 0..3 {
        f = ok(&f, Event::CodeWrong, 20).flow;
    }
    assert_eq!(f.attempts_left(&L), Some(2));
    let f = ok(&f, Event::ResendRequested, 70).flow;
    assert_eq!(f.attempts_left(&L), Some(5));
    assert_eq!(f.code_expires_at(&L), Some(at(70 + 600)));
}

#[test]
fn five_sends_per_flow_then_none() {
    let mut f = ok(&start(), Event::CaptchaSolved, 2).flow;
    for i in 0..5 {
        f = ok(
            &f,
            chosen(if i % 2 == 0 { "sms-1" } else { "email-1" }),
            10 + 60 * i,
        )
        .flow;
    }
    assert_eq!(f.sends(), 5);
    // The budget is reported before the cooldown: waiting would not help.
    assert_eq!(
        refused(&f, Event::ResendRequested, 250),
        FlowError::SendLimit
    );
    assert_eq!(refused(&f, chosen("email-1"), 400), FlowError::SendLimit);
    assert_eq!(f.resend_after(at(400), &L), None);
    // The last code still works, and a review is still possible.
    assert_eq!(ok(&f, Event::CodeVerified, 400).flow.step(), Step::Password);
}

// --- code ----------------------------------------------------------------

#[test]
fn five_wrong_codes_kill_the_code_not_the_flow() {
    let mut f = at_code();
    for n in 1..=4u32 {
        let t = ok(&f, Event::CodeWrong, 20);
        assert_eq!(t.rejected, Some(FlowError::CodeMismatch));
        assert_eq!(t.effects, []);
        assert_eq!(t.flow.attempts_left(&L), Some(5 - n));
        f = t.flow;
    }
    let t = ok(&f, Event::CodeWrong, 20);
    assert_eq!(t.rejected, Some(FlowError::CodeAttemptsExhausted));
    assert_eq!(t.flow.step(), Step::Code);
    assert_eq!(t.flow.attempts_left(&L), Some(0));
    let dead = t.flow;
    // Even the right code is refused now, and nothing more is counted.
    assert_eq!(
        refused(&dead, Event::CodeVerified, 21),
        FlowError::CodeAttemptsExhausted
    );
    assert_eq!(
        refused(&dead, Event::CodeWrong, 21),
        FlowError::CodeAttemptsExhausted
    );
    // Only a new send leads on (after the cooldown since +10).
    assert_eq!(
        refused(&dead, Event::ResendRequested, 21).code(),
        "code.cooldown"
    );
    let fresh = ok(&dead, Event::ResendRequested, 70).flow;
    assert_eq!(
        ok(&fresh, Event::CodeVerified, 71).flow.step(),
        Step::Password
    );
}

#[test]
fn the_code_is_valid_for_ten_minutes() {
    let f = at_code(); // sent at +10, valid until +610 exclusive
    assert_eq!(f.code_expires_at(&L), Some(at(610)));
    assert_eq!(ok(&f, Event::CodeVerified, 609).flow.step(), Step::Password);
    assert_eq!(
        refused(&f, Event::CodeVerified, 610),
        FlowError::CodeExpired
    );
    assert_eq!(
        refused(&f, Event::CodeVerified, 611),
        FlowError::CodeExpired
    );
    // A wrong code after expiry is not counted either.
    assert_eq!(refused(&f, Event::CodeWrong, 610), FlowError::CodeExpired);
    assert_eq!(
        ok(&f, Event::CodeWrong, 609).rejected,
        Some(FlowError::CodeMismatch)
    );
    // A new code revives the step.
    let f = ok(&f, Event::ResendRequested, 610).flow;
    assert_eq!(ok(&f, Event::CodeVerified, 700).flow.step(), Step::Password);
}

// --- lifetime ------------------------------------------------------------

#[test]
fn the_flow_lives_fifteen_minutes() {
    let f = start();
    assert_eq!(f.created_at(), at(0));
    assert_eq!(f.expires_at(), at(900));
    assert!(!f.is_expired(at(899)));
    assert!(f.is_expired(at(900)));
    assert_eq!(ok(&f, Event::CaptchaSolved, 899).flow.step(), Step::Channel);
    assert_eq!(refused(&f, Event::CaptchaSolved, 900), FlowError::Expired);
    assert_eq!(refused(&f, Event::CaptchaSolved, 901), FlowError::Expired);
    // Later steps do not extend it, even with a code valid beyond it.
    let code = ok(&at_code(), Event::ResendRequested, 400).flow;
    assert_eq!(code.expires_at(), at(900));
    assert_eq!(code.code_expires_at(&L), Some(at(1_000)));
    assert_eq!(
        ok(&code, Event::CodeVerified, 899).flow.expires_at(),
        at(900)
    );
    assert_eq!(refused(&code, Event::CodeVerified, 900), FlowError::Expired);
}

#[test]
fn expiry_is_checked_before_anything_else() {
    let f = start();
    // An event of the wrong step, a terminal flow: expiry still wins.
    assert_eq!(refused(&f, Event::PasswordSet, 900), FlowError::Expired);
    let mut locked = f.clone();
    for _ in 0..5 {
        locked = ok(&locked, Event::CaptchaFailed, 1).flow;
    }
    assert_eq!(
        refused(&locked, Event::CaptchaSolved, 899),
        FlowError::Locked
    );
    assert_eq!(
        refused(&locked, Event::CaptchaSolved, 900),
        FlowError::Expired
    );
    // A code in cooldown in an expired flow: expired, not cooldown.
    assert_eq!(
        refused(&at_code(), Event::ResendRequested, 900),
        FlowError::Expired
    );
}

#[test]
fn a_clock_behind_the_start_does_not_panic() {
    let f = at_code();
    let before = Timestamp::from_unix_secs(T0 - 100);
    assert_eq!(
        f.handle(Event::ResendRequested, before, &L),
        Err(FlowError::Cooldown {
            retry_after_secs: 170
        })
    );
    assert_eq!(
        f.handle(Event::CodeVerified, before, &L)
            .unwrap()
            .flow
            .step(),
        Step::Password
    );
}

// --- password and completion ---------------------------------------------

#[test]
fn setting_the_password_completes_and_revokes() {
    let f = ok(&at_code(), Event::CodeVerified, 30).flow;
    assert_eq!(f.attempts_left(&L), None);
    let t = ok(&f, Event::PasswordSet, 40);
    assert_eq!(t.flow.step(), Step::Done);
    assert_eq!(
        t.effects,
        [
            Effect::StorePassword,
            Effect::RevokeOtherFlowsAndSessions,
            Effect::NotifyAllChannels
        ]
    );
    for event in [Event::PasswordSet, Event::CodeVerified, Event::Revoked] {
        assert_eq!(refused(&t.flow, event, 41), FlowError::Completed);
    }
}

#[test]
fn revocation_locks_every_live_step() {
    let live = [
        start(),
        ok(&start(), Event::CaptchaSolved, 2).flow,
        at_code(),
        ok(&at_code(), Event::CodeVerified, 30).flow,
    ];
    for f in live {
        let t = ok(&f, Event::Revoked, 50);
        assert_eq!(t.flow.step(), Step::Locked);
        assert_eq!(t.flow.lock_reason(), Some(LockReason::Revoked));
        assert_eq!(t.effects, []);
        assert_eq!(t.rejected, None);
        assert_eq!(refused(&t.flow, Event::PasswordSet, 51), FlowError::Revoked);
        assert_eq!(
            refused(&t.flow, Event::PasswordSet, 51).code(),
            "flow.revoked"
        );
    }
}

// --- review --------------------------------------------------------------

fn review(contact: &str, message: &str) -> Event {
    Event::ReviewRequested {
        contact: contact.into(),
        message: message.into(),
    }
}

#[test]
fn review_is_queued_and_waits_seven_days() {
    let f = ok(&start(), Event::CaptchaSolved, 2).flow;
    let t = ok(&f, review(" new@example.org ", "  lost my phone \n"), 100);
    assert_eq!(t.flow.step(), Step::ReviewPending);
    assert_eq!(
        t.effects,
        [Effect::QueueReview {
            contact: "new@example.org".into(),
            message: "lost my phone".into()
        }]
    );
    assert_eq!(t.flow.expires_at(), at(100 + 604_800));
    let pending = t.flow;
    // Long after the 15 minutes, within the week, the operator decides.
    let approved = ok(
        &pending,
        Event::ReviewApproved {
            channel: ch("rev-1", ChannelKind::Email, "n•••@example.org"),
        },
        2 * 86_400,
    );
    assert_eq!(approved.flow.step(), Step::Code);
    assert_eq!(
        approved.effects,
        [Effect::SendCode {
            channel: "rev-1".into()
        }]
    );
    assert_eq!(approved.flow.expires_at(), at(2 * 86_400 + 900));
    assert_eq!(
        approved.flow.channels(),
        [ch("rev-1", ChannelKind::Email, "n•••@example.org")]
    );
    assert_eq!(
        approved.flow.code_channel().map(|c| c.id.as_str()),
        Some("rev-1")
    );
    assert_eq!(approved.flow.resend_after(at(2 * 86_400), &L), Some(60));
    // The old channels are gone from the flow.
    assert_eq!(
        refused(&approved.flow, chosen("sms-1"), 2 * 86_400 + 61),
        FlowError::UnknownChannel
    );
    // Completing a reviewed flow replaces the account's contacts.
    let f = ok(&approved.flow, Event::CodeVerified, 2 * 86_400 + 5).flow;
    let done = ok(&f, Event::PasswordSet, 2 * 86_400 + 6);
    assert_eq!(
        done.effects,
        [
            Effect::StorePassword,
            Effect::ReplaceContacts {
                channel: ch("rev-1", ChannelKind::Email, "n•••@example.org")
            },
            Effect::RevokeOtherFlowsAndSessions,
            Effect::NotifyAllChannels
        ]
    );
    // The pending review itself expires after the week.
    assert_eq!(
        refused(&pending, Event::ReviewDenied, 100 + 604_800),
        FlowError::Expired
    );
}

#[test]
fn review_can_be_asked_from_the_code_step() {
    let t = ok(
        &at_code(),
        review("+4917000000000", "the SMS never arrives"),
        30,
    );
    assert_eq!(t.flow.step(), Step::ReviewPending);
    assert_eq!(t.flow.resend_after(at(30), &L), None);
}

#[test]
fn denied_review_locks() {
    let f = ok(&start(), Event::CaptchaSolved, 2).flow;
    let f = ok(&f, review("new@example.org", "help"), 3).flow;
    let t = ok(&f, Event::ReviewDenied, 4);
    assert_eq!(t.flow.lock_reason(), Some(LockReason::ReviewDenied));
    assert_eq!(t.effects, []);
    assert_eq!(
        refused(&t.flow, Event::CodeVerified, 5).code(),
        "review.denied"
    );
}

#[test]
fn malformed_review_requests_are_refused() {
    let limits = Limits {
        review_message_max_chars: 5,
        ..Limits::DEFAULT
    };
    let f = ok(&start(), Event::CaptchaSolved, 2).flow;
    let go = |e| f.handle(e, at(3), &limits);
    assert_eq!(
        go(review("", "help")).unwrap_err(),
        FlowError::ReviewContactRequired
    );
    assert_eq!(
        go(review(" \t", "help")).unwrap_err(),
        FlowError::ReviewContactRequired
    );
    assert_eq!(
        go(review("a@b.c", "")).unwrap_err(),
        FlowError::ReviewMessageRequired
    );
    assert_eq!(
        go(review("a@b.c", "\n ")).unwrap_err(),
        FlowError::ReviewMessageRequired
    );
    // Five scalars (not bytes) pass; six do not.
    assert!(go(review("a@b.c", "ääääü")).is_ok());
    assert_eq!(
        go(review("a@b.c", "ääääüü")).unwrap_err(),
        FlowError::ReviewMessageTooLong
    );
    assert_eq!(
        go(review("a@b.c", "12345")).unwrap().flow.step(),
        Step::ReviewPending
    );
}

// --- wrong steps -----------------------------------------------------------

#[test]
fn events_of_other_steps_are_refused_with_the_current_step() {
    let channel = ok(&start(), Event::CaptchaSolved, 2).flow;
    let cases: Vec<(Flow, Event)> = vec![
        (start(), Event::CodeVerified),
        (start(), chosen("sms-1")),
        (start(), review("a@b.c", "x")),
        (
            start(),
            Event::ReviewApproved {
                channel: channels()[0].clone(),
            },
        ),
        (channel.clone(), Event::CaptchaSolved),
        (channel.clone(), Event::CaptchaRenewed),
        (channel.clone(), Event::ResendRequested),
        (channel.clone(), Event::CodeWrong),
        (at_code(), Event::CaptchaFailed),
        (at_code(), Event::PasswordSet),
        (at_code(), Event::ReviewDenied),
        (
            ok(&at_code(), Event::CodeVerified, 20).flow,
            review("a@b.c", "x"),
        ),
        (
            ok(&at_code(), Event::CodeVerified, 20).flow,
            Event::ResendRequested,
        ),
        (ok(&channel, review("a@b.c", "x"), 3).flow, chosen("sms-1")),
        (
            ok(&channel, review("a@b.c", "x"), 3).flow,
            Event::CodeVerified,
        ),
    ];
    for (f, event) in cases {
        let step = f.step();
        let e = refused(&f, event.clone(), 25);
        assert_eq!(e, FlowError::WrongStep { step }, "{event:?} at {step}");
        assert_eq!(e.code(), "flow.wrong_step");
    }
}

#[test]
fn a_refusal_changes_nothing_and_a_transition_counts_a_revision() {
    let f = at_code();
    let before = f.clone();
    let _ = f.handle(Event::PasswordSet, at(20), &L);
    let _ = f.handle(Event::ResendRequested, at(20), &L);
    assert_eq!(f, before);
    assert_eq!(f.revision(), 2);
    assert_eq!(ok(&f, Event::CodeWrong, 20).flow.revision(), 3);
}

// --- enumeration ------------------------------------------------------------

/// The same script on a real account and on an unknown one (decoy channels
/// with ids of the same form) gives the same steps, errors and effects.
#[test]
fn unknown_accounts_walk_like_known_ones() {
    let real = vec![
        ch("c1", ChannelKind::Sms, "+49 ••• •••• 89"),
        ch("c2", ChannelKind::Email, "d•••@example.com"),
    ];
    let decoy = vec![
        ch("c1", ChannelKind::Sms, "+49 ••• •••• 17"),
        ch("c2", ChannelKind::Email, "m•••@gmail.com"),
    ];
    let script = [
        (Event::CaptchaFailed, 1),
        (Event::CaptchaRenewed, 2),
        (Event::CaptchaSolved, 3),
        (chosen("c9"), 4),
        (chosen("c1"), 5),
        (Event::ResendRequested, 30),
        (Event::CodeWrong, 31),
        (chosen("c2"), 70),
        (review("x@example.org", "no access"), 80),
        (Event::ReviewDenied, 90),
        (Event::CaptchaSolved, 91),
    ];
    let run = |channels: Vec<Channel>| {
        let mut f = Flow::start("10•••01".into(), channels, at(0), &L).flow;
        let mut log = Vec::new();
        for (event, t) in script.clone() {
            match f.handle(event, at(t), &L) {
                Ok(tr) => {
                    log.push(format!(
                        "{} {:?} {:?}",
                        tr.flow.step(),
                        tr.effects,
                        tr.rejected
                    ));
                    f = tr.flow;
                }
                Err(e) => log.push(e.code().to_owned()),
            }
            log.push(format!(
                "{:?} {:?}",
                f.attempts_left(&L),
                f.resend_after(at(t), &L)
            ));
        }
        log
    };
    assert_eq!(run(real), run(decoy));
}

#[test]
fn error_codes_are_stable_and_distinct() {
    let codes: Vec<&str> = FlowError::ALL.iter().map(FlowError::code).collect();
    assert_eq!(
        codes,
        [
            "flow.expired",
            "flow.completed",
            "flow.locked",
            "flow.revoked",
            "review.denied",
            "flow.wrong_step",
            "captcha.mismatch",
            "channel.unknown",
            "code.cooldown",
            "code.send_limit",
            "code.mismatch",
            "code.expired",
            "code.attempts_exhausted",
            "review.contact_required",
            "review.message_required",
            "review.message_too_long",
        ]
    );
    let finals: Vec<&str> = FlowError::ALL
        .iter()
        .filter(|e| e.is_final())
        .map(FlowError::code)
        .collect();
    assert_eq!(
        finals,
        [
            "flow.expired",
            "flow.completed",
            "flow.locked",
            "flow.revoked",
            "review.denied"
        ]
    );
    for e in FlowError::ALL {
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn the_wire_view_of_a_flow() {
    let f = at_code();
    let w = f.to_wire("f-42", at(25), &L);
    assert_eq!(w.id, "f-42");
    assert_eq!(w.step, Step::Code);
    assert_eq!(w.identifier, "10•••01");
    assert_eq!(w.channels, channels());
    assert_eq!(w.attempts_left, Some(5));
    assert_eq!(w.resend_after, Some(45));
    assert_eq!(w.expires_at, T0 + 900);
    assert_eq!(w.code_channel.as_deref(), Some("sms-1"));
    let w = start().to_wire("f-1", at(0), &L);
    assert_eq!(
        (w.step, w.attempts_left, w.resend_after, w.code_channel),
        (Step::Captcha, Some(5), None, None)
    );
}
