//! The token's bytes and their text form (format version 1).
//!
//! ```text
//! token = "v1." base64url-no-pad(body)                 126 characters
//! body  = kid[4] nonce[16] expires_at[8] tag2[32] tag1[32]   92 bytes
//! ```
//!
//! `expires_at` is unix seconds, big-endian. `tag1` authenticates the
//! version byte `0x01` and every body byte before it; `tag2` binds the answer.
//! The length is fixed, so it is checked before any decoding.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// The text prefix naming the format version.
pub(crate) const PREFIX: &str = "v1.";
/// The format version byte, the first input to `tag1`.
pub(crate) const VERSION: u8 = 1;

pub(crate) const KID_LEN: usize = 4;
pub(crate) const NONCE_LEN: usize = 16;
pub(crate) const EXPIRY_LEN: usize = 8;
pub(crate) const TAG_LEN: usize = 32;

const KID_AT: usize = 0;
const NONCE_AT: usize = KID_AT + KID_LEN;
const EXPIRY_AT: usize = NONCE_AT + NONCE_LEN;
const TAG2_AT: usize = EXPIRY_AT + EXPIRY_LEN;
/// Where `tag1` starts: everything before it is what it authenticates.
pub(crate) const TAG1_AT: usize = TAG2_AT + TAG_LEN;
pub(crate) const BODY_LEN: usize = TAG1_AT + TAG_LEN;

/// base64 without padding: 4 characters per 3 bytes, rounded up.
const ENCODED_BODY_LEN: usize = (BODY_LEN * 4).div_ceil(3);

/// The length of every version 1 token, in bytes (all ASCII).
pub const TOKEN_LEN: usize = PREFIX.len() + ENCODED_BODY_LEN;

/// A token body as fixed-size bytes.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Body(pub(crate) [u8; BODY_LEN]);

impl Body {
    /// A body with `tag1` still zero.
    pub(crate) fn new(
        kid: [u8; KID_LEN],
        nonce: [u8; NONCE_LEN],
        expires_at: u64,
        tag2: [u8; TAG_LEN],
    ) -> Body {
        let mut b = [0u8; BODY_LEN];
        b[KID_AT..NONCE_AT].copy_from_slice(&kid);
        b[NONCE_AT..EXPIRY_AT].copy_from_slice(&nonce);
        b[EXPIRY_AT..TAG2_AT].copy_from_slice(&expires_at.to_be_bytes());
        b[TAG2_AT..TAG1_AT].copy_from_slice(&tag2);
        Body(b)
    }

    pub(crate) fn kid(&self) -> [u8; KID_LEN] {
        array(&self.0[KID_AT..NONCE_AT])
    }

    pub(crate) fn nonce(&self) -> [u8; NONCE_LEN] {
        array(&self.0[NONCE_AT..EXPIRY_AT])
    }

    pub(crate) fn expires_at(&self) -> u64 {
        u64::from_be_bytes(array(&self.0[EXPIRY_AT..TAG2_AT]))
    }

    pub(crate) fn tag2(&self) -> [u8; TAG_LEN] {
        array(&self.0[TAG2_AT..TAG1_AT])
    }

    /// The bytes `tag1` authenticates after the version byte.
    pub(crate) fn signed(&self) -> &[u8] {
        &self.0[..TAG1_AT]
    }

    pub(crate) fn tag1(&self) -> &[u8] {
        &self.0[TAG1_AT..]
    }

    pub(crate) fn set_tag1(&mut self, tag1: &[u8; TAG_LEN]) {
        self.0[TAG1_AT..].copy_from_slice(tag1);
    }

    /// The text form.
    pub(crate) fn encode(&self) -> String {
        let mut out = String::with_capacity(TOKEN_LEN);
        out.push_str(PREFIX);
        URL_SAFE_NO_PAD.encode_string(self.0, &mut out);
        out
    }

    /// Parses the text form. Input is attacker controlled: the length is
    /// checked first, decoding writes into a fixed stack buffer, nothing is
    /// allocated, nothing panics. The engine refuses padding and non-zero
    /// trailing bits, so each body has exactly one text form.
    pub(crate) fn decode(token: &str) -> Option<Body> {
        if token.len() != TOKEN_LEN {
            return None;
        }
        let encoded = token.strip_prefix(PREFIX)?;
        let mut body = [0u8; BODY_LEN];
        match URL_SAFE_NO_PAD.decode_slice(encoded.as_bytes(), &mut body) {
            Ok(BODY_LEN) => Some(Body(body)),
            _ => None,
        }
    }
}

fn array<const N: usize>(bytes: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(bytes);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout() {
        assert_eq!(BODY_LEN, 92);
        assert_eq!(ENCODED_BODY_LEN, 123);
        assert_eq!(TOKEN_LEN, 126);
    }

    #[test]
    fn round_trip() {
        let mut body = Body::new([1, 2, 3, 4], [5; 16], 0x0102_0304_0506_0708, [9; 32]);
        body.set_tag1(&[10; 32]);
        let text = body.encode();
        assert_eq!(text.len(), TOKEN_LEN);
        assert!(text.starts_with("v1.AQIDBAUF"), "{text}");
        let back = Body::decode(&text).unwrap();
        assert!(back == body);
        assert_eq!(back.kid(), [1, 2, 3, 4]);
        assert_eq!(back.nonce(), [5; 16]);
        assert_eq!(back.expires_at(), 0x0102_0304_0506_0708);
        assert_eq!(back.tag2(), [9; 32]);
        assert_eq!(back.tag1(), &[10; 32]);
        assert_eq!(back.signed().len(), 60);
    }

    #[test]
    fn refuses_wrong_shapes() {
        let mut body = Body::new([0; 4], [0; 16], 0, [0; 32]);
        body.set_tag1(&[0; 32]);
        let good = body.encode();
        assert!(Body::decode(&good).is_some());
        assert!(Body::decode("").is_none());
        assert!(Body::decode(&good[..TOKEN_LEN - 1]).is_none());
        assert!(Body::decode(&format!("{good}A")).is_none());
        assert!(Body::decode(&good.replacen("v1.", "v2.", 1)).is_none());
        assert!(Body::decode(&good.replacen('A', "+", 1)).is_none());
        assert!(Body::decode(&good.replacen('A', "=", 1)).is_none());
        // 123 characters carry 738 bits for 736: the last two must be zero.
        let last_bits_set = format!("{}B", &good[..TOKEN_LEN - 1]);
        assert!(Body::decode(&last_bits_set).is_none());
        // Multi-byte characters of the right byte length.
        let wide = format!("v1.{}", "é".repeat(61) + "A");
        assert_eq!(wide.len(), TOKEN_LEN);
        assert!(Body::decode(&wide).is_none());
    }
}
