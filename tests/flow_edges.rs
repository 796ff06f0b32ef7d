//! The state diagram `src/flow/STATES.md` against the code.
//!
//! The diagram's edges are parsed from the file. Every flow situation below
//! (built only through the public API) meets every kind of event; each
//! accepted transition must be an edge of the diagram, each edge of the
//! diagram must be taken by some situation, and each refusal must be the
//! one the diagram's rules promise. The diagram cannot drift from the code.

use std::collections::BTreeSet;

use resetflow::flow::{Channel, ChannelKind, Event, Flow, FlowError, Limits, Step, Transition};
use resetflow::Timestamp;

const STATES_MD: &str = include_str!("../src/flow/STATES.md");

/// An edge as drawn: `(from, to, event name)`; the guard text is for people.
type Edge = (String, String, String);

fn diagram_edges() -> (Vec<Edge>, Vec<(String, String)>) {
    let block = STATES_MD
        .split("```mermaid")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("STATES.md has a mermaid block");
    let mut lines = block.lines().map(str::trim).filter(|l| !l.is_empty());
    assert_eq!(lines.next(), Some("stateDiagram-v2"));
    let mut edges = Vec::new();
    let mut bare = Vec::new();
    for line in lines {
        let (arrow, label) = match line.split_once(" : ") {
            Some((a, l)) => (a, Some(l)),
            None => (line, None),
        };
        let (from, to) = arrow
            .split_once(" --> ")
            .unwrap_or_else(|| panic!("not an edge: {line}"));
        match label {
            Some(label) => {
                let event = label.split_whitespace().next().expect("label has an event");
                edges.push((from.to_owned(), to.to_owned(), event.to_owned()));
            }
            None => bare.push((from.to_owned(), to.to_owned())),
        }
    }
    (edges, bare)
}

const T0: u64 = 1_800_000_000;

fn at(secs: u64) -> Timestamp {
    Timestamp::from_unix_secs(T0 + secs)
}

fn channels() -> Vec<Channel> {
    vec![
        Channel {
            id: "sms-1".into(),
            kind: ChannelKind::Sms,
            to: "+49 ••• •••• 89".into(),
        },
        Channel {
            id: "email-1".into(),
            kind: ChannelKind::Email,
            to: "d•••@example.com".into(),
        },
    ]
}

fn new_contact() -> Channel {
    Channel {
        id: "review-7".into(),
        kind: ChannelKind::Email,
        to: "n•••@example.org".into(),
    }
}

fn review() -> Event {
    Event::ReviewRequested {
        contact: "new@example.org".into(),
        message: "I lost my phone and my old mailbox was closed.".into(),
    }
}

/// Applies `events` in order, each at its time; panics on a refusal.
fn walk(steps: &[(Event, u64)]) -> Flow {
    let limits = Limits::DEFAULT;
    let mut flow = Flow::start("10•••01".into(), channels(), at(0), &limits).flow;
    for (event, t) in steps {
        flow = flow
            .handle(event.clone(), at(*t), &limits)
            .unwrap_or_else(|e| panic!("{event:?} at +{t}: {e}"))
            .flow;
    }
    flow
}

fn captcha_failures(n: usize) -> Vec<(Event, u64)> {
    (0..n).map(|_| (Event::CaptchaFailed, 1)).collect()
}

fn chosen(id: &str) -> Event {
    Event::ChannelChosen { channel: id.into() }
}

/// A situation: a flow, the time the next event arrives, and a name.
struct Situation {
    name: &'static str,
    flow: Flow,
    now: Timestamp,
}

