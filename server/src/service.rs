//! The recovery operations: load a flow, ask the state machine, persist with
//! compare-and-swap, perform the effects. Shared by the HTTP handlers and
//! the CLI (`reviews approve|deny`).
//!
//! Each operation follows the same order, so that a refusal changes nothing
//! and a counted answer is counted before anything else can happen:
//!
//! 1. load the flow; ask the machine whether the event is acceptable *now*
//!    (expiry first, then the step) — a refusal is answered at once;
//! 2. check the secret (captcha answer, code) against its keyed hash, the
//!    attempt counted atomically in the store;
//! 3. save the resulting flow with `UPDATE … WHERE revision = ?`; a lost
//!    race is `flow.conflict`, and nothing else happens;
//! 4. perform the effects in order.
//!
//! **No account enumeration.** Whether the identifier has an account is
//! decided once, in [`start_flow`](crate::service::start_flow); from there on a decoy flow takes every
//! branch a real one takes (same store writes, same queued message — marked
//! decoy, dropped by the delivery worker), and the only difference is the
//! `account_id` column nobody answers with.

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand_core::{OsRng, RngCore};
use resetflow::flow::{Channel, ChannelKind, Effect, Event, Flow, FlowError, Limits, Transition};
use resetflow::identifier::{self, Identifier, Kind, Region};
use resetflow::password::Policy;
use resetflow::protocol::{mask_email, mask_identifier, mask_phone};
use resetflow::token::{Consumed, Keyring};
use resetflow::{Locale, Timestamp};
use tokio::sync::Notify;

use crate::challenge::{CaptchaSource, Rendered};
use crate::delivery::DevOutbox;
use crate::error::{ApiError, Code};
use crate::keys::{Keys, Purpose};
use crate::shared::{Claim, Key, Scope, SharedState};
use crate::store::{
    Account, CodeCheck, FlowRecord, Lookup, Message, Purpose as MessagePurpose, Review,
    ReviewStatus, Saved, Store, Target,
};

/// The clock the server reads; a parameter so tests can move time.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// The real clock.
pub fn system_clock() -> Clock {
    Arc::new(Timestamp::now)
}

/// Limits that span flows (the flow itself keeps the per-flow ones).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimits {
    /// API requests per client IP per minute.
    pub ip_requests_per_minute: u32,
    /// Flows started per client IP per hour.
    pub ip_flows_per_hour: u32,
    /// Codes sent per client IP per hour.
    pub ip_sends_per_hour: u32,
    /// Codes sent per identifier per hour, across flows (SPEC: 5).
    pub identifier_sends_per_hour: u32,
    /// Sign-in attempts per client IP per minute.
    pub ip_logins_per_minute: u32,
}

impl Default for RateLimits {
    fn default() -> RateLimits {
        RateLimits {
            ip_requests_per_minute: 120,
            ip_flows_per_hour: 30,
            ip_sends_per_hour: 20,
            identifier_sends_per_hour: 5,
            ip_logins_per_minute: 10,
        }
    }
}

/// argon2id cost parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HashCost {
    /// Memory in KiB (OWASP: 19456 with 2 iterations).
    pub memory_kib: u32,
    /// Iterations.
    pub iterations: u32,
}

impl Default for HashCost {
    fn default() -> HashCost {
        HashCost {
            memory_kib: 19_456,
            iterations: 2,
        }
    }
}

/// Everything an operation needs.
#[derive(Clone)]
pub struct Ctx {
    /// The store.
    pub store: Arc<dyn Store>,
    /// The server keys.
    pub keys: Keys,
    /// Per-flow limits.
    pub limits: Limits,
    /// Cross-flow limits.
    pub rates: RateLimits,
    /// Password policy.
    pub policy: Policy,
    /// argon2id cost.
    pub hash_cost: HashCost,
    /// The region for national phone numbers when a request names none.
    pub default_region: Option<Region>,
    /// Captcha images.
    pub captcha: Arc<dyn CaptchaSource>,
    /// Signs captcha challenge tokens (answer bound by HMAC).
    pub captcha_tokens: Keyring,
    /// Wakes the delivery worker.
    pub wake: Arc<Notify>,
    /// The dev outbox, in dev mode only.
    pub dev: Option<Arc<DevOutbox>>,
    /// The clock.
    pub clock: Clock,
    /// State several nodes share: per-IP budgets, resend cooldowns, used
    /// captcha nonces, and (when it spans nodes) the per-identifier hourly
    /// send cap. In memory by default; Redis with `--redis`.
    pub shared: Arc<dyn SharedState>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (none by
    /// default: the socket peer is the client).
    pub trusted_proxies: crate::proxy::TrustedProxies,
    /// An argon2id hash of a random password, verified against when a
    /// sign-in names no account, so that both paths cost the same.
    pub dummy_hash: String,
}

impl std::fmt::Debug for Ctx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ctx")
            .field("limits", &self.limits)
            .field("rates", &self.rates)
            .field("dev", &self.dev.is_some())
            .finish_non_exhaustive()
    }
}

