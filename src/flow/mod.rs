//! The recovery flow as a pure state machine.
//!
//! A [`Flow`] is the persisted state of one "Forgot password?" attempt. The
//! server loads it, feeds it an [`Event`] with the current time, persists the
//! returned flow and performs the returned [`Effect`]s. Nothing here reads a
//! clock, draws randomness, sends a message or touches storage, so the same
//! code runs in tests, on any server node and in the browser.
//!
//! ```text
//! server                               flow (this module)
//! ------                               ------------------
//! load flow, check captcha token  -->  flow.handle(CaptchaSolved, now, &limits)
//! persist t.flow (if revision     <--  Ok(Transition { flow, effects, rejected })
//!   unchanged), do t.effects,
//!   answer t.rejected or the flow
//! ```
//!
//! The states, their string names (the contract's `step`) and every edge are
//! drawn in `src/flow/STATES.md`; a test parses that diagram and checks that
//! the code has exactly its edges.
//!
//! # Rules every transition keeps
//!
//! - **Expiry first.** A flow at or past [`Flow::expires_at`] refuses every
//!   event with [`FlowError::Expired`], before looking at anything else.
//! - **Terminal states refuse everything**: `done` with
//!   [`FlowError::Completed`], `locked` with [`FlowError::Locked`],
//!   [`FlowError::Revoked`] or [`FlowError::ReviewDenied`] by its
//!   [`LockReason`].
//! - **Each handler re-asserts its state**: an event that does not belong to
//!   the current step is refused with [`FlowError::WrongStep`].
//! - **Refusal changes nothing.** `Err(_)` means the stored flow stands as it
//!   is. A *counted* wrong answer is not a refusal: it is `Ok` with
//!   [`Transition::rejected`] set, and the returned flow (one attempt fewer)
//!   must be persisted before answering with that error.
//! - **No branch on whether the account exists.** The flow has no such
//!   field. For an unknown identifier the server passes decoy channels and
//!   pretends to send; every status, effect and error is then the same as for
//!   a known account.
//! - **No secrets in the flow.** The code, its keyed hash, the captcha answer
//!   and the password stay with the server; the flow keeps only times and
//!   counts, and masked addresses. `Debug` shows nothing secret.
//!
//! # Example
//!
//! ```
//! use resetflow::flow::{Channel, ChannelKind, Effect, Event, Flow, Limits, Step};
//! use resetflow::Timestamp;
//!
//! let limits = Limits::default();
//! let t0 = Timestamp::from_unix_secs(1_800_000_000);
//! let channels = vec![Channel {
//!     id: "c1".into(),
//!     kind: ChannelKind::Email,
//!     to: "d•••@example.com".into(),
//! }];
//! let t = Flow::start("d•••@example.com".into(), channels, t0, &limits);
//! assert_eq!(t.effects, [Effect::IssueCaptcha]);
//! let t = t.flow.handle(Event::CaptchaSolved, t0.add_secs(5), &limits)?;
//! let choose = Event::ChannelChosen { channel: "c1".into() };
//! let t = t.flow.handle(choose, t0.add_secs(9), &limits)?;
//! assert_eq!(t.flow.step(), Step::Code);
//! assert_eq!(t.effects, [Effect::SendCode { channel: "c1".into() }]);
//! // A resend within the cooldown is refused with the seconds left.
//! let err = t.flow.handle(Event::ResendRequested, t0.add_secs(10), &limits).unwrap_err();
//! assert_eq!((err.code(), err.retry_after_secs()), ("code.cooldown", Some(59)));
//! # Ok::<(), resetflow::flow::FlowError>(())
//! ```
//!
//! # How SPEC section 1 and 5 are read here
//!
//! - **A dead code keeps the flow at `code`.** After the 5th wrong code (or
//!   10 min) the code is refused even when right; a new send (resend or
//!   another channel, after the cooldown) gives a new code with fresh
//!   attempts, and review stays possible. The flow is not locked: SPEC says
//!   the *code* becomes invalid. Online guessing is bounded by
//!   `sends_per_flow × code_attempts` (25) tries of 10⁶ per flow.
//! - **Every send pays the same limits**, whatever the path: a resend, a
//!   switch of channel and a first send share one cooldown and one per-flow
//!   budget (5, the per-identifier hourly budget, which one flow of 15 min
//!   can never exceed). Per-identifier and per-IP limits across flows are the
//!   server's.
//! - **The 5th wrong captcha locks at once**; its answer is `flow.locked`
//!   rather than `captcha.mismatch`, so the client learns the new step.
//! - **Manual review** may be asked from `channel` and from `code` (where a
//!   user learns that no code arrives). It gives the flow 7 days to wait for
//!   an operator instead of 15 minutes. Approval makes the reviewed contact
//!   the only channel, sends it a code and restarts the lifetime and the send
//!   budget. The account's contacts are replaced only when that flow
//!   completes ([`Effect::ReplaceContacts`]), after the user has proved they
//!   read the new contact: a typo in the contact must not cost the owner
//!   every channel. Denial locks the flow (`review.denied`).
//! - **Revocation** (another flow of the account completed) locks any live
//!   flow (`flow.revoked`).
//! - **`expired` is not a state** but a condition checked first, so an
//!   expired `done` flow answers `flow.expired` too.
//!
//! # Concurrency
//!
//! Counting attempts is only sound if two requests cannot both start from
//! the same stored flow: ten parallel wrong codes would otherwise cost one
//! attempt. Every transition increments [`Flow::revision`]; the server must
//! persist with a compare-and-swap on it (`UPDATE … WHERE id = ? AND
//! revision = ?`) and treat a lost race as a retryable conflict.
//!
//! [`Flow`]: crate::flow::Flow
//! [`Event`]: crate::flow::Event
//! [`Effect`]: crate::flow::Effect
//! [`Effect::ReplaceContacts`]: crate::flow::Effect::ReplaceContacts
//! [`Flow::expires_at`]: crate::flow::Flow::expires_at
//! [`Flow::revision`]: crate::flow::Flow::revision
//! [`FlowError::Completed`]: crate::flow::FlowError::Completed
//! [`FlowError::Expired`]: crate::flow::FlowError::Expired
//! [`FlowError::Locked`]: crate::flow::FlowError::Locked
//! [`FlowError::ReviewDenied`]: crate::flow::FlowError::ReviewDenied
//! [`FlowError::Revoked`]: crate::flow::FlowError::Revoked
//! [`FlowError::WrongStep`]: crate::flow::FlowError::WrongStep
//! [`LockReason`]: crate::flow::LockReason
//! [`Transition::rejected`]: crate::flow::Transition::rejected

