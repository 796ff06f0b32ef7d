//! The JSON wire types and route paths of the recovery HTTP contract.
//!
//! The reference server and the browser module both compile this module, so
//! a request the form sends is, by construction, a request the server reads.
//! The contract itself is documented in `openapi.yaml`; this module is its
//! Rust form. With the `serde` feature every type here is
//! `Serialize`/`Deserialize` with the field names the contract uses.
//!
//! Three groups live here:
//!
//! - **Requests** ([`CreateFlowRequest`], [`CaptchaAnswerRequest`],
//!   [`ChannelChoiceRequest`], [`CodeRequest`], [`PasswordRequest`],
//!   [`ReviewRequest`], [`LoginRequest`]). Those that carry a secret (a
//!   captcha answer, a code, a password) redact it in `Debug`.
//! - **Responses** ([`FlowObject`], [`ErrorBody`], [`OutboxEntry`]).
//! - **Routes** ([`DEFAULT_PREFIX`], the [`Route`] templates, [`Routes`] to
//!   build concrete paths) and the display **masks** ([`mask_email`],
//!   [`mask_phone`], [`mask_account_id`], [`mask_identifier`]).
//!
//! Timestamps on the wire are whole seconds since the Unix epoch (UTC), the
//! same unit as [`crate::Timestamp`]; durations (`resend_after`,
//! `retry_after`) are whole seconds.
//!
//! [`CaptchaAnswerRequest`]: crate::protocol::CaptchaAnswerRequest
//! [`ChannelChoiceRequest`]: crate::protocol::ChannelChoiceRequest
//! [`CodeRequest`]: crate::protocol::CodeRequest
//! [`CreateFlowRequest`]: crate::protocol::CreateFlowRequest
//! [`DEFAULT_PREFIX`]: crate::protocol::DEFAULT_PREFIX
//! [`ErrorBody`]: crate::protocol::ErrorBody
//! [`FlowObject`]: crate::protocol::FlowObject
//! [`LoginRequest`]: crate::protocol::LoginRequest
//! [`OutboxEntry`]: crate::protocol::OutboxEntry
//! [`PasswordRequest`]: crate::protocol::PasswordRequest
//! [`ReviewRequest`]: crate::protocol::ReviewRequest
//! [`Route`]: crate::protocol::Route
//! [`Routes`]: crate::protocol::Routes
//! [`mask_account_id`]: crate::protocol::mask_account_id
//! [`mask_email`]: crate::protocol::mask_email
//! [`mask_identifier`]: crate::protocol::mask_identifier
//! [`mask_phone`]: crate::protocol::mask_phone

use core::fmt;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------
// Steps and channels
// ---------------------------------------------------------------------------

/// Where a recovery flow stands, as the `step` field of a [`FlowObject`].
///
/// The string names ([`Step::as_str`]) are part of the HTTP contract and of
/// stored flows: they never change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Step {
    /// Waiting for the answer to the image captcha.
    Captcha,
    /// Waiting for the user to choose where the code goes.
    Channel,
    /// A code was sent; waiting for the user to type it.
    Code,
    /// The code was right; waiting for the new password.
    Password,
    /// A manual review was requested; waiting for an operator.
    ReviewPending,
    /// The password was reset. Terminal.
    Done,
    /// Too many wrong answers, a denied review or a revocation. Terminal.
    Locked,
}

impl Step {
    /// Every step, in the order a successful flow visits them, then the two
    /// side steps.
    pub const ALL: [Step; 7] = [
        Step::Captcha,
        Step::Channel,
        Step::Code,
        Step::Password,
        Step::Done,
        Step::ReviewPending,
        Step::Locked,
    ];

    /// The contract name: `captcha`, `channel`, `code`, `password`,
    /// `review_pending`, `done` or `locked`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Step::Captcha => "captcha",
            Step::Channel => "channel",
            Step::Code => "code",
            Step::Password => "password",
            Step::ReviewPending => "review_pending",
            Step::Done => "done",
            Step::Locked => "locked",
        }
    }

    /// The step with contract name `name`, if there is one (exact match).
    pub fn from_name(name: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether no event can move a flow out of this step.
    pub const fn is_terminal(self) -> bool {
        matches!(self, Step::Done | Step::Locked)
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a code reaches the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ChannelKind {
    /// A text message to a phone number (`"sms"`).
    Sms,
    /// An e-mail (`"email"`).
    Email,
}

impl ChannelKind {
    /// The contract name: `sms` or `email`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Sms => "sms",
            ChannelKind::Email => "email",
        }
    }
}