/// The locale stored with a flow.
pub fn flow_locale(rec: &FlowRecord) -> Locale {
    Locale::negotiate(&rec.locale)
}

/// A random, unguessable id: 16 bytes from the OS, base64url.
pub fn random_id() -> String {
    use base64::Engine;
    let mut b = [0u8; 16];
    OsRng.fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// A 6-digit code from the OS CSPRNG, without modulo bias.
pub fn random_code() -> String {
    // 4_294_000_000 is the largest multiple of 10^6 below 2^32.
    loop {
        let v = OsRng.next_u32();
        if v < 4_294_000_000 {
            return format!("{:06}", v % 1_000_000);
        }
    }
}

/// Hashes a password with argon2id at `cost`, on the blocking pool.
///
/// # Errors
///
/// An internal error when argon2 refuses the parameters or the task dies.
pub async fn hash_password(password: String, cost: HashCost) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || {
        let params = Params::new(cost.memory_kib, cost.iterations, 1, None)
            .map_err(|e| ApiError::internal(format!("argon2 params: {e}")))?;
        let salt = SaltString::generate(&mut OsRng);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| ApiError::internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| ApiError::internal(format!("hash task: {e}")))?
}

/// Verifies a password against a PHC string on the blocking pool. The
/// parameters come from the stored hash.
async fn verify_password(password: String, phc: String) -> Result<bool, ApiError> {
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&phc) else {
            return false;
        };
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .map_err(|e| ApiError::internal(format!("verify task: {e}")))
}

fn lookup(id: &Identifier) -> Lookup<'_> {
    match id.kind() {
        Kind::Email => Lookup::Email(id.as_str()),
        Kind::Phone => Lookup::Phone(id.as_str()),
        Kind::AccountId => Lookup::Id(id.as_str()),
    }
}

/// The channel ids are the same words for real and decoy channels.
const SMS: &str = "sms";
const EMAIL: &str = "email";
const REVIEW: &str = "review";

fn account_channels(a: &Account) -> (Vec<Channel>, Vec<Target>) {
    let mut channels = Vec::new();
    let mut targets = Vec::new();
    if let Some(phone) = &a.phone {
        channels.push(Channel {
            id: SMS.into(),
            kind: ChannelKind::Sms,
            to: mask_phone(phone),
        });
        targets.push(Target {
            channel: SMS.into(),
            kind: ChannelKind::Sms,
            address: phone.clone(),
        });
    }
    if let Some(email) = &a.email {
        channels.push(Channel {
            id: EMAIL.into(),
            kind: ChannelKind::Email,
            to: email_mask(email),
        });
        targets.push(Target {
            channel: EMAIL.into(),
            kind: ChannelKind::Email,
            address: email.clone(),
        });
    }
    (channels, targets)
}

/// The identifier as accounts are matched: e-mail addresses ignore case
/// (the store looks them up that way), so per-identifier limits and decoys
/// must too — `Ann@x` and `ann@x` are one identifier, known or not.
fn fold(id: &Identifier) -> String {
    match id.kind() {
        Kind::Email => id.as_str().to_lowercase(),
        _ => id.as_str().to_owned(),
    }
}

/// An e-mail channel's mask, lower-cased: a known account shows its stored
/// address and a decoy the typed one, so the case of the first letter
/// must not tell them apart.
fn email_mask(address: &str) -> String {
    mask_email(address).to_lowercase()
}

/// Calling codes and mail domains decoys are drawn from: common ones, so a
/// decoy looks like the accounts an attacker would expect.
const DECOY_CALLING_CODES: [&str; 8] = ["1", "44", "49", "33", "34", "62", "86", "91"];
const DECOY_DOMAINS: [&str; 6] = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "icloud.com",
    "gmx.de",
    "qq.com",
];

/// Stable decoy channels for an identifier without an account, derived
/// from a keyed hash of it: the same identifier always shows the same
/// channels, and without the key nobody can tell them from real ones.
///
/// Shape: the typed kind's channel masks what was typed (as a real
/// account's would); the other kind is present for about 70% of
/// identifiers, as real accounts have both or one.
pub fn decoy_channels(keys: &Keys, id: &Identifier) -> Vec<Channel> {
    let folded = fold(id);
    let h = keys.mac(
        Purpose::Decoy,
        &[id.kind().as_str().as_bytes(), folded.as_bytes()],
    );
    let phone = || {
        let cc = DECOY_CALLING_CODES[usize::from(h[1]) % DECOY_CALLING_CODES.len()];
        Channel {
            id: SMS.into(),
            kind: ChannelKind::Sms,
            to: format!("+{cc} ••• •••• {:02}", h[2] % 100),
        }
    };
    let email = || {
        let first = char::from(b'a' + h[3] % 26);
        let domain = DECOY_DOMAINS[usize::from(h[4]) % DECOY_DOMAINS.len()];
        Channel {
            id: EMAIL.into(),
            kind: ChannelKind::Email,
            to: format!("{first}•••@{domain}"),
        }
    };
    let both = h[0] < 180;
    match id.kind() {
        Kind::Email => {
            let own = Channel {
                id: EMAIL.into(),
                kind: ChannelKind::Email,
                to: email_mask(id.as_str()),
            };
            if both {
                vec![phone(), own]
            } else {
                vec![own]
            }
        }
        Kind::Phone => {
            let own = Channel {
                id: SMS.into(),
                kind: ChannelKind::Sms,
                to: mask_phone(id.as_str()),
            };
            if both {
                vec![own, email()]
            } else {
                vec![own]
            }
        }
        Kind::AccountId => match (both, h[5] & 1) {
            (true, _) => vec![phone(), email()],
            (false, 0) => vec![phone()],
            (false, _) => vec![email()],
        },
    }
}