mod error;
mod event;
mod limits;

pub use error::FlowError;
pub use event::{Effect, Event};
pub use limits::Limits;

pub use crate::protocol::{Channel, ChannelKind, Step};

use crate::protocol::FlowObject;
use crate::Timestamp;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// One recovery attempt: what the server persists between requests.
///
/// Created by [`Flow::start`], moved on by [`Flow::handle`]. With the
/// `serde` feature it serialises to a self-describing JSON object for
/// storage (timestamps as Unix seconds); the store is trusted, but a
/// tampered value still cannot make [`Flow::handle`] panic.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Flow {
    /// The identifier the flow was started with, masked.
    identifier: String,
    /// Where codes may go; decoys for an unknown account.
    channels: Vec<Channel>,
    #[cfg_attr(feature = "serde", serde(with = "ts"))]
    created_at: Timestamp,
    #[cfg_attr(feature = "serde", serde(with = "ts"))]
    expires_at: Timestamp,
    state: State,
    /// Codes sent by this flow.
    sends: u32,
    /// When the last code was sent, for the resend cooldown. Kept across
    /// steps so that switching channel does not skip the cooldown.
    #[cfg_attr(feature = "serde", serde(with = "opt_ts"))]
    last_sent_at: Option<Timestamp>,
    /// The contact an operator approved, once a review was approved.
    reviewed_contact: Option<Channel>,
    revision: u64,
}

/// The states. Private so that only [`Flow::handle`] moves between them;
/// [`Flow::step`] is the public view.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "step", rename_all = "snake_case"))]
enum State {
    Captcha {
        failures: u32,
    },
    Channel,
    Code {
        channel: String,
        #[cfg_attr(feature = "serde", serde(with = "ts"))]
        sent_at: Timestamp,
        failures: u32,
    },
    Password,
    ReviewPending,
    Done,
    Locked {
        reason: LockReason,
    },
}

