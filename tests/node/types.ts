// Compile-only test of the package's typings (tools/check_pkg.sh runs tsc
// on it, strict, against the installed tarball). `@ts-expect-error` lines
// must fail to type-check, so a typing that grew too loose fails here.
import { loadLocale, phoneMetadataReady, validateIdentifier } from "resetflow";
import type { IdentifierKind, Locale, ResetflowError, ValidatedIdentifier } from "resetflow";
import { CaptchaIssuer } from "resetflow/captcha";
import type { CaptchaError, IssuedCaptcha, RejectReason, VerifyResult } from "resetflow/captcha";

const v: ValidatedIdentifier = validateIdentifier("jane@example.com", { region: "DE", locale: "de" });
const kind: IdentifierKind = v.kind;
const normalized: string = v.normalized;
// @ts-expect-error the kind is one of three names
const notAKind: "username" = v.kind;
// @ts-expect-error region is a string
validateIdentifier("x", { region: 49 });
const ready: Promise<void> = phoneMetadataReady;
const loaded: Promise<Locale> = loadLocale("de-AT");
// @ts-expect-error the tag is a string
loadLocale(49);
const err: ResetflowError = { code: "email.invalid_domain", message: "..." };

const issuer = new CaptchaIssuer(new Uint8Array(32), { length: 6, scale: 2, difficulty: "hard", ttlSeconds: 60 });
// @ts-expect-error unknown difficulty
new CaptchaIssuer(new Uint8Array(32), { difficulty: "extreme" });
// @ts-expect-error the key is bytes
new CaptchaIssuer("secret");
const issued: IssuedCaptcha = issuer.issue();
const png: Uint8Array = issued.png;
const token: string = issued.token;
const result: VerifyResult = issuer.verify(token, "123456");
if (result.ok) {
  // @ts-expect-error no reason on success
  result.reason;
} else {
  const reason: RejectReason = result.reason;
  // @ts-expect-error reasons are the four names
  const other: "wrong" = result.reason;
}
const ttl: number = issuer.ttlSeconds;
const captchaError: CaptchaError = { code: "token.config.key_too_short", message: "..." };

export { kind, normalized, notAKind, ready, loaded, err, png, ttl, captchaError };