/// Counts a hit on a per-IP budget; `Err(429)` when over `limit`.
async fn limit(
    ctx: &Ctx,
    scope: Scope,
    ip: &str,
    window: u64,
    limit: u32,
    locale: Locale,
) -> Result<(), ApiError> {
    let key = Key::hashed(&ctx.keys, scope, ip.as_bytes());
    let hit = ctx
        .shared
        .hit(&key, window, (ctx.clock)())
        .await
        .map_err(|e| ApiError::unavailable(e, locale))?;
    if hit.count > limit {
        Err(ApiError::rate_limited(hit.retry_after, locale))
    } else {
        Ok(())
    }
}

/// Per-IP request limit for every API request.
///
/// # Errors
///
/// `rate.limited` (429 with `Retry-After`); `service.unavailable` (503)
/// when the shared state does not answer.
pub async fn limit_ip_requests(ctx: &Ctx, ip: &str, locale: Locale) -> Result<(), ApiError> {
    let per_minute = ctx.rates.ip_requests_per_minute;
    limit(ctx, Scope::IpRequests, ip, 60, per_minute, locale).await
}

/// Loads a flow or answers `flow.not_found`.
///
/// # Errors
///
/// `flow.not_found`; internal on store failure.
pub async fn load(ctx: &Ctx, id: &str, locale: Locale) -> Result<FlowRecord, ApiError> {
    // Ids are 22 characters; anything much longer is not ours.
    if id.len() > 64 {
        return Err(ApiError::new(Code::FlowNotFound, locale));
    }
    ctx.store
        .flow(id)
        .await?
        .ok_or_else(|| ApiError::new(Code::FlowNotFound, locale))
}

fn refuse(rec: &FlowRecord, e: FlowError, now: Timestamp) -> ApiError {
    let left = rec
        .flow
        .expires_at()
        .as_unix_secs()
        .saturating_sub(now.as_unix_secs());
    ApiError::flow(e, flow_locale(rec), left)
}

/// Starts a flow for what the user typed.
///
/// # Errors
///
/// An identifier error (422), `rate.limited`, or internal.
pub async fn start_flow(
    ctx: &Ctx,
    identifier: &str,
    locale: Locale,
    region: Option<&str>,
    ip: &str,
) -> Result<FlowRecord, ApiError> {
    // An unknown region is ignored rather than refused: the identifier
    // still parses when it is international.
    let region = region
        .and_then(|r| r.parse::<Region>().ok())
        .or(ctx.default_region);
    let id = identifier::parse(identifier, region).map_err(|e| ApiError::identifier(&e, locale))?;
    let per_hour = ctx.rates.ip_flows_per_hour;
    limit(ctx, Scope::IpFlows, ip, 3600, per_hour, locale).await?;
    let now = (ctx.clock)();
    let account = ctx.store.find_account(lookup(&id)).await?;
    let (channels, targets) = match &account {
        Some(a) => account_channels(a),
        None => (decoy_channels(&ctx.keys, &id), Vec::new()),
    };
    let folded = fold(&id);
    let identifier_key = ctx
        .keys
        .mac(
            Purpose::Identifier,
            &[id.kind().as_str().as_bytes(), folded.as_bytes()],
        )
        .to_vec();
    let t = Flow::start(mask_identifier(id.as_str()), channels, now, &ctx.limits);
    let rec = FlowRecord {
        id: random_id(),
        account_id: account.map(|a| a.id),
        identifier_key,
        locale: locale.as_str().to_owned(),
        flow: t.flow,
        targets,
    };
    // The first challenge is written with the flow: one write, not two.
    let (first, rest): (Vec<Effect>, Vec<Effect>) = t
        .effects
        .iter()
        .cloned()
        .partition(|e| *e == Effect::IssueCaptcha);
    if first.is_empty() {
        ctx.store.insert_flow(&rec, now).await?;
    } else {
        let (rendered, token, expires) = new_challenge(ctx, &rec).await?;
        ctx.store
            .insert_flow_with_captcha(&rec, now, &token, expires)
            .await?;
        if let Some(dev) = &ctx.dev {
            dev.captcha_issued(&rec.id, &rendered.answer);
        }
    }
    perform(ctx, &rec, &rest, None, None).await?;
    tracing::info!(flow = %rec.id, kind = id.kind().as_str(), "flow started");
    Ok(rec)
}