/// Why a flow is at step `locked`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum LockReason {
    /// Too many wrong captcha answers ([`FlowError::Locked`]).
    CaptchaAttempts,
    /// An operator denied the review ([`FlowError::ReviewDenied`]).
    ReviewDenied,
    /// Another flow of the account completed ([`FlowError::Revoked`]).
    Revoked,
}

impl LockReason {
    /// The error every event gets from a flow locked for this reason.
    pub const fn error(self) -> FlowError {
        match self {
            LockReason::CaptchaAttempts => FlowError::Locked,
            LockReason::ReviewDenied => FlowError::ReviewDenied,
            LockReason::Revoked => FlowError::Revoked,
        }
    }
}

/// The result of a transition the flow accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use = "the new flow must be persisted and its effects performed"]
pub struct Transition {
    /// The flow to persist in place of the old one.
    pub flow: Flow,
    /// What the server must do after persisting, in this order. Empty means
    /// nothing.
    pub effects: Vec<Effect>,
    /// For a counted wrong answer ([`Event::CaptchaFailed`],
    /// [`Event::CodeWrong`]): the error to answer with, after persisting
    /// `flow` and performing `effects`. `None` means answer with the flow.
    pub rejected: Option<FlowError>,
}

impl Flow {
    /// Starts a flow at step `captcha`.
    ///
    /// `identifier` is the masked identifier (see
    /// [`mask_identifier`](crate::protocol::mask_identifier)); `channels` are
    /// the account's channels with masked addresses, or stable decoys when
    /// the identifier is unknown — the flow must not be able to tell. Channel
    /// ids should be unique; a lookup takes the first match. The flow lives
    /// until `now + limits.flow_lifetime_secs`.
    ///
    /// The transition's only effect is [`Effect::IssueCaptcha`].
    pub fn start(
        identifier: String,
        channels: Vec<Channel>,
        now: Timestamp,
        limits: &Limits,
    ) -> Transition {
        let flow = Flow {
            identifier,
            channels,
            created_at: now,
            expires_at: now.add_secs(limits.flow_lifetime_secs),
            state: State::Captcha { failures: 0 },
            sends: 0,
            last_sent_at: None,
            reviewed_contact: None,
            revision: 0,
        };
        Transition {
            flow,
            effects: vec![Effect::IssueCaptcha],
            rejected: None,
        }
    }

    /// Applies `event`, observed at `now`, under `limits`.
    ///
    /// `&self` is not changed: on `Ok` persist [`Transition::flow`]; on
    /// `Err` the stored flow stands. Every input here may come from an
    /// attacker (through the server): no input makes this panic, and the
    /// work is linear in the number of channels and the length of a review
    /// request, nothing else (the server caps request bodies).
    ///
    /// # Errors
    ///
    /// In this order: [`FlowError::Expired`] when `now >= expires_at`; the
    /// terminal errors ([`FlowError::Completed`], [`FlowError::Locked`],
    /// [`FlowError::Revoked`], [`FlowError::ReviewDenied`]) for a flow at
    /// `done` or `locked`; [`FlowError::WrongStep`] for an event that does
    /// not belong to the current step; then the event's own refusals:
    /// [`FlowError::UnknownChannel`], [`FlowError::SendLimit`],
    /// [`FlowError::Cooldown`] for a send; [`FlowError::CodeAttemptsExhausted`]
    /// and [`FlowError::CodeExpired`] for a code; the `Review*` errors for a
    /// malformed review request.
    pub fn handle(
        &self,
        event: Event,
        now: Timestamp,
        limits: &Limits,
    ) -> Result<Transition, FlowError> {
        if self.is_expired(now) {
            return Err(FlowError::Expired);
        }
        match self.state {
            State::Done => return Err(FlowError::Completed),
            State::Locked { reason } => return Err(reason.error()),
            _ => {}
        }
        match event {
            Event::CaptchaSolved => self.on_captcha_solved(),
            Event::CaptchaFailed => self.on_captcha_failed(limits),
            Event::CaptchaRenewed => self.on_captcha_renewed(),
            Event::ChannelChosen { channel } => self.on_channel_chosen(&channel, now, limits),
            Event::ResendRequested => self.on_resend_requested(now, limits),
            Event::CodeVerified => self.on_code_verified(now, limits),
            Event::CodeWrong => self.on_code_wrong(now, limits),
            Event::PasswordSet => self.on_password_set(),
            Event::ReviewRequested { contact, message } => {
                self.on_review_requested(contact, message, now, limits)
            }
            Event::ReviewApproved { channel } => self.on_review_approved(channel, now, limits),
            Event::ReviewDenied => self.on_review_denied(),
            Event::Revoked => Ok(self.next(
                State::Locked {
                    reason: LockReason::Revoked,
                },
                vec![],
            )),
        }
    }