fn situations() -> Vec<Situation> {
    let to_channel = vec![(Event::CaptchaSolved, 2)];
    let mut to_code = to_channel.clone();
    to_code.push((chosen("sms-1"), 10));
    let with = |base: &[(Event, u64)], more: &[(Event, u64)]| {
        let mut v = base.to_vec();
        v.extend_from_slice(more);
        walk(&v)
    };
    let wrong = |n: usize| vec![(Event::CodeWrong, 20); n];
    let five_sends: Vec<(Event, u64)> = (0..5).map(|i| (chosen("sms-1"), 10 + 60 * i)).collect();
    let mut to_review = to_channel.clone();
    to_review.push((review(), 5));
    let approved = with(
        &to_review,
        &[(
            Event::ReviewApproved {
                channel: new_contact(),
            },
            3_600,
        )],
    );
    let to_password = with(&to_code, &[(Event::CodeVerified, 30)]);

    let s = |name, flow, now| Situation {
        name,
        flow,
        now: at(now),
    };
    vec![
        s("captcha", walk(&[]), 1),
        s("captcha, last attempt", walk(&captcha_failures(4)), 1),
        s("channel", walk(&to_channel), 3),
        s("code, cooldown over", walk(&to_code), 71),
        s("code, in cooldown", walk(&to_code), 15),
        s("code, last attempt", with(&to_code, &wrong(4)), 71),
        s("code, dead by attempts", with(&to_code, &wrong(5)), 71),
        s("code, expired code", walk(&to_code), 610),
        s("code, sends spent", with(&to_channel, &five_sends), 320),
        s("code, after approval", approved.clone(), 3_600 + 61),
        s("password", to_password.clone(), 40),
        s("review_pending from channel", walk(&to_review), 100),
        s(
            "review_pending from code",
            with(&to_code, &[(review(), 20)]),
            100,
        ),
        s(
            "done",
            with(
                &to_code,
                &[(Event::CodeVerified, 30), (Event::PasswordSet, 40)],
            ),
            50,
        ),
        s("locked by captcha", walk(&captcha_failures(5)), 2),
        s(
            "locked by denial",
            with(&to_review, &[(Event::ReviewDenied, 200)]),
            300,
        ),
        s(
            "locked by revocation",
            with(&to_code, &[(Event::Revoked, 20)]),
            30,
        ),
        s("captcha, expired", walk(&[]), 900),
        s("code, expired flow", walk(&to_code), 900),
        s("password, expired", to_password, 901),
        s(
            "review_pending, expired",
            walk(&to_review),
            5 + 7 * 24 * 3600,
        ),
        s(
            "done, expired",
            with(
                &to_code,
                &[(Event::CodeVerified, 30), (Event::PasswordSet, 40)],
            ),
            900,
        ),
        s("locked, expired", walk(&captcha_failures(5)), 10_000),
    ]
}

fn events() -> Vec<Event> {
    vec![
        Event::CaptchaSolved,
        Event::CaptchaFailed,
        Event::CaptchaRenewed,
        chosen("sms-1"),
        chosen("email-1"),
        chosen("no-such-channel"),
        Event::ResendRequested,
        Event::CodeVerified,
        Event::CodeWrong,
        Event::PasswordSet,
        review(),
        Event::ReviewRequested {
            contact: " ".into(),
            message: "help".into(),
        },
        Event::ReviewApproved {
            channel: new_contact(),
        },
        Event::ReviewDenied,
        Event::Revoked,
    ]
}

/// The errors a drawn `(step, event)` pair may still be refused with, by
/// the guards the diagram's rules describe.
fn guard_errors(event: &str) -> &'static [&'static str] {
    match event {
        "ChannelChosen" | "ResendRequested" => {
            &["channel.unknown", "code.send_limit", "code.cooldown"]
        }
        "CodeVerified" | "CodeWrong" => &["code.attempts_exhausted", "code.expired"],
        "ReviewRequested" => &["review.contact_required"],
        _ => &[],
    }
}