/// Renders a fresh challenge for a flow at step `captcha` and makes it the
/// flow's current one (the previous one dies). Returns the PNG.
///
/// # Errors
///
/// The flow's refusal (expired, wrong step, terminal); internal.
pub async fn fresh_captcha(ctx: &Ctx, id: &str, locale: Locale) -> Result<Vec<u8>, ApiError> {
    let rec = load(ctx, id, locale).await?;
    let now = (ctx.clock)();
    // Only asks: renewing changes nothing stored but the challenge, so
    // the transition itself is not saved.
    let _asked: Transition = rec
        .flow
        .handle(Event::CaptchaRenewed, now, &ctx.limits)
        .map_err(|e| refuse(&rec, e, now))?;
    Ok(issue_captcha(ctx, &rec).await?.png)
}

async fn issue_captcha(ctx: &Ctx, rec: &FlowRecord) -> Result<Rendered, ApiError> {
    let (rendered, token, expires) = new_challenge(ctx, rec).await?;
    ctx.store.set_captcha(&rec.id, &token, expires).await?;
    if let Some(dev) = &ctx.dev {
        dev.captcha_issued(&rec.id, &rendered.answer);
    }
    Ok(rendered)
}

/// Renders a challenge for `rec` and signs its token; stores nothing.
async fn new_challenge(
    ctx: &Ctx,
    rec: &FlowRecord,
) -> Result<(Rendered, String, Timestamp), ApiError> {
    let source = Arc::clone(&ctx.captcha);
    let rendered = tokio::task::spawn_blocking(move || source.render())
        .await
        .map_err(|e| ApiError::internal(format!("captcha task: {e}")))?
        .map_err(|e| ApiError::internal(format!("captcha: {e}")))?;
    let now = (ctx.clock)();
    let issued = ctx
        .captcha_tokens
        .issue(&mut OsRng, &rendered.answer, now)
        .map_err(|e| ApiError::internal(format!("captcha token: {e}")))?;
    let expires = issued.expires_at().min(rec.flow.expires_at());
    Ok((rendered, issued.token().to_owned(), expires))
}

/// Verifies `answer` against the flow's challenge `token`: open (MAC and
/// expiry, no I/O), consume, then compare in constant time.
///
/// Consuming takes two used-nonce stores, both atomic, and the token is
/// fresh only if both say so: the token's nonce is claimed in the shared
/// state until the token expires (so no two nodes can both accept it, even
/// if they read the flow at different times), then the guarded update on
/// the flow row consumes the challenge itself. Either way a challenge
/// answers once, right or wrong.
async fn check_captcha(
    ctx: &Ctx,
    rec: &FlowRecord,
    token: &str,
    answer: &str,
    now: Timestamp,
) -> Result<bool, ApiError> {
    let Ok(opened) = ctx.captcha_tokens.open(token, now) else {
        return Ok(false);
    };
    let life = opened
        .expires_at()
        .as_unix_secs()
        .saturating_sub(now.as_unix_secs());
    let claim = ctx
        .shared
        .claim(&Key::nonce(opened.nonce()), life, now)
        .await
        .map_err(|e| ApiError::unavailable(e, flow_locale(rec)))?;
    let outcome = match claim {
        Claim::Held { .. } => Consumed::AlreadyUsed,
        Claim::Won if ctx.store.consume_captcha(&rec.id, token).await? => Consumed::Fresh,
        Claim::Won => Consumed::AlreadyUsed,
    };
    Ok(opened
        .claim(outcome)
        .and_then(|claimed| claimed.check(answer))
        .is_ok())
}

/// Saves `t` with compare-and-swap against `rec`, performs its effects and
/// answers its rejection if it carries one.
async fn commit(
    ctx: &Ctx,
    rec: FlowRecord,
    t: Transition,
    targets: Option<Vec<Target>>,
    password_hash: Option<&str>,
) -> Result<FlowRecord, ApiError> {
    let now = (ctx.clock)();
    let saved = ctx
        .store
        .save_flow(&rec.id, &t.flow, rec.flow.revision(), targets.as_deref())
        .await?;
    if saved == Saved::Conflict {
        return Err(ApiError::new(Code::FlowConflict, flow_locale(&rec)));
    }
    let before = rec.clone();
    let mut rec = rec;
    rec.flow = t.flow;
    if let Some(targets) = targets {
        rec.targets = targets;
    }
    perform(ctx, &rec, &t.effects, password_hash, Some(&before)).await?;
    match t.rejected {
        Some(e) => Err(refuse(&rec, e, now)),
        None => Ok(rec),
    }
}