    fn on_captcha_solved(&self) -> Result<Transition, FlowError> {
        let State::Captcha { .. } = self.state else {
            return Err(self.wrong_step());
        };
        Ok(self.next(State::Channel, vec![]))
    }

    fn on_captcha_failed(&self, limits: &Limits) -> Result<Transition, FlowError> {
        let State::Captcha { failures } = self.state else {
            return Err(self.wrong_step());
        };
        let failures = failures.saturating_add(1);
        if failures >= limits.captcha_attempts() {
            let locked = State::Locked {
                reason: LockReason::CaptchaAttempts,
            };
            Ok(self.next(locked, vec![]).reject(FlowError::Locked))
        } else {
            // The contract promises a new image after a wrong answer.
            Ok(self
                .next(State::Captcha { failures }, vec![Effect::IssueCaptcha])
                .reject(FlowError::CaptchaMismatch))
        }
    }

    fn on_captcha_renewed(&self) -> Result<Transition, FlowError> {
        let State::Captcha { failures } = self.state else {
            return Err(self.wrong_step());
        };
        Ok(self.next(State::Captcha { failures }, vec![Effect::IssueCaptcha]))
    }

    fn on_channel_chosen(
        &self,
        channel: &str,
        now: Timestamp,
        limits: &Limits,
    ) -> Result<Transition, FlowError> {
        let (State::Channel | State::Code { .. }) = self.state else {
            return Err(self.wrong_step());
        };
        self.send_code(channel, now, limits)
    }

    fn on_resend_requested(
        &self,
        now: Timestamp,
        limits: &Limits,
    ) -> Result<Transition, FlowError> {
        let State::Code { ref channel, .. } = self.state else {
            return Err(self.wrong_step());
        };
        self.send_code(channel, now, limits)
    }

    /// The one place a code is sent from, so that every path to a send
    /// (first send, resend, switch of channel) pays the same limits.
    fn send_code(
        &self,
        channel: &str,
        now: Timestamp,
        limits: &Limits,
    ) -> Result<Transition, FlowError> {
        let channel = self
            .channels
            .iter()
            .find(|c| c.id == channel)
            .ok_or(FlowError::UnknownChannel)?;
        // The budget first: waiting out a cooldown to then hear "no more
        // codes" would be a lie.
        if self.sends >= limits.sends_per_flow() {
            return Err(FlowError::SendLimit);
        }
        let wait = self.cooldown_left(now, limits);
        if wait > 0 {
            return Err(FlowError::Cooldown {
                retry_after_secs: wait,
            });
        }
        let mut t = self.next(
            State::Code {
                channel: channel.id.clone(),
                sent_at: now,
                failures: 0,
            },
            vec![Effect::SendCode {
                channel: channel.id.clone(),
            }],
        );
        t.flow.sends = self.sends.saturating_add(1);
        t.flow.last_sent_at = Some(now);
        Ok(t)
    }

    /// Refuses a dead code: too many wrong tries, or too old. Called before
    /// the typed code's result is looked at, so a right code typed too late
    /// is refused like a wrong one.
    fn check_code_alive(
        &self,
        sent_at: Timestamp,
        failures: u32,
        now: Timestamp,
        limits: &Limits,
    ) -> Result<(), FlowError> {
        if failures >= limits.code_attempts() {
            Err(FlowError::CodeAttemptsExhausted)
        } else if now >= sent_at.add_secs(limits.code_validity_secs) {
            Err(FlowError::CodeExpired)
        } else {
            Ok(())
        }
    }

    fn on_code_verified(&self, now: Timestamp, limits: &Limits) -> Result<Transition, FlowError> {
        let State::Code {
            sent_at, failures, ..
        } = self.state
        else {
            return Err(self.wrong_step());
        };
        self.check_code_alive(sent_at, failures, now, limits)?;
        Ok(self.next(State::Password, vec![]))
    }

