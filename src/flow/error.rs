use core::fmt;

use crate::protocol::Step;

/// Why a flow refused an event, or why a counted answer was wrong.
///
/// Every variant has a stable [`code`](FlowError::code) for the error body
/// of the HTTP contract. None carries a secret: the flow never sees one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FlowError {
    /// `flow.expired`: the flow outlived its lifetime. Checked before
    /// anything else, in every state.
    Expired,
    /// `flow.completed`: the password was already reset with this flow.
    Completed,
    /// `flow.locked`: too many wrong captcha answers.
    Locked,
    /// `flow.revoked`: another flow of the same account completed.
    Revoked,
    /// `review.denied`: an operator denied the manual review.
    ReviewDenied,
    /// `flow.wrong_step`: the event does not belong to the flow's step.
    WrongStep {
        /// The step the flow is at.
        step: Step,
    },
    /// `captcha.mismatch`: a wrong captcha answer (counted).
    CaptchaMismatch,
    /// `channel.unknown`: the channel id is not one of this flow's.
    UnknownChannel,
    /// `code.cooldown`: a code was sent less than the cooldown ago.
    Cooldown {
        /// Whole seconds until a send is allowed (at least 1); the value for
        /// the `Retry-After` header.
        retry_after_secs: u64,
    },
    /// `code.send_limit`: this flow sent as many codes as it may.
    SendLimit,
    /// `code.mismatch`: a wrong code (counted).
    CodeMismatch,
    /// `code.expired`: the code is older than its validity.
    CodeExpired,
    /// `code.attempts_exhausted`: too many wrong codes; this code is dead
    /// and only a new send leads on.
    CodeAttemptsExhausted,
    /// `review.contact_required`: the review request has no contact.
    ReviewContactRequired,
    /// `review.message_required`: the review request has no message.
    ReviewMessageRequired,
    /// `review.message_too_long`: the review message is over the limit.
    ReviewMessageTooLong,
}

impl FlowError {
    /// Every variant, with placeholder fields; for exhaustive tests and for
    /// servers that build tables of messages.
    pub const ALL: [FlowError; 16] = [
        FlowError::Expired,
        FlowError::Completed,
        FlowError::Locked,
        FlowError::Revoked,
        FlowError::ReviewDenied,
        FlowError::WrongStep {
            step: Step::Captcha,
        },
        FlowError::CaptchaMismatch,
        FlowError::UnknownChannel,
        FlowError::Cooldown {
            retry_after_secs: 1,
        },
        FlowError::SendLimit,
        FlowError::CodeMismatch,
        FlowError::CodeExpired,
        FlowError::CodeAttemptsExhausted,
        FlowError::ReviewContactRequired,
        FlowError::ReviewMessageRequired,
        FlowError::ReviewMessageTooLong,
    ];

    /// The stable, machine-readable code, e.g. `captcha.mismatch`.
    pub const fn code(&self) -> &'static str {
        match self {
            FlowError::Expired => "flow.expired",
            FlowError::Completed => "flow.completed",
            FlowError::Locked => "flow.locked",
            FlowError::Revoked => "flow.revoked",
            FlowError::ReviewDenied => "review.denied",
            FlowError::WrongStep { .. } => "flow.wrong_step",
            FlowError::CaptchaMismatch => "captcha.mismatch",
            FlowError::UnknownChannel => "channel.unknown",
            FlowError::Cooldown { .. } => "code.cooldown",
            FlowError::SendLimit => "code.send_limit",
            FlowError::CodeMismatch => "code.mismatch",
            FlowError::CodeExpired => "code.expired",
            FlowError::CodeAttemptsExhausted => "code.attempts_exhausted",
            FlowError::ReviewContactRequired => "review.contact_required",
            FlowError::ReviewMessageRequired => "review.message_required",
            FlowError::ReviewMessageTooLong => "review.message_too_long",
        }
    }

    /// For [`FlowError::Cooldown`], the seconds for `Retry-After`.
    pub const fn retry_after_secs(&self) -> Option<u64> {
        match self {
            FlowError::Cooldown { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }

    /// Whether the flow can never go on (expired, completed, locked,
    /// revoked, denied): the client should offer to start again.
    pub const fn is_final(&self) -> bool {
        matches!(
            self,
            FlowError::Expired
                | FlowError::Completed
                | FlowError::Locked
                | FlowError::Revoked
                | FlowError::ReviewDenied
        )
    }
}

impl fmt::Display for FlowError {
    /// An English message for logs and developers; user-facing text is
    /// chosen by [`code`](FlowError::code) and locale.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlowError::Expired => f.write_str("this recovery has expired; please start again"),
            FlowError::Completed => f.write_str("this recovery is already complete"),
            FlowError::Locked => {
                f.write_str("too many wrong answers; this recovery is locked, please start again")
            }
            FlowError::Revoked => {
                f.write_str("this recovery was cancelled because the account was recovered")
            }
            FlowError::ReviewDenied => f.write_str("the manual review was denied"),
            FlowError::WrongStep { step } => {
                write!(
                    f,
                    "this action does not belong to the current step ({step})"
                )
            }
            FlowError::CaptchaMismatch => {
                f.write_str("the digits do not match the image; try the new image")
            }
            FlowError::UnknownChannel => f.write_str("unknown channel"),
            FlowError::Cooldown { retry_after_secs } => {
                write!(
                    f,
                    "please wait {retry_after_secs} s before requesting another code"
                )
            }
            FlowError::SendLimit => f.write_str("no more codes can be sent for this recovery"),
            FlowError::CodeMismatch => f.write_str("the code is not correct"),
            FlowError::CodeExpired => f.write_str("the code has expired; request a new one"),
            FlowError::CodeAttemptsExhausted => {
                f.write_str("too many wrong codes; request a new one")
            }
            FlowError::ReviewContactRequired => f.write_str("a contact is required"),
            FlowError::ReviewMessageRequired => f.write_str("a description is required"),
            FlowError::ReviewMessageTooLong => f.write_str("the description is too long"),
        }
    }
}

impl std::error::Error for FlowError {}