/// Checks a captcha answer.
///
/// # Errors
///
/// `captcha.mismatch` (a new challenge is issued), `flow.locked` on the
/// last attempt, the flow's refusals, internal.
pub async fn answer_captcha(
    ctx: &Ctx,
    id: &str,
    answer: &str,
    locale: Locale,
) -> Result<FlowRecord, ApiError> {
    let rec = load(ctx, id, locale).await?;
    let now = (ctx.clock)();
    let solved = rec
        .flow
        .handle(Event::CaptchaSolved, now, &ctx.limits)
        .map_err(|e| refuse(&rec, e, now))?;
    let right = match ctx.store.captcha(&rec.id, now).await? {
        Some(token) => check_captcha(ctx, &rec, &token, answer, now).await?,
        None => false,
    };
    if right {
        commit(ctx, rec, solved, None, None).await
    } else {
        let failed = rec
            .flow
            .handle(Event::CaptchaFailed, now, &ctx.limits)
            .map_err(|e| refuse(&rec, e, now))?;
        commit(ctx, rec, failed, None, None).await
    }
}

/// Sends a code to `channel` (first send, resend, or another channel).
///
/// # Errors
///
/// `channel.unknown`, `code.send_limit`, `code.cooldown` (429), the
/// per-identifier hourly cap (`code.send_limit`, 429), `rate.limited`, the
/// flow's refusals, `service.unavailable` (503), internal.
pub async fn send_code(
    ctx: &Ctx,
    id: &str,
    channel: &str,
    locale: Locale,
    ip: &str,
) -> Result<FlowRecord, ApiError> {
    let rec = load(ctx, id, locale).await?;
    let now = (ctx.clock)();
    let t = rec
        .flow
        .handle(
            Event::ChannelChosen {
                channel: channel.to_owned(),
            },
            now,
            &ctx.limits,
        )
        .map_err(|e| refuse(&rec, e, now))?;
    let locale = flow_locale(&rec);
    let unavailable = |e| ApiError::unavailable(e, locale);
    // The flow's own cooldown passed; the shared claim makes it hold
    // across nodes too, so two requests racing to send cannot both get
    // through. It comes before the budgets, so a lost race costs none.
    let cooldown = Key::hashed(&ctx.keys, Scope::Cooldown, rec.id.as_bytes());
    let secs = ctx.limits.resend_cooldown_secs;
    if let Claim::Held { retry_after } = ctx
        .shared
        .claim(&cooldown, secs, now)
        .await
        .map_err(unavailable)?
    {
        let e = FlowError::Cooldown {
            retry_after_secs: retry_after,
        };
        return Err(refuse(&rec, e, now));
    }
    let per_hour = ctx.rates.ip_sends_per_hour;
    limit(ctx, Scope::IpSends, ip, 3600, per_hour, locale).await?;
    // Per identifier, per hour: in the shared state when it spans nodes
    // (Redis), else in the database, which outlives a restart where this
    // node's memory would not.
    let (count, left) = if ctx.shared.spans_nodes() {
        let key = Key::hashed(&ctx.keys, Scope::IdentifierSends, &rec.identifier_key);
        let hit = ctx.shared.hit(&key, 3600, now).await.map_err(unavailable)?;
        (hit.count, hit.retry_after)
    } else {
        let mut id_key = b"identifier-sends:".to_vec();
        id_key.extend_from_slice(&rec.identifier_key);
        ctx.store.hit(&id_key, 3600, now).await?
    };
    if count > ctx.rates.identifier_sends_per_hour {
        return Err(ApiError::flow(
            FlowError::SendLimit,
            flow_locale(&rec),
            left,
        ));
    }
    commit(ctx, rec, t, None, None).await
}

/// Checks a code.
///
/// # Errors
///
/// `code.mismatch`, `code.attempts_exhausted`, `code.expired`, the flow's
/// refusals, internal.
pub async fn verify_code(
    ctx: &Ctx,
    id: &str,
    code: &str,
    locale: Locale,
) -> Result<FlowRecord, ApiError> {
    let rec = load(ctx, id, locale).await?;
    let now = (ctx.clock)();
    let verified = rec
        .flow
        .handle(Event::CodeVerified, now, &ctx.limits)
        .map_err(|e| refuse(&rec, e, now))?;
    // A code that is not 6 digits is simply wrong; it still costs a try.
    let typed = resetflow::token::normalize_answer(code).unwrap_or_default();
    let candidate = ctx
        .keys
        .mac(Purpose::Code, &[rec.id.as_bytes(), typed.as_bytes()]);
    let max = ctx.limits.code_attempts.max(1);
    match ctx.store.check_code(&rec.id, &candidate, max, now).await? {
        CodeCheck::Matched => commit(ctx, rec, verified, None, None).await,
        // Dead in the store but alive in the flow: parallel requests used
        // the attempts up; count this one in the flow as well.
        CodeCheck::Mismatched | CodeCheck::Dead => {
            let wrong = rec
                .flow
                .handle(Event::CodeWrong, now, &ctx.limits)
                .map_err(|e| refuse(&rec, e, now))?;
            commit(ctx, rec, wrong, None, None).await
        }
    }
}