    fn on_code_wrong(&self, now: Timestamp, limits: &Limits) -> Result<Transition, FlowError> {
        let State::Code {
            ref channel,
            sent_at,
            failures,
        } = self.state
        else {
            return Err(self.wrong_step());
        };
        self.check_code_alive(sent_at, failures, now, limits)?;
        let failures = failures.saturating_add(1);
        let rejection = if failures >= limits.code_attempts() {
            FlowError::CodeAttemptsExhausted
        } else {
            FlowError::CodeMismatch
        };
        let state = State::Code {
            channel: channel.clone(),
            sent_at,
            failures,
        };
        Ok(self.next(state, vec![]).reject(rejection))
    }

    fn on_password_set(&self) -> Result<Transition, FlowError> {
        let State::Password = self.state else {
            return Err(self.wrong_step());
        };
        let mut effects = vec![Effect::StorePassword];
        if let Some(channel) = &self.reviewed_contact {
            effects.push(Effect::ReplaceContacts {
                channel: channel.clone(),
            });
        }
        effects.push(Effect::RevokeOtherFlowsAndSessions);
        effects.push(Effect::NotifyAllChannels);
        Ok(self.next(State::Done, effects))
    }

    fn on_review_requested(
        &self,
        contact: String,
        message: String,
        now: Timestamp,
        limits: &Limits,
    ) -> Result<Transition, FlowError> {
        let (State::Channel | State::Code { .. }) = self.state else {
            return Err(self.wrong_step());
        };
        let contact = contact.trim();
        let message = message.trim();
        if contact.is_empty() {
            return Err(FlowError::ReviewContactRequired);
        }
        if message.is_empty() {
            return Err(FlowError::ReviewMessageRequired);
        }
        // Count without walking an attacker-sized string to its end.
        if message
            .chars()
            .nth(limits.review_message_max_chars)
            .is_some()
        {
            return Err(FlowError::ReviewMessageTooLong);
        }
        let mut t = self.next(
            State::ReviewPending,
            vec![Effect::QueueReview {
                contact: contact.to_owned(),
                message: message.to_owned(),
            }],
        );
        // An operator answers within a working day, not within 15 minutes.
        t.flow.expires_at = now.add_secs(limits.review_lifetime_secs);
        Ok(t)
    }

    fn on_review_approved(
        &self,
        channel: Channel,
        now: Timestamp,
        limits: &Limits,
    ) -> Result<Transition, FlowError> {
        let State::ReviewPending = self.state else {
            return Err(self.wrong_step());
        };
        let mut t = self.next(
            State::Code {
                channel: channel.id.clone(),
                sent_at: now,
                failures: 0,
            },
            vec![Effect::SendCode {
                channel: channel.id.clone(),
            }],
        );
        // The user continues at step 4 with a fresh lifetime and a fresh
        // send budget: the new contact is, in effect, a new identifier.
        t.flow.expires_at = now.add_secs(limits.flow_lifetime_secs);
        t.flow.sends = 1;
        t.flow.last_sent_at = Some(now);
        t.flow.channels = vec![channel.clone()];
        t.flow.reviewed_contact = Some(channel);
        Ok(t)
    }

    fn on_review_denied(&self) -> Result<Transition, FlowError> {
        let State::ReviewPending = self.state else {
            return Err(self.wrong_step());
        };
        let locked = State::Locked {
            reason: LockReason::ReviewDenied,
        };
        Ok(self.next(locked, vec![]))
    }

    fn next(&self, state: State, effects: Vec<Effect>) -> Transition {
        let mut flow = self.clone();
        flow.state = state;
        flow.revision = self.revision.wrapping_add(1);
        Transition {
            flow,
            effects,
            rejected: None,
        }
    }

    fn wrong_step(&self) -> FlowError {
        FlowError::WrongStep { step: self.step() }
    }

    fn cooldown_left(&self, now: Timestamp, limits: &Limits) -> u64 {
        match self.last_sent_at {
            Some(last) => last
                .add_secs(limits.resend_cooldown_secs)
                .as_unix_secs()
                .saturating_sub(now.as_unix_secs()),
            None => 0,
        }
    }