impl fmt::Display for ChannelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One place a code can be sent, as shown to the user.
///
/// `to` is always the *masked* address ([`mask_email`], [`mask_phone`]); the
/// real address stays on the server, which finds it again by `id`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Channel {
    /// An opaque id, unique within the flow; what [`ChannelChoiceRequest`]
    /// sends back.
    pub id: String,
    /// SMS or e-mail.
    pub kind: ChannelKind,
    /// The masked address, e.g. `+49 ••• •••• 89` or `j•••@example.com`.
    pub to: String,
}

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

/// `POST {prefix}/flows`: start a recovery for what the user typed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct CreateFlowRequest {
    /// An e-mail address, a phone number or an account ID, as typed.
    pub identifier: String,
    /// The user's language as a BCP 47 tag (see [`crate::Locale::negotiate`]).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub locale: Option<String>,
    /// The ISO 3166-1 alpha-2 region for phone numbers without `+`, e.g. `DE`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub region: Option<String>,
}

/// `POST {prefix}/flows/{id}/captcha`: the digits read from the image.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct CaptchaAnswerRequest {
    /// The answer as typed (the token verifier normalises it).
    pub answer: String,
}

/// `POST {prefix}/flows/{id}/code`: send a code to this channel (again).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ChannelChoiceRequest {
    /// The [`Channel::id`] chosen.
    pub channel: String,
}

/// `POST {prefix}/flows/{id}/code/verify`: the code the user received.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct CodeRequest {
    /// The code as typed.
    pub code: String,
}

/// `POST {prefix}/flows/{id}/password`: the new password, typed twice.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct PasswordRequest {
    /// The new password.
    pub password: String,
    /// The same password again.
    pub confirm: String,
}

/// `POST {prefix}/flows/{id}/review`: ask an operator for help.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ReviewRequest {
    /// A new phone number or e-mail address the user can reach.
    pub contact: String,
    /// Why the user cannot reach any channel, in their words.
    pub message: String,
}

/// `POST /api/login`: the minimal sign-in that proves a new password works.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct LoginRequest {
    /// An e-mail address, a phone number or an account ID.
    pub identifier: String,
    /// The password.
    pub password: String,
}

/// Writes `Name { field: "<redacted>", .. }` for request types holding a
/// secret, so a request logged by accident never leaks it.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Debug for CaptchaAnswerRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CaptchaAnswerRequest")
            .field("answer", &Redacted)
            .finish()
    }
}

impl fmt::Debug for CodeRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CodeRequest")
            .field("code", &Redacted)
            .finish()
    }
}

impl fmt::Debug for PasswordRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordRequest")
            .field("password", &Redacted)
            .field("confirm", &Redacted)
            .finish()
    }
}

impl fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest")
            .field("identifier", &self.identifier)
            .field("password", &Redacted)
            .finish()
    }
}

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

/// A recovery flow as the client sees it (`GET {prefix}/flows/{id}` and the
/// answer of every successful step).
///
/// Built by the server, usually with `Flow::to_wire` in [`crate::flow`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct FlowObject {
    /// The flow id, opaque to the client.
    pub id: String,
    /// Where the flow stands.
    pub step: Step,
    /// The identifier the flow was started with, masked.
    pub identifier: String,
    /// Where a code can be sent. For an unknown account these are decoys
    /// indistinguishable from real channels.
    pub channels: Vec<Channel>,
    /// Wrong answers left at this step (`captcha` and `code` only, else `null`).
    pub attempts_left: Option<u32>,
    /// Seconds until another code may be sent (`code` step only, else `null`;
    /// `0` means now).
    pub resend_after: Option<u64>,
    /// When the flow expires, in seconds since the Unix epoch.
    pub expires_at: u64,
    /// The [`Channel::id`] the current code went to (`code` step only).
    #[cfg_attr(feature = "serde", serde(default))]
    pub code_channel: Option<String>,
}