/// Sets the new password.
///
/// # Errors
///
/// A `password.*` refusal (422), the flow's refusals, internal.
pub async fn set_password(
    ctx: &Ctx,
    id: &str,
    password: &str,
    confirm: &str,
    locale: Locale,
) -> Result<FlowRecord, ApiError> {
    let rec = load(ctx, id, locale).await?;
    let now = (ctx.clock)();
    let t = rec
        .flow
        .handle(Event::PasswordSet, now, &ctx.limits)
        .map_err(|e| refuse(&rec, e, now))?;
    let account = match &rec.account_id {
        Some(a) => ctx.store.find_account(Lookup::Id(a)).await?,
        None => None,
    };
    let mut identifiers: Vec<String> = Vec::new();
    if let Some(a) = &account {
        identifiers.push(a.id.clone());
        identifiers.extend(a.email.iter().cloned());
        identifiers.extend(
            a.email
                .iter()
                .filter_map(|e| e.split('@').next().map(str::to_owned)),
        );
        identifiers.extend(a.phone.iter().cloned());
        identifiers.extend(a.phone.iter().map(|p| p.trim_start_matches('+').to_owned()));
    }
    identifiers.extend(rec.targets.iter().map(|t| t.address.clone()));
    let refs: Vec<&str> = identifiers.iter().map(String::as_str).collect();
    let new = ctx
        .policy
        .check(password, confirm, &refs)
        .map_err(|e| ApiError::password(e, flow_locale(&rec)))?;
    let hash = hash_password(new.into_string(), ctx.hash_cost).await?;
    let done = commit(ctx, rec, t, None, Some(&hash)).await?;
    tracing::info!(flow = %done.id, "password reset completed");
    Ok(done)
}

/// Asks for a manual review.
///
/// # Errors
///
/// `review.*` refusals (422), the flow's refusals, internal.
pub async fn request_review(
    ctx: &Ctx,
    id: &str,
    contact: &str,
    message: &str,
    locale: Locale,
) -> Result<FlowRecord, ApiError> {
    let rec = load(ctx, id, locale).await?;
    let now = (ctx.clock)();
    let ask = |contact: &str| {
        rec.flow.handle(
            Event::ReviewRequested {
                contact: contact.to_owned(),
                message: message.to_owned(),
            },
            now,
            &ctx.limits,
        )
    };
    // The machine's own checks (expiry, step, empty fields, length) first.
    let _asked: Transition = ask(contact).map_err(|e| refuse(&rec, e, now))?;
    let parsed = identifier::parse(contact, None)
        .ok()
        .filter(|c| c.kind() != Kind::AccountId)
        .ok_or_else(|| ApiError::new(Code::ReviewContactInvalid, flow_locale(&rec)))?;
    let t = ask(parsed.as_str()).map_err(|e| refuse(&rec, e, now))?;
    commit(ctx, rec, t, None, None).await
}

/// An operator's decision on a review (admin API and CLI).
///
/// # Errors
///
/// `review.not_found`, `review.decided`, the flow's refusals (e.g. the
/// flow expired), `review.contact_invalid`, internal.
pub async fn decide_review(ctx: &Ctx, review_id: i64, approve: bool) -> Result<Review, ApiError> {
    let en = Locale::En;
    let review = ctx
        .store
        .review(review_id)
        .await?
        .ok_or_else(|| ApiError::new(Code::ReviewNotFound, en))?;
    if review.status != ReviewStatus::Pending {
        return Err(ApiError::new(Code::ReviewDecided, en));
    }
    let rec = load(ctx, &review.flow_id, en).await?;
    let now = (ctx.clock)();
    let (t, targets) = if approve {
        let contact = identifier::parse(&review.contact, None)
            .map_err(|_| ApiError::new(Code::ReviewContactInvalid, en))?;
        let (kind, to) = match contact.kind() {
            Kind::Phone => (ChannelKind::Sms, mask_phone(contact.as_str())),
            Kind::Email => (ChannelKind::Email, mask_email(contact.as_str())),
            Kind::AccountId => return Err(ApiError::new(Code::ReviewContactInvalid, en)),
        };
        let channel = Channel {
            id: REVIEW.into(),
            kind,
            to,
        };
        let t = rec
            .flow
            .handle(Event::ReviewApproved { channel }, now, &ctx.limits)
            .map_err(|e| refuse(&rec, e, now))?;
        let targets = vec![Target {
            channel: REVIEW.into(),
            kind,
            address: contact.as_str().to_owned(),
        }];
        (t, Some(targets))
    } else {
        let t = rec
            .flow
            .handle(Event::ReviewDenied, now, &ctx.limits)
            .map_err(|e| refuse(&rec, e, now))?;
        (t, None)
    };
    let decision = if approve {
        ReviewStatus::Approved
    } else {
        ReviewStatus::Denied
    };
    // The guarded update picks the one operator whose decision counts.
    if !ctx.store.decide_review(review_id, decision, now).await? {
        return Err(ApiError::new(Code::ReviewDecided, en));
    }
    commit(ctx, rec, t, targets, None).await?;
    tracing::info!(review = review_id, approved = approve, "review decided");
    Ok(Review {
        status: decision,
        ..review
    })
}