#[test]
fn code_and_diagram_have_the_same_edges() {
    let (drawn, bare) = diagram_edges();
    let drawn_set: BTreeSet<Edge> = drawn.iter().cloned().collect();
    let drawn_pairs: BTreeSet<(String, String)> = drawn
        .iter()
        .map(|(from, _, event)| (from.clone(), event.clone()))
        .collect();
    let limits = Limits::DEFAULT;
    let mut taken = BTreeSet::new();

    let start = Flow::start("10•••01".into(), channels(), at(0), &limits);
    taken.insert((
        "[*]".to_owned(),
        start.flow.step().to_string(),
        "start".to_owned(),
    ));

    for situation in situations() {
        let from = situation.flow.step().to_string();
        for event in events() {
            let name = event.name();
            let context = format!("{} + {name} ({event:?})", situation.name);
            match situation.flow.handle(event.clone(), situation.now, &limits) {
                Ok(t) => {
                    let edge = (from.clone(), t.flow.step().to_string(), name.to_owned());
                    assert!(
                        drawn_set.contains(&edge),
                        "{context}: {edge:?} is not drawn"
                    );
                    assert_eq!(
                        t.flow.revision(),
                        situation.flow.revision() + 1,
                        "{context}"
                    );
                    taken.insert(edge);
                }
                Err(e) => {
                    let expected = if situation.flow.is_expired(situation.now) {
                        "flow.expired"
                    } else if situation.flow.step() == Step::Done {
                        "flow.completed"
                    } else if let Some(reason) = situation.flow.lock_reason() {
                        reason.error().code()
                    } else if !drawn_pairs.contains(&(from.clone(), name.to_owned())) {
                        "flow.wrong_step"
                    } else {
                        assert!(
                            guard_errors(name).contains(&e.code()),
                            "{context}: drawn edge refused with {}",
                            e.code()
                        );
                        e.code()
                    };
                    assert_eq!(e.code(), expected, "{context}");
                    if let FlowError::WrongStep { step } = e {
                        assert_eq!(step, situation.flow.step(), "{context}");
                    }
                }
            }
        }
    }

    let missing: Vec<&Edge> = drawn_set.difference(&taken).collect();
    assert!(missing.is_empty(), "drawn but never taken: {missing:?}");
    // The only unlabelled edges are the two terminal states' exits.
    let bare: BTreeSet<_> = bare.into_iter().collect();
    let terminal: BTreeSet<_> = [("done", "[*]"), ("locked", "[*]")]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .into_iter()
        .collect();
    assert_eq!(bare, terminal);
}

#[test]
fn every_step_is_drawn_and_terminal_steps_have_no_way_out() {
    let (drawn, _) = diagram_edges();
    for step in Step::ALL {
        let name = step.as_str();
        assert!(
            drawn.iter().any(|(f, t, _)| f == name || t == name),
            "{name} is not in the diagram"
        );
        if step.is_terminal() {
            assert!(
                !drawn.iter().any(|(f, _, _)| f == name),
                "{name} has an exit"
            );
        }
    }
    for (from, to, _) in &drawn {
        assert!(
            from == "[*]" || Step::from_name(from).is_some(),
            "unknown state {from}"
        );
        assert!(Step::from_name(to).is_some(), "unknown state {to}");
    }
}

#[test]
fn drawn_event_names_are_event_variants() {
    let (drawn, _) = diagram_edges();
    let names: BTreeSet<&str> = events().iter().map(Event::name).collect();
    for (_, _, event) in &drawn {
        assert!(
            event == "start" || names.contains(event.as_str()),
            "{event}"
        );
    }
}

/// A transition accepted with a counted error is still an edge; make sure the
/// matrix above saw both kinds for the counted events.
#[test]
fn counted_wrong_answers_are_accepted_with_an_error() {
    let limits = Limits::DEFAULT;
    let flow = walk(&[]);
    let t: Transition = flow.handle(Event::CaptchaFailed, at(1), &limits).unwrap();
    assert_eq!(t.rejected, Some(FlowError::CaptchaMismatch));
    let code = walk(&[(Event::CaptchaSolved, 2), (chosen("sms-1"), 10)]);
    let t = code.handle(Event::CodeWrong, at(11), &limits).unwrap();
    assert_eq!(t.rejected, Some(FlowError::CodeMismatch));
}
