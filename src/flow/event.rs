use crate::protocol::Channel;

/// Something that happened to a flow, as the server observed it.
///
/// Events carry results, not secrets: the server checks the captcha token
/// and the code's keyed hash itself and tells the flow only whether they
/// were right. The variant names are the edge labels of `STATES.md`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The captcha answer was right (and its token unused). `captcha`.
    CaptchaSolved,
    /// The captcha answer was wrong. Counted. `captcha`.
    CaptchaFailed,
    /// The user asked for a new image. `captcha`.
    CaptchaRenewed,
    /// The user chose where the code goes (`POST .../code`): the first send
    /// from `channel`, or a resend / switch of channel from `code`.
    ChannelChosen {
        /// A [`Channel::id`] of this flow.
        channel: String,
    },
    /// Send a new code to the channel of the current one. `code`.
    ResendRequested,
    /// The code typed matched the stored hash. `code`.
    CodeVerified,
    /// The code typed did not match. Counted. `code`.
    CodeWrong,
    /// The new password passed the server's policy (and its confirmation
    /// matched). `password`.
    PasswordSet,
    /// The user can reach no channel and asks for a manual review.
    /// `channel` or `code`.
    ReviewRequested {
        /// The new phone number or e-mail address, as the server normalised it.
        contact: String,
        /// The user's description.
        message: String,
    },
    /// An operator approved the review; `channel` is the new contact, masked,
    /// with an id the server can resolve. `review_pending`.
    ReviewApproved {
        /// The new contact, which becomes the flow's only channel.
        channel: Channel,
    },
    /// An operator denied the review. `review_pending`.
    ReviewDenied,
    /// Another flow of the same account completed. Any live step.
    Revoked,
}

impl Event {
    /// The variant name, as used for edge labels in `STATES.md`.
    pub const fn name(&self) -> &'static str {
        match self {
            Event::CaptchaSolved => "CaptchaSolved",
            Event::CaptchaFailed => "CaptchaFailed",
            Event::CaptchaRenewed => "CaptchaRenewed",
            Event::ChannelChosen { .. } => "ChannelChosen",
            Event::ResendRequested => "ResendRequested",
            Event::CodeVerified => "CodeVerified",
            Event::CodeWrong => "CodeWrong",
            Event::PasswordSet => "PasswordSet",
            Event::ReviewRequested { .. } => "ReviewRequested",
            Event::ReviewApproved { .. } => "ReviewApproved",
            Event::ReviewDenied => "ReviewDenied",
            Event::Revoked => "Revoked",
        }
    }
}

/// Something the server must do after persisting a transition.
///
/// A [`Transition`](super::Transition) lists them in the order to perform
/// them; an empty list means "nothing".
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Effect {
    /// Issue a fresh captcha challenge for this flow (and let the previous
    /// one die).
    IssueCaptcha,
    /// Generate a fresh code with the OS CSPRNG, store only its keyed hash
    /// (replacing any previous one) and deliver it to this channel off the
    /// request path. For a decoy channel, pretend to.
    SendCode {
        /// The [`Channel::id`].
        channel: String,
    },
    /// Queue a manual review for an operator.
    QueueReview {
        /// The new contact.
        contact: String,
        /// The user's description.
        message: String,
    },
    /// Store the new password (argon2id) from the request being answered.
    StorePassword,
    /// Replace the account's contacts with the reviewed one. Emitted at
    /// completion of a flow that went through an approved review, i.e. once
    /// the user has proved they can read the new contact.
    ReplaceContacts {
        /// The contact approved by the operator.
        channel: Channel,
    },
    /// Revoke every session and every other recovery flow of the account.
    RevokeOtherFlowsAndSessions,
    /// Tell every channel of the account (the old ones too) that the
    /// password was changed.
    NotifyAllChannels,
}