/// Signs in: a session token for the right password, `login.failed`
/// otherwise. An unknown identifier costs the same argon2 verification.
///
/// # Errors
///
/// `login.failed` (401), `rate.limited`, internal.
pub async fn login(
    ctx: &Ctx,
    identifier: &str,
    password: &str,
    locale: Locale,
    ip: &str,
) -> Result<(String, Account), ApiError> {
    let per_minute = ctx.rates.ip_logins_per_minute;
    limit(ctx, Scope::IpLogins, ip, 60, per_minute, locale).await?;
    let failed = || ApiError::new(Code::LoginFailed, locale);
    let account = match identifier::parse(identifier, ctx.default_region) {
        Ok(id) => ctx.store.find_account(lookup(&id)).await?,
        Err(_) => None,
    };
    let phc = account
        .as_ref()
        .map_or_else(|| ctx.dummy_hash.clone(), |a| a.password_hash.clone());
    // The policy's NFKC form is what was hashed. A password that cannot be
    // normalised matches no stored hash, but is still verified (against
    // whatever hash is at hand) so that the answer takes the same time.
    let normalised =
        resetflow::password::normalise(password).unwrap_or_else(|_| password.to_owned());
    let ok = verify_password(normalised, phc).await?;
    match account {
        Some(a) if ok => {
            let token = random_id() + &random_id();
            let hash = ctx.keys.mac(Purpose::Session, &[token.as_bytes()]);
            ctx.store
                .create_session(&hash, &a.id, (ctx.clock)())
                .await?;
            Ok((token, a))
        }
        _ => Err(failed()),
    }
}

/// The account of a live session token.
///
/// # Errors
///
/// Internal on store failure.
pub async fn session_account(ctx: &Ctx, token: &str) -> Result<Option<String>, ApiError> {
    let hash = ctx.keys.mac(Purpose::Session, &[token.as_bytes()]);
    if let Some(account) = ctx.store.session_account(&hash).await? {
        return Ok(Some(account));
    }
    // During a key rotation, sessions opened under the previous secret.
    match ctx.keys.previous_mac(Purpose::Session, &[token.as_bytes()]) {
        Some(old) => Ok(ctx.store.session_account(&old).await?),
        None => Ok(None),
    }
}

/// The text of a code message in `locale`; `{code}` is replaced.
fn code_text(locale: Locale) -> &'static str {
    match locale {
        Locale::De => {
            "Ihr resetflow-Bestätigungscode lautet {code}. Er ist 10 Minuten gültig. \
Geben Sie ihn niemandem weiter: Wir fragen nie danach."
        }
        Locale::Es => {
            "Su código de verificación de resetflow es {code}. Caduca en 10 minutos. \
No lo comparta: nunca se lo pediremos."
        }
        Locale::Id => {
            "Kode verifikasi resetflow Anda adalah {code}. Berlaku 10 menit. \
Jangan bagikan kepada siapa pun: kami tidak akan pernah memintanya."
        }
        Locale::Zh => {
            "您的 resetflow 验证码是 {code}，10 分钟内有效。请勿告诉任何人：我们绝不会向您索要。"
        }
        _ => {
            "Your resetflow verification code is {code}. It expires in 10 minutes. \
Never share it: we will never ask you for it."
        }
    }
}

/// The notice every channel gets after a reset, in `locale`.
fn notice_text(locale: Locale) -> &'static str {
    match locale {
        Locale::De => {
            "Das Passwort Ihres Kontos wurde soeben geändert. Falls Sie das nicht waren, \
starten Sie sofort eine Kontowiederherstellung."
        }
        Locale::Es => {
            "La contraseña de su cuenta acaba de cambiar. Si no fue usted, \
inicie de inmediato una recuperación de la cuenta."
        }
        Locale::Id => {
            "Kata sandi akun Anda baru saja diubah. Jika ini bukan Anda, \
segera mulai pemulihan akun."
        }
        Locale::Zh => "您账户的密码刚刚被更改。如果不是您本人操作，请立即开始账户恢复。",
        _ => {
            "The password of your account was just changed. If this was not you, \
start an account recovery at once."
        }
    }
}