/// The body of every error answer: `{"error": {"code", "message"}}`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// The inside of an [`ErrorBody`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ErrorDetail {
    /// A stable, machine-readable code such as `captcha.mismatch`.
    pub code: String,
    /// A human-readable message in the request's locale.
    pub message: String,
    /// For 429 answers, the same number of seconds as the `Retry-After`
    /// header; absent otherwise.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub retry_after: Option<u64>,
}

impl ErrorBody {
    /// An error body without `retry_after`.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: code.into(),
                message: message.into(),
                retry_after: None,
            },
        }
    }
}

/// What the dev outbox delivered (or, for a captcha, issued).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum OutboxKind {
    /// A text message.
    Sms,
    /// An e-mail.
    Email,
    /// A captcha challenge issued to a flow.
    Captcha,
}

/// One entry of `GET /dev/outbox` (dev mode only): everything the server
/// would have delivered, newest last.
///
/// `secret` is deliberately on the wire here — that is what the dev outbox
/// is for — but it is still redacted in `Debug`.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct OutboxEntry {
    /// SMS, e-mail or captcha.
    pub kind: OutboxKind,
    /// The real address, or for `captcha` the flow id.
    pub to: String,
    /// The message text as it would have been delivered.
    pub text: String,
    /// The code sent, or for `captcha` the answer of the challenge.
    pub secret: String,
}

impl fmt::Debug for OutboxEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutboxEntry")
            .field("kind", &self.kind)
            .field("to", &self.to)
            .field("text", &"<redacted>")
            .field("secret", &Redacted)
            .finish()
    }
}

// ---------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------

/// The default mount point of the recovery routes.
pub const DEFAULT_PREFIX: &str = "/api/recovery";

/// The sign-in route. Not under the recovery prefix.
pub const LOGIN_PATH: &str = "/api/login";

/// The dev outbox (dev mode only). Not under the recovery prefix.
pub const DEV_OUTBOX_PATH: &str = "/dev/outbox";

/// The placeholder for the flow id in [`Route::template`], in the syntax of
/// OpenAPI and axum 0.8.
pub const ID_PLACEHOLDER: &str = "{id}";

/// A route of the recovery API, relative to the prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Route {
    /// `POST /flows`: start a flow.
    Flows,
    /// `GET /flows/{id}`: read a flow.
    Flow,
    /// `GET` a fresh captcha image / `POST` its answer.
    Captcha,
    /// `POST /flows/{id}/code`: send a code to a channel.
    Code,
    /// `POST /flows/{id}/code/verify`: check a code.
    CodeVerify,
    /// `POST /flows/{id}/password`: set the new password.
    Password,
    /// `POST /flows/{id}/review`: request a manual review.
    Review,
}

impl Route {
    /// Every route.
    pub const ALL: [Route; 7] = [
        Route::Flows,
        Route::Flow,
        Route::Captcha,
        Route::Code,
        Route::CodeVerify,
        Route::Password,
        Route::Review,
    ];

    /// The path template relative to the prefix, e.g. `/flows/{id}/code`.
    pub const fn template(self) -> &'static str {
        match self {
            Route::Flows => "/flows",
            Route::Flow => "/flows/{id}",
            Route::Captcha => "/flows/{id}/captcha",
            Route::Code => "/flows/{id}/code",
            Route::CodeVerify => "/flows/{id}/code/verify",
            Route::Password => "/flows/{id}/password",
            Route::Review => "/flows/{id}/review",
        }
    }

    /// Whether the template holds [`ID_PLACEHOLDER`].
    pub const fn has_id(self) -> bool {
        !matches!(self, Route::Flows)
    }
}

/// The error of [`Routes::new`] for a prefix that cannot be mounted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidPrefix;

impl InvalidPrefix {
    /// The stable code: `routes.invalid_prefix`.
    pub const fn code(&self) -> &'static str {
        "routes.invalid_prefix"
    }
}

impl fmt::Display for InvalidPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "route prefix must be empty or start with '/', and hold only \
             unreserved URL characters and '/' (no '//', '?', '#' or '{')",
        )
    }
}

impl std::error::Error for InvalidPrefix {}

