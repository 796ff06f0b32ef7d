// Type definitions for resetflow, the browser entry. Hand-written: the
// types wasm-bindgen generates say `any` and `object` where these say what
// the module accepts and returns.

/// <reference lib="dom" />

/** The languages of messages and of the form. */
export type Locale = "en" | "de" | "es" | "id" | "zh";

/** What an identifier was recognised as. */
export type IdentifierKind = "email" | "phone" | "account_id";

/** `validateIdentifier`'s verdict on valid input. */
export interface ValidatedIdentifier {
  /** The kind detected. */
  kind: IdentifierKind;
  /**
   * The canonical form the server also computes: an e-mail address with its
   * domain lower-cased and in punycode, a phone number in E.164
   * (`+4915123456789`), or the account ID's digits.
   */
  normalized: string;
}

/** Options of `validateIdentifier`. */
export interface ValidateIdentifierOptions {
  /**
   * ISO 3166-1 alpha-2 region (`"DE"`) for phone numbers typed without a
   * leading `+`. Without it, bare digits are an account ID when they fit.
   */
  region?: string;
  /**
   * The language of error messages; a BCP 47 tag is negotiated. Default
   * `"en"`. Locales other than English give their messages once loaded
   * with `loadLocale` (a `RecoveryForm` loads its own); until then, English.
   */
  locale?: Locale | (string & {});
}

/** The stable codes `validateIdentifier` throws. New codes may be added. */
export type IdentifierErrorCode =
  | "identifier.empty"
  | "identifier.too_long"
  | "identifier.unrecognized"
  | "email.missing_local"
  | "email.invalid_local"
  | "email.local_too_long"
  | "email.missing_domain"
  | "email.invalid_domain"
  | "email.domain_too_long"
  | "email.label_too_long"
  | "email.too_long"
  | "phone.invalid_characters"
  | "phone.missing_region"
  | "phone.invalid_country_code"
  | "phone.too_short"
  | "phone.too_long"
  | "phone.invalid"
  | "account_id.too_short"
  | "account_id.too_long"
  | "account_id.invalid_prefix"
  | "region.unknown";

/**
 * What resetflow functions throw: a plain object (not an `Error`) with a
 * stable `code` to branch on and a localised `message` to show.
 */
export interface ResetflowError<Code extends string = string> {
  code: Code;
  message: string;
}

/**
 * The kind and canonical form of what a user typed into an identifier field:
 * an e-mail address, a phone number or a numeric account ID. The same code
 * as the server's, so both give the same verdict.
 *
 * @throws {ResetflowError<IdentifierErrorCode | string>} on invalid input,
 * e.g. `{ code: "email.invalid_domain", message: "..." }`.
 */
export function validateIdentifier(
  input: string,
  options?: ValidateIdentifierOptions,
): ValidatedIdentifier;

/**
 * Loads the texts of a locale (`en`, `de`, `es`, `id`, `zh`; a BCP 47 tag is
 * negotiated, anything else is English) and resolves to its tag. Each locale
 * is a separate module of the package (`locales/<tag>.js`, about 3 KB
 * gzipped), imported on first use; English is part of the entry.
 */
export function loadLocale(tag: string): Promise<Locale>;

/**
 * Settles once the phone-number table (`phone-metadata.tsv`, fetched in the
 * background at import) is installed; rejects if it could not be loaded.
 * Until then, phone numbers are checked for E.164 shape only.
 */
export const phoneMetadataReady: Promise<void>;

/**
 * Installs the phone-number table from the text of `phone-metadata.tsv`.
 * The package does this itself at import; call it only to load the table
 * from elsewhere. Idempotent.
 *
 * @throws {ResetflowError} when the text is not a valid table.
 */
export function loadPhoneMetadata(text: string): void;

/** The steps of the recovery form, as in `data-step` and `resetflow:step`. */
export type RecoveryStep =
  | "identifier"
  | "captcha"
  | "channel"
  | "code"
  | "password"
  | "review"
  | "review_pending"
  | "done"
  | "locked"
  | "expired";

/** Options of `new RecoveryForm(element, options)`. */
export interface RecoveryFormOptions {
  /**
   * The recovery API's base URL: a path on this origin (`"/api/recovery"`) or
   * an absolute URL (`"https://id.example.com/api/recovery"`; it must allow
   * this origin). Requests use `fetch` with `credentials: "same-origin"`.
   */
  endpoint: string;
  /** The form's language. Default: the first of `navigator.languages` it speaks, else `"en"`. */
  locale?: Locale;
  /** ISO 3166-1 alpha-2 region (`"DE"`) for phone numbers typed without `+`. */
  region?: string;
}

/** `detail` of `resetflow:step`, fired on entering every step, the first included. */
export interface RecoveryStepDetail {
  step: RecoveryStep;
  /** The flow's id; `null` before the server has created the flow. */
  flowId: string | null;
}

/** `detail` of `resetflow:complete`, fired once the new password is set. */
export interface RecoveryCompleteDetail {
  flowId: string;
}

/**
 * `detail` of `resetflow:error`, fired for every error answer of the server
 * and every network failure. Checks made in the browser (a password
 * mismatch, say) show in the form without an event.
 */
export interface RecoveryErrorDetail {
  /** A stable code: the server's (`"captcha.mismatch"`, `"rate.limited"`) or `"network.failed"`. */
  code: string;
  /** The HTTP status, or 0 for a network failure or a check made in the browser. */
  status: number;
}

/** The events the form dispatches on its element (they bubble and cross shadow roots). */
export interface RecoveryFormEventMap {
  "resetflow:step": CustomEvent<RecoveryStepDetail>;
  "resetflow:complete": CustomEvent<RecoveryCompleteDetail>;
  "resetflow:error": CustomEvent<RecoveryErrorDetail>;
}

/**
 * The whole recovery flow (identifier, image code, channel, code, new
 * password, manual review) rendered into an element of the page.
 *
 * ```js
 * const form = new RecoveryForm(document.querySelector("#recover"), { endpoint: "/api/recovery" });
 * form.destroy(); // removes its DOM, listeners and timers
 * ```
 */
export class RecoveryForm {
  /**
   * Renders the form into `element` (a `<div class="rf">` child). In English,
   * or in a locale already loaded with `loadLocale`, the first step is there
   * when the constructor returns; otherwise once the locale's texts arrive
   * (listen for `resetflow:step`).
   * @throws {TypeError} when `options.endpoint` is missing or `options.region` is not a known region.
   */
  constructor(element: HTMLElement, options: RecoveryFormOptions);
  /** Removes the form's DOM, listeners and timers. */
  destroy(): void;
  /** The current flow's id, once the server has created one. */
  readonly flowId: string | undefined;
}

declare global {
  interface HTMLElementEventMap extends RecoveryFormEventMap {}
}