/// Performs a transition's effects for the stored `rec` (after the save).
async fn perform(
    ctx: &Ctx,
    rec: &FlowRecord,
    effects: &[Effect],
    password_hash: Option<&str>,
    before: Option<&FlowRecord>,
) -> Result<(), ApiError> {
    let now = (ctx.clock)();
    // The contacts as they were before this transition, for notices.
    let old_account = match &rec.account_id {
        Some(id) if effects.contains(&Effect::NotifyAllChannels) => {
            ctx.store.find_account(Lookup::Id(id)).await?
        }
        _ => None,
    };
    for effect in effects {
        match effect {
            Effect::IssueCaptcha => {
                issue_captcha(ctx, rec).await?;
            }
            Effect::SendCode { channel } => {
                let code = random_code();
                let hash = ctx
                    .keys
                    .mac(Purpose::Code, &[rec.id.as_bytes(), code.as_bytes()]);
                let expires = now.add_secs(ctx.limits.code_validity_secs);
                ctx.store.put_code(&rec.id, &hash, now, expires).await?;
                let target = rec.targets.iter().find(|t| &t.channel == channel);
                let kind = rec
                    .flow
                    .channels()
                    .iter()
                    .find(|c| &c.id == channel)
                    .map_or(ChannelKind::Email, |c| c.kind);
                let message = Message {
                    kind,
                    to: target.map(|t| t.address.clone()).unwrap_or_default(),
                    text: code_text(flow_locale(rec)).replace("{code}", &code),
                    secret: code,
                    decoy: target.is_none(),
                    purpose: MessagePurpose::Code,
                    locale: flow_locale(rec).as_str().to_owned(),
                };
                ctx.store.enqueue(&message, now).await?;
                ctx.wake.notify_one();
            }
            Effect::QueueReview { contact, message } => {
                let id = ctx
                    .store
                    .create_review(&rec.id, rec.account_id.as_deref(), contact, message, now)
                    .await?;
                tracing::info!(flow = %rec.id, review = id, "manual review queued");
            }
            Effect::StorePassword => {
                if let (Some(account), Some(hash)) = (&rec.account_id, password_hash) {
                    ctx.store.set_password_hash(account, hash, now).await?;
                }
            }
            Effect::ReplaceContacts { channel } => {
                let target = rec.targets.iter().find(|t| t.channel == channel.id);
                if let (Some(account), Some(t)) = (&rec.account_id, target) {
                    ctx.store
                        .replace_contacts(account, t.kind, &t.address, now)
                        .await?;
                }
            }
            Effect::RevokeOtherFlowsAndSessions => {
                if let Some(account) = &rec.account_id {
                    let n = ctx.store.revoke_sessions(account, now).await?;
                    let flows = revoke_flows(ctx, account, &rec.id, now).await?;
                    tracing::info!(flow = %rec.id, sessions = n, flows, "revoked after reset");
                }
            }
            Effect::NotifyAllChannels => {
                let mut to: Vec<(ChannelKind, String)> = Vec::new();
                if let Some(a) = &old_account {
                    to.extend(a.phone.iter().map(|p| (ChannelKind::Sms, p.clone())));
                    to.extend(a.email.iter().map(|e| (ChannelKind::Email, e.clone())));
                }
                for t in before.map_or(&rec.targets, |b| &b.targets) {
                    to.push((t.kind, t.address.clone()));
                }
                to.sort_by(|a, b| (a.0.as_str(), &a.1).cmp(&(b.0.as_str(), &b.1)));
                to.dedup();
                for (kind, address) in to {
                    let message = Message {
                        kind,
                        to: address,
                        text: notice_text(flow_locale(rec)).to_owned(),
                        secret: String::new(),
                        decoy: false,
                        purpose: MessagePurpose::PasswordChanged,
                        locale: flow_locale(rec).as_str().to_owned(),
                    };
                    ctx.store.enqueue(&message, now).await?;
                }
                ctx.wake.notify_one();
            }
            // A future effect this server does not know must not pass
            // silently: it may be a security duty.
            other => {
                return Err(ApiError::internal(format!(
                    "unhandled flow effect {other:?}"
                )));
            }
        }
    }
    Ok(())
}

/// Locks every other live flow of the account; returns how many.
async fn revoke_flows(
    ctx: &Ctx,
    account: &str,
    except: &str,
    now: Timestamp,
) -> Result<usize, ApiError> {
    let mut revoked = 0;
    for other in ctx.store.live_flows_of_account(account, now).await? {
        if other.id == except {
            continue;
        }
        let mut current = other;
        // A concurrent request may move the flow on; retry on a lost race.
        for _ in 0..5 {
            let Ok(t) = current.flow.handle(Event::Revoked, now, &ctx.limits) else {
                break; // already terminal or expired
            };
            let saved = ctx
                .store
                .save_flow(&current.id, &t.flow, current.flow.revision(), None)
                .await?;
            if saved == Saved::Saved {
                revoked += 1;
                break;
            }
            match ctx.store.flow(&current.id).await? {
                Some(fresh) => current = fresh,
                None => break,
            }
        }
    }
    Ok(revoked)
}