/// The recovery routes under one prefix; builds templates for a router and
/// concrete paths for a client.
///
/// ```
/// use resetflow::protocol::{Route, Routes};
///
/// let routes = Routes::default();
/// assert_eq!(routes.template(Route::CodeVerify), "/api/recovery/flows/{id}/code/verify");
/// assert_eq!(routes.path(Route::Code, "f1"), "/api/recovery/flows/f1/code");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Routes {
    prefix: String,
}

impl Default for Routes {
    fn default() -> Routes {
        Routes {
            prefix: DEFAULT_PREFIX.to_owned(),
        }
    }
}

impl Routes {
    /// Routes under `prefix` (e.g. `/api/recovery`, `/recover`, or `""` for
    /// the root). One trailing `/` is dropped.
    ///
    /// # Errors
    ///
    /// [`InvalidPrefix`] when `prefix` is not empty and does not start with
    /// `/`, contains `//`, or holds a character other than ASCII letters,
    /// digits, `-._~` and `/`.
    pub fn new(prefix: &str) -> Result<Routes, InvalidPrefix> {
        let prefix = prefix.strip_suffix('/').unwrap_or(prefix);
        let ok = prefix.is_empty()
            || (prefix.starts_with('/')
                && !prefix.contains("//")
                && prefix.bytes().all(|b| b == b'/' || is_unreserved(b)));
        if ok {
            Ok(Routes {
                prefix: prefix.to_owned(),
            })
        } else {
            Err(InvalidPrefix)
        }
    }

    /// The prefix, without a trailing `/`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The full template of `route` for a router, e.g.
    /// `/api/recovery/flows/{id}`.
    pub fn template(&self, route: Route) -> String {
        format!("{}{}", self.prefix, route.template())
    }

    /// The concrete path of `route` for flow `flow_id`. The id is
    /// percent-encoded (every byte but ASCII letters, digits and `-._~`), so
    /// any id yields one path segment. For [`Route::Flows`] the id is ignored.
    pub fn path(&self, route: Route, flow_id: &str) -> String {
        let template = route.template();
        match template.split_once(ID_PLACEHOLDER) {
            Some((head, tail)) => {
                format!("{}{head}{}{tail}", self.prefix, percent_encode(flow_id))
            }
            None => format!("{}{template}", self.prefix),
        }
    }
}

const fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Masks
// ---------------------------------------------------------------------------

/// The mask character, U+2022 BULLET.
pub const MASK: char = '•';

/// What a mask shows when the input has no shape it recognises: three bullets.
pub const FULLY_MASKED: &str = "•••";

/// Masks an e-mail address for display: `john@example.com` → `j•••@example.com`.
///
/// Rule: the first character (a Unicode scalar, not a byte) of the part
/// before the **last** `@`, then `•••`, then `@` and the domain unchanged.
/// The bullets are always three, whatever the local part's length, so the
/// mask does not tell it. Surrounding whitespace is trimmed first. Input
/// without an `@`, with an empty local part or an empty domain gives
/// [`FULLY_MASKED`].
pub fn mask_email(address: &str) -> String {
    let address = address.trim();
    match address.rsplit_once('@') {
        Some((local, domain)) if !domain.is_empty() => match local.chars().next() {
            Some(first) => format!("{first}{FULLY_MASKED}@{domain}"),
            None => FULLY_MASKED.to_owned(),
        },
        _ => FULLY_MASKED.to_owned(),
    }
}

/// Masks a phone number in E.164 for display: `+4915123456789` →
/// `+49 ••• •••• 89`.
///
/// Rule: `+`, the ITU-T E.164 country calling code, a space, `••• ••••`, a
/// space, and the last two digits. The bullets are always this shape, so the
/// mask does not tell the number's length. Spaces, `-`, `.`, `(` and `)` in
/// the input are ignored. The country code is found by its prefix-free
/// assignment (1 and 7 are one digit; the two-digit codes of zones 2–9 are
/// listed; all others are three digits). Input that does not start with `+`,
/// holds another character, or has fewer than 4 digits after the country
/// code (or more than 15 digits in all) gives [`FULLY_MASKED`].
pub fn mask_phone(number: &str) -> String {
    let number = number.trim();
    let Some(rest) = number.strip_prefix('+') else {
        return FULLY_MASKED.to_owned();
    };
    let mut digits = String::with_capacity(rest.len());
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return FULLY_MASKED.to_owned(),
        }
    }
    let cc_len = country_code_len(&digits);
    if digits.len() > 15 || digits.len() < cc_len + 4 {
        return FULLY_MASKED.to_owned();
    }
    let (cc, national) = digits.split_at(cc_len);
    let last_two = &national[national.len() - 2..];
    format!("+{cc} ••• •••• {last_two}")
}

