// Type definitions for resetflow/captcha (Node.js and edge runtimes).
// Hand-written: wasm-bindgen's generated types say `any` and `object`.

/** The stable codes a `CaptchaIssuer` throws. */
export type CaptchaErrorCode =
  | "token.config.key_type"
  | "token.config.key_too_short"
  | "token.config.invalid_ttl"
  | "captcha.options"
  | "captcha.length"
  | "captcha.size"
  | "captcha.scale"
  | "captcha.difficulty"
  | "token.rng_failed"
  | "token.store.full";

/** What a `CaptchaIssuer` throws: a plain object with a stable code. */
export interface CaptchaError {
  code: CaptchaErrorCode;
  /** English, for logs; never contains a key or an answer. */
  message: string;
}

/** Options of `new CaptchaIssuer(key, options)`. */
export interface CaptchaOptions {
  /** Number of digits, 4 to 8. Default 6. */
  length?: number;
  /** Logical width in pixels, 80 to 640 and at least 16 per digit. Default 160. */
  width?: number;
  /** Logical height in pixels, 30 to 240. Default 60. */
  height?: number;
  /** Pixel density: the PNG is `width * scale` by `height * scale`. Default 1. */
  scale?: 1 | 2 | 3;
  /** Default `"normal"`. */
  difficulty?: "easy" | "normal" | "hard";
  /** Lifetime of a token, 1 to 86400 seconds. Default 300. */
  ttlSeconds?: number;
}

/** A freshly issued captcha. */
export interface IssuedCaptcha {
  /** The image (PNG file bytes). */
  png: Uint8Array;
  /** The signed challenge token (126 ASCII characters), binding the answer without revealing it. */
  token: string;
  /** PNG width in pixels. */
  width: number;
  /** PNG height in pixels. */
  height: number;
  /** When the token expires, in Unix seconds. */
  expiresAt: number;
}

/** Why an answer was not accepted. */
export type RejectReason =
  /** Not a token of this key (tampered, truncated, another key or purpose). */
  | "malformed"
  /** A genuine token past its expiry. */
  | "expired"
  /** A genuine, fresh token, but the wrong answer; the token is now used up. */
  | "mismatch"
  /** A genuine token that was already used with this issuer. */
  | "replayed";

/** `verify`'s verdict. */
export type VerifyResult = { ok: true } | { ok: false; reason: RejectReason };

/**
 * Issues numeric image captchas with signed, single-use challenge tokens and
 * verifies answers against them. Tokens are interchangeable with the
 * resetflow Rust crate's (purpose `"captcha"`) for the same key.
 *
 * Used tokens are remembered in this instance's memory: keep one issuer per
 * process and verify where you issued, or verify with the Rust crate and a
 * shared store.
 */
export class CaptchaIssuer {
  /**
   * @param key the master secret: at least 32 random bytes, kept secret.
   * @throws {CaptchaError} for a bad key or options.
   */
  constructor(key: Uint8Array, options?: CaptchaOptions);
  /**
   * A new captcha. Send `png` and `token` to the client; the answer is
   * never exposed.
   * @throws {CaptchaError} `token.rng_failed` if the host has no `crypto.getRandomValues`.
   */
  issue(): IssuedCaptcha;
  /**
   * Checks `answer` against `token`, once: any attempt on a genuine,
   * unexpired token uses it up. Spaces and non-ASCII decimal digits in the
   * answer are accepted.
   * @throws {CaptchaError} `token.store.full` when 100,000 unexpired tokens
   * were used with this issuer (nothing was verified).
   */
  verify(token: string, answer: string): VerifyResult;
  /** The lifetime of issued tokens, in seconds. */
  readonly ttlSeconds: number;
  /** Frees the wasm memory of this issuer; it must not be used afterwards. */
  free(): void;
}
