//! The flow machine and the display masks in a real browser.
//!
//! Each test runs natively under `cargo test` and in headless Chromium under
//! `cargo test --target wasm32-unknown-unknown --test flow_wasm`, so the
//! wasm build of the machine cannot disagree with the native one unnoticed.

use resetflow::flow::{Channel, ChannelKind, Effect, Event, Flow, FlowError, Limits, Step};
use resetflow::protocol::{mask_email, mask_phone, Route, Routes};
use resetflow::Timestamp;
use wasm_bindgen_test::wasm_bindgen_test;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test(unsupported = test)]
fn masks_match_native() {
    assert_eq!(mask_email("john@example.com"), "j•••@example.com");
    assert_eq!(mask_phone("+4915123456789"), "+49 ••• •••• 89");
    assert_eq!(
        Routes::default().path(Route::CodeVerify, "a/b"),
        "/api/recovery/flows/a%2Fb/code/verify"
    );
}

#[wasm_bindgen_test(unsupported = test)]
fn a_whole_flow_walks_the_same() {
    let l = Limits::DEFAULT;
    // Past 2^32 s: 32-bit arithmetic anywhere on wasm32 would show here.
    let t0 = Timestamp::from_unix_secs(5_000_000_000);
    let sms = Channel {
        id: "c1".into(),
        kind: ChannelKind::Sms,
        to: "+49 ••• •••• 89".into(),
    };
    let f = Flow::start("10•••01".into(), vec![sms], t0, &l).flow;
    let f = f
        .handle(Event::CaptchaSolved, t0.add_secs(3), &l)
        .unwrap()
        .flow;
    let chosen = Event::ChannelChosen {
        channel: "c1".into(),
    };
    let f = f.handle(chosen, t0.add_secs(5), &l).unwrap().flow;
    assert_eq!(
        f.handle(Event::ResendRequested, t0.add_secs(20), &l),
        Err(FlowError::Cooldown {
            retry_after_secs: 45
        })
    );
    let f = f
        .handle(Event::CodeVerified, t0.add_secs(30), &l)
        .unwrap()
        .flow;
    let done = f.handle(Event::PasswordSet, t0.add_secs(40), &l).unwrap();
    assert_eq!(done.flow.step(), Step::Done);
    assert_eq!(done.effects.len(), 3);
    assert_eq!(done.effects[0], Effect::StorePassword);
    assert_eq!(
        done.flow.handle(Event::PasswordSet, t0.add_secs(900), &l),
        Err(FlowError::Expired)
    );
}