    /// The step, as the contract names it.
    pub fn step(&self) -> Step {
        match self.state {
            State::Captcha { .. } => Step::Captcha,
            State::Channel => Step::Channel,
            State::Code { .. } => Step::Code,
            State::Password => Step::Password,
            State::ReviewPending => Step::ReviewPending,
            State::Done => Step::Done,
            State::Locked { .. } => Step::Locked,
        }
    }

    /// Why the flow is locked, at step `locked`.
    pub fn lock_reason(&self) -> Option<LockReason> {
        match self.state {
            State::Locked { reason } => Some(reason),
            _ => None,
        }
    }

    /// Whether the flow is expired at `now` (`now >= expires_at`).
    pub fn is_expired(&self, now: Timestamp) -> bool {
        now >= self.expires_at
    }

    /// The masked identifier the flow was started with.
    pub fn identifier(&self) -> &str {
        &self.identifier
    }

    /// The channels a code may be sent to.
    pub fn channels(&self) -> &[Channel] {
        &self.channels
    }

    /// When the flow started.
    pub fn created_at(&self) -> Timestamp {
        self.created_at
    }

    /// The first instant at which the flow is expired.
    pub fn expires_at(&self) -> Timestamp {
        self.expires_at
    }

    /// Counts accepted transitions; the server's compare-and-swap token.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Codes this flow has sent.
    pub fn sends(&self) -> u32 {
        self.sends
    }

    /// The channel the current code went to, at step `code`.
    pub fn code_channel(&self) -> Option<&Channel> {
        match &self.state {
            State::Code { channel, .. } => self.channels.iter().find(|c| &c.id == channel),
            _ => None,
        }
    }

    /// When the current code expires, at step `code`.
    pub fn code_expires_at(&self, limits: &Limits) -> Option<Timestamp> {
        match self.state {
            State::Code { sent_at, .. } => Some(sent_at.add_secs(limits.code_validity_secs)),
            _ => None,
        }
    }

    /// Wrong answers left at this step: captcha answers at `captcha`, tries
    /// of the current code at `code` (`0` once it is dead), else `None`.
    pub fn attempts_left(&self, limits: &Limits) -> Option<u32> {
        match self.state {
            State::Captcha { failures } => Some(limits.captcha_attempts().saturating_sub(failures)),
            State::Code { failures, .. } => Some(limits.code_attempts().saturating_sub(failures)),
            _ => None,
        }
    }

    /// Seconds until a code may be sent, at the steps that send (`channel`,
    /// `code`); `Some(0)` means now. `None` at other steps and once the
    /// flow's send budget is spent.
    pub fn resend_after(&self, now: Timestamp, limits: &Limits) -> Option<u64> {
        match self.state {
            State::Channel | State::Code { .. } if self.sends < limits.sends_per_flow() => {
                Some(self.cooldown_left(now, limits))
            }
            _ => None,
        }
    }

    /// The flow as the contract shows it, under the server's flow `id`.
    ///
    /// An expired flow still shows its last step; the server answers
    /// requests for it with [`FlowError::Expired`] instead.
    pub fn to_wire(&self, id: &str, now: Timestamp, limits: &Limits) -> FlowObject {
        FlowObject {
            id: id.to_owned(),
            step: self.step(),
            identifier: self.identifier.clone(),
            channels: self.channels.clone(),
            attempts_left: self.attempts_left(limits),
            resend_after: self.resend_after(now, limits),
            expires_at: self.expires_at.as_unix_secs(),
            code_channel: match &self.state {
                State::Code { channel, .. } => Some(channel.clone()),
                _ => None,
            },
        }
    }
}

impl Transition {
    fn reject(mut self, error: FlowError) -> Transition {
        self.rejected = Some(error);
        self
    }
}

#[cfg(feature = "serde")]
mod ts {
    use crate::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(t.as_unix_secs())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        u64::deserialize(d).map(Timestamp::from_unix_secs)
    }
}

#[cfg(feature = "serde")]
mod opt_ts {
    use crate::Timestamp;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        t.map(Timestamp::as_unix_secs).serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Timestamp>, D::Error> {
        Ok(Option::<u64>::deserialize(d)?.map(Timestamp::from_unix_secs))
    }
}