/// The length of the E.164 country calling code at the start of `digits`
/// (ASCII digits, at least one).
fn country_code_len(digits: &str) -> usize {
    // Two-digit codes of ITU-T E.164 zones 2 to 9; every other code in those
    // zones has three digits. Zones 1 (NANP) and 7 are one digit.
    const TWO_DIGIT: [&str; 44] = [
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
        "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
        "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
    ];
    match digits.as_bytes().first() {
        Some(b'1' | b'7') => 1,
        _ if TWO_DIGIT.iter().any(|cc| digits.starts_with(cc)) => 2,
        _ => 3,
    }
}

/// Masks a numeric account ID for display: `100000001` → `10•••01`.
///
/// Rule: the first two and last two digits around `•••`, for IDs of at least
/// 6 ASCII digits (the shortest account ID the identifier parser accepts by
/// default); anything else gives [`FULLY_MASKED`].
pub fn mask_account_id(id: &str) -> String {
    let id = id.trim();
    if id.len() >= 6 && id.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}{FULLY_MASKED}{}", &id[..2], &id[id.len() - 2..])
    } else {
        FULLY_MASKED.to_owned()
    }
}

/// Masks a canonical identifier by its shape: with `@` as an e-mail
/// ([`mask_email`]), with a leading `+` as a phone number ([`mask_phone`]),
/// all digits as an account ID ([`mask_account_id`]), else [`FULLY_MASKED`].
///
/// Pass the identifier as the identifier parser normalised it; raw user input
/// may mask poorly but never panics.
pub fn mask_identifier(identifier: &str) -> String {
    let identifier = identifier.trim();
    if identifier.contains('@') {
        mask_email(identifier)
    } else if identifier.starts_with('+') {
        mask_phone(identifier)
    } else {
        mask_account_id(identifier)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_masks() {
        assert_eq!(mask_email("john@example.com"), "j•••@example.com");
        assert_eq!(mask_email("demo@example.com"), "d•••@example.com");
        assert_eq!(mask_email("j@example.com"), "j•••@example.com");
        assert_eq!(
            mask_email("  ana@xn--bcher-kva.de "),
            "a•••@xn--bcher-kva.de"
        );
        assert_eq!(mask_email("élodie@example.fr"), "é•••@example.fr");
        assert_eq!(mask_email("\"a@b\"@example.com"), "\"•••@example.com");
        assert_eq!(mask_email("@example.com"), "•••");
        assert_eq!(mask_email("john@"), "•••");
        assert_eq!(mask_email("john"), "•••");
        assert_eq!(mask_email(""), "•••");
    }

    #[test]
    fn phone_masks() {
        assert_eq!(mask_phone("+4915123456789"), "+49 ••• •••• 89");
        assert_eq!(mask_phone("+1 (415) 555-0132"), "+1 ••• •••• 32");
        assert_eq!(mask_phone("+79161234567"), "+7 ••• •••• 67");
        assert_eq!(mask_phone("+8613812345678"), "+86 ••• •••• 78");
        assert_eq!(mask_phone("+6281234567890"), "+62 ••• •••• 90");
        assert_eq!(mask_phone("+420601123456"), "+420 ••• •••• 56");
        assert_eq!(mask_phone("+35312345678"), "+353 ••• •••• 78");
        assert_eq!(mask_phone("+85291234567"), "+852 ••• •••• 67");
        assert_eq!(mask_phone("+2348012345678"), "+234 ••• •••• 78");
        assert_eq!(mask_phone("4915123456789"), "•••");
        assert_eq!(mask_phone("+49 151 x"), "•••");
        assert_eq!(mask_phone("+49123"), "•••");
        assert_eq!(mask_phone("+491234"), "+49 ••• •••• 34");
        assert_eq!(mask_phone("+1234567890123456"), "•••");
        assert_eq!(mask_phone("+"), "•••");
        assert_eq!(mask_phone(""), "•••");
    }

    #[test]
    fn account_id_masks() {
        assert_eq!(mask_account_id("100000001"), "10•••01");
        assert_eq!(mask_account_id("123456"), "12•••56");
        assert_eq!(mask_account_id("12345"), "•••");
        assert_eq!(mask_account_id("12a456"), "•••");
        assert_eq!(mask_account_id("１２３４５６"), "•••");
    }

    #[test]
    fn identifier_masks_by_shape() {
        assert_eq!(mask_identifier("demo@example.com"), "d•••@example.com");
        assert_eq!(mask_identifier("+4915123456789"), "+49 ••• •••• 89");
        assert_eq!(mask_identifier("100000001"), "10•••01");
        assert_eq!(mask_identifier("hello"), "•••");
    }

    #[test]
    fn route_templates_and_paths() {
        let r = Routes::default();
        assert_eq!(r.template(Route::Flows), "/api/recovery/flows");
        assert_eq!(r.template(Route::Flow), "/api/recovery/flows/{id}");
        assert_eq!(
            r.template(Route::Captcha),
            "/api/recovery/flows/{id}/captcha"
        );
        assert_eq!(r.template(Route::Code), "/api/recovery/flows/{id}/code");
        assert_eq!(
            r.template(Route::CodeVerify),
            "/api/recovery/flows/{id}/code/verify"
        );
        assert_eq!(
            r.template(Route::Password),
            "/api/recovery/flows/{id}/password"
        );
        assert_eq!(r.template(Route::Review), "/api/recovery/flows/{id}/review");
        assert_eq!(r.path(Route::Flows, "ignored"), "/api/recovery/flows");
        assert_eq!(
            r.path(Route::Flow, "abc-123"),
            "/api/recovery/flows/abc-123"
        );
        assert_eq!(
            r.path(Route::CodeVerify, "a/b?c"),
            "/api/recovery/flows/a%2Fb%3Fc/code/verify"
        );
        assert_eq!(
            r.path(Route::Review, "é"),
            "/api/recovery/flows/%C3%A9/review"
        );
        for route in Route::ALL {
            assert_eq!(route.has_id(), route.template().contains(ID_PLACEHOLDER));
        }
    }

    #[test]
    fn route_prefixes() {
        assert_eq!(
            Routes::new("/recover/").unwrap().path(Route::Flow, "x"),
            "/recover/flows/x"
        );
        assert_eq!(Routes::new("").unwrap().template(Route::Flows), "/flows");
        assert_eq!(Routes::new("/").unwrap().template(Route::Flows), "/flows");
        assert_eq!(Routes::new(DEFAULT_PREFIX).unwrap(), Routes::default());
        for bad in ["api", "/a//b", "/a?b", "/{id}", "/a b", "/ä"] {
            assert_eq!(Routes::new(bad), Err(InvalidPrefix), "{bad}");
        }
        assert_eq!(InvalidPrefix.code(), "routes.invalid_prefix");
    }

    #[test]
    fn step_names() {
        let names: Vec<&str> = Step::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            names,
            [
                "captcha",
                "channel",
                "code",
                "password",
                "done",
                "review_pending",
                "locked"
            ]
        );
        for s in Step::ALL {
            assert_eq!(Step::from_name(s.as_str()), Some(s));
        }
        assert_eq!(Step::from_name("Captcha"), None);
        assert_eq!(Step::from_name("expired"), None);
    }

    #[test]
    fn debug_redacts_secrets() {
        let shown = format!(
            "{:?} {:?} {:?} {:?} {:?}",
            CaptchaAnswerRequest {
                answer: "481516".into()
            },
            CodeRequest {
                code: "234234".into()
            },
            PasswordRequest {
                password: "hunter2hunter2".into(),
                confirm: "hunter2hunter2".into()
            },
            LoginRequest {
                identifier: "demo@example.com".into(),
                password: "correct horse".into()
            },
            OutboxEntry {
                kind: OutboxKind::Sms,
                to: "+4915123456789".into(),
                text: "Your code is 777111".into(),
                secret: "777111".into()
            },
        );
        for secret in ["481516", "234234", "hunter2", "correct horse", "777111"] {
            assert!(!shown.contains(secret), "{secret} leaked in {shown}");
        }
        assert!(shown.contains("demo@example.com"));
    }
}
