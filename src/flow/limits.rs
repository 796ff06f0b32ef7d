/// The numbers of SPEC section 5 that a single flow enforces.
///
/// [`Limits::DEFAULT`] holds the specified values; a server may configure
/// others and tests use small ones. A count of `0` behaves like `1` (one
/// wrong answer ends it), so no configuration makes a step impossible.
///
/// Limits that span flows (sends per identifier per hour, requests per
/// client IP) are the server's: a single flow cannot see them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Limits {
    /// How long a flow lives from its start (or from a review approval), in
    /// seconds. A flow is expired from `start + flow_lifetime_secs` on.
    /// Default 900 (15 min).
    pub flow_lifetime_secs: u64,
    /// Wrong captcha answers that lock the flow. Default 5.
    pub captcha_attempts: u32,
    /// How long a code is accepted after it was sent, in seconds. A code is
    /// expired from `sent + code_validity_secs` on. Default 600 (10 min).
    pub code_validity_secs: u64,
    /// Wrong codes after which the current code is dead. Default 5.
    pub code_attempts: u32,
    /// Seconds between two sends of a code (to any channel). Default 60.
    pub resend_cooldown_secs: u64,
    /// Codes one flow may send. Default 5: the per-identifier budget of
    /// SPEC section 5 ("at most 5 sends per identifier per hour"), which one
    /// flow (15 min, one identifier) can never exceed whatever else the
    /// server counts. Bounds online guessing to `sends × code_attempts`
    /// tries per flow.
    pub sends_per_flow: u32,
    /// How long a flow waits for an operator's decision once a review is
    /// requested, in seconds. Default 604,800 (7 days): the page promises an
    /// answer within one working day, and a weekend plus a holiday must not
    /// expire the request.
    pub review_lifetime_secs: u64,
    /// The longest review message, in Unicode scalar values. Default 2,000.
    pub review_message_max_chars: usize,
}

impl Limits {
    /// The values of SPEC section 5.
    pub const DEFAULT: Limits = Limits {
        flow_lifetime_secs: 15 * 60,
        captcha_attempts: 5,
        code_validity_secs: 10 * 60,
        code_attempts: 5,
        resend_cooldown_secs: 60,
        sends_per_flow: 5,
        review_lifetime_secs: 7 * 24 * 60 * 60,
        review_message_max_chars: 2_000,
    };

    pub(crate) fn captcha_attempts(&self) -> u32 {
        self.captcha_attempts.max(1)
    }

    pub(crate) fn code_attempts(&self) -> u32 {
        self.code_attempts.max(1)
    }

    pub(crate) fn sends_per_flow(&self) -> u32 {
        self.sends_per_flow.max(1)
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::Limits;

    #[test]
    fn defaults_are_the_spec_numbers() {
        let l = Limits::default();
        assert_eq!(l.flow_lifetime_secs, 900);
        assert_eq!(l.captcha_attempts, 5);
        assert_eq!(l.code_validity_secs, 600);
        assert_eq!(l.code_attempts, 5);
        assert_eq!(l.resend_cooldown_secs, 60);
        assert_eq!(l.sends_per_flow, 5);
    }

    #[test]
    fn zero_counts_behave_like_one() {
        let l = Limits {
            captcha_attempts: 0,
            code_attempts: 0,
            sends_per_flow: 0,
            ..Limits::DEFAULT
        };
        assert_eq!(
            (l.captcha_attempts(), l.code_attempts(), l.sends_per_flow()),
            (1, 1, 1)
        );
    }
}
