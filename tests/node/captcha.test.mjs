// The npm package's `./captcha` entry, as installed from the packed tarball.
// tools/check_pkg.sh installs target/npm/resetflow-<version>.tgz into a
// temporary project, copies this file there and runs `node --test` on it.
//
// Tokens are checked against a second implementation of the documented
// token format (src/token/mod.rs, "Construction") written here with
// node:crypto, itself checked first against a vector of
// tests/vectors/token_v1.txt (made by a Python implementation). It mints
// tokens for known answers, and, since the test holds the key, it can find
// the answer a 4-digit captcha's token binds by trying all 10,000.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHmac, getRandomValues, hkdfSync, timingSafeEqual } from "node:crypto";
import { fileURLToPath, pathToFileURL } from "node:url";
import { test } from "node:test";

import { CaptchaIssuer } from "resetflow/captcha";

// --- the token format, from its specification ------------------------------

function subkeys(master, purpose = "captcha") {
  const expand = (info, len) => Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), info, len));
  return {
    kid: expand("resetflow/token/v1/key-id", 4),
    mac: expand(`resetflow/token/v1/mac/${purpose}`, 32),
    answer: expand(`resetflow/token/v1/answer/${purpose}`, 32),
  };
}

const hmac = (key, ...parts) => {
  const h = createHmac("sha256", key);
  for (const part of parts) h.update(part);
  return h.digest();
};

const u64 = (n) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};

function mint(master, { nonce, expiresAt, answer }) {
  const k = subkeys(master);
  const exp = u64(expiresAt);
  const tag2 = hmac(k.answer, nonce, exp, Buffer.from(answer));
  const tag1 = hmac(k.mac, Buffer.from([1]), k.kid, nonce, exp, tag2);
  return "v1." + Buffer.concat([k.kid, nonce, exp, tag2, tag1]).toString("base64url");
}

function parse(token) {
  const body = Buffer.from(token.slice(3), "base64url");
  return {
    kid: body.subarray(0, 4),
    nonce: body.subarray(4, 20),
    expiresAt: Number(body.readBigUInt64BE(20)),
    tag2: body.subarray(28, 60),
    tag1: body.subarray(60, 92),
    signed: body.subarray(0, 60),
  };
}

const now = () => Math.floor(Date.now() / 1000);
const newKey = () => getRandomValues(new Uint8Array(32));
const mintFresh = (key, answer) =>
  mint(key, { nonce: getRandomValues(new Uint8Array(16)), expiresAt: now() + 300, answer });

// tests/vectors/token_v1.txt, [token captcha-basic].
const VECTOR = {
  master: Buffer.from("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "hex"),
  nonce: Buffer.from("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf", "hex"),
  expiresAt: 1700000300,
  answer: "482913",
  token:
    "v1.ot5G_qChoqOkpaanqKmqq6ytrq8AAAAAZVPyLNZmHje4R_GnNRsicgKFRw9qDV-dQzltG45D4247UA5m4xRZkiLO4tATh_aPyrCmpQ8tMqI4uYq5z8YDZnHw8f8",
};

test("the reference implementation in this file reproduces the Python vector", () => {
  assert.equal(mint(VECTOR.master, VECTOR), VECTOR.token);
});

// --- PNG --------------------------------------------------------------------

function pngSize(png) {
  assert.ok(png instanceof Uint8Array, "png is a Uint8Array");
  const b = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  assert.deepEqual([...b.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(b.readUInt32BE(8), 13, "IHDR length");
  assert.equal(b.toString("latin1", 12, 16), "IHDR");
  assert.equal(b.toString("latin1", b.length - 8, b.length - 4), "IEND");
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

// --- issuing ------------------------------------------------------------------

test("issue: a PNG of the configured size and a token of this key", () => {
  const key = newKey();
  const issuer = new CaptchaIssuer(key);
  const c = issuer.issue();
  assert.deepEqual(pngSize(c.png), [160, 60]);
  assert.equal(c.width, 160);
  assert.equal(c.height, 60);
  assert.ok(c.png.length > 500, `a drawn image, not a blank one (${c.png.length} bytes)`);
  assert.match(c.token, /^v1\.[A-Za-z0-9_-]{123}$/);

  const t = parse(c.token);
  const k = subkeys(key);
  assert.deepEqual(t.kid, k.kid, "key id derived from this key");
  const tag1 = hmac(k.mac, Buffer.from([1]), t.signed);
  assert.ok(timingSafeEqual(tag1, t.tag1), "integrity tag under this key, purpose captcha");
  assert.equal(t.expiresAt, c.expiresAt);
  assert.ok(Math.abs(c.expiresAt - (now() + 300)) <= 2, "default lifetime 300 s");
  assert.equal(issuer.ttlSeconds, 300);

  const d = issuer.issue();
  assert.notDeepEqual(parse(d.token).nonce, t.nonce, "fresh nonce per captcha");
  assert.notDeepEqual(Buffer.from(d.png), Buffer.from(c.png), "a new picture per captcha");
  issuer.free();
});

test("issue: options set length, size, scale and lifetime", () => {
  const issuer = new CaptchaIssuer(newKey(), {
    length: 4, width: 200, height: 80, scale: 2, difficulty: "hard", ttlSeconds: 60,
  });
  const c = issuer.issue();
  assert.deepEqual(pngSize(c.png), [400, 160]);
  assert.deepEqual([c.width, c.height], [400, 160]);
  assert.ok(Math.abs(c.expiresAt - (now() + 60)) <= 2);
});

test("issue + verify: the answer the token binds is accepted once", () => {
  const key = newKey();
  const issuer = new CaptchaIssuer(key, { length: 4 });
  const c = issuer.issue();
  // Only the key holder can find the answer: try every 4-digit answer.
  const t = parse(c.token);
  const k = subkeys(key);
  const exp = u64(t.expiresAt);
  const answers = [];
  for (let n = 0; n < 10_000; n++) {
    const guess = String(n).padStart(4, "0");
    if (timingSafeEqual(hmac(k.answer, t.nonce, exp, Buffer.from(guess)), t.tag2)) answers.push(guess);
  }
  assert.equal(answers.length, 1, "the token binds exactly one 4-digit answer");
  // Typed with spaces and full-width digits, as a person might.
  const typed = [...answers[0]].map((d) => String.fromCharCode(0xff10 + Number(d))).join(" ");
  assert.deepEqual(issuer.verify(c.token, typed), { ok: true });
  assert.deepEqual(issuer.verify(c.token, answers[0]), { ok: false, reason: "replayed" });
});

// --- verifying ---------------------------------------------------------------

test("verify: right answer ok, then replayed", () => {
  const key = newKey();
  const issuer = new CaptchaIssuer(key);
  const token = mintFresh(key, "482913");
  assert.deepEqual(issuer.verify(token, "482913"), { ok: true });
  assert.deepEqual(issuer.verify(token, "482913"), { ok: false, reason: "replayed" });
});

test("verify: a wrong answer is a mismatch and uses the token up", () => {
  const key = newKey();
  const issuer = new CaptchaIssuer(key);
  const token = mintFresh(key, "482913");
  assert.deepEqual(issuer.verify(token, "482914"), { ok: false, reason: "mismatch" });
  assert.deepEqual(issuer.verify(token, "482913"), { ok: false, reason: "replayed" });
  // An issued captcha, answered wrong (no 7-digit answer fits a 6-digit captcha).
  const c = issuer.issue();
  assert.deepEqual(issuer.verify(c.token, "0000000"), { ok: false, reason: "mismatch" });
  assert.deepEqual(issuer.verify(c.token, "0000000"), { ok: false, reason: "replayed" });
});

test("verify: tampered, foreign and non-string tokens are malformed", () => {
  const key = newKey();
  const issuer = new CaptchaIssuer(key);
  const token = mintFresh(key, "482913");
  const i = 40;
  const flipped = token.slice(0, i) + (token[i] === "A" ? "B" : "A") + token.slice(i + 1);
  assert.deepEqual(issuer.verify(flipped, "482913"), { ok: false, reason: "malformed" });
  assert.deepEqual(issuer.verify(token.slice(0, -1), "482913"), { ok: false, reason: "malformed" });
  assert.deepEqual(issuer.verify("", "482913"), { ok: false, reason: "malformed" });
  assert.deepEqual(issuer.verify(undefined, "482913"), { ok: false, reason: "malformed" });
  const other = new CaptchaIssuer(newKey());
  assert.deepEqual(other.verify(token, "482913"), { ok: false, reason: "malformed" });
  // The untampered token is still unused: malformed attempts do not burn it.
  assert.deepEqual(issuer.verify(token, "482913"), { ok: true });
});

test("verify: an expired token is told apart", () => {
  const key = newKey();
  const issuer = new CaptchaIssuer(key);
  const token = mint(key, { nonce: getRandomValues(new Uint8Array(16)), expiresAt: now() - 5, answer: "482913" });
  assert.deepEqual(issuer.verify(token, "482913"), { ok: false, reason: "expired" });
  // The Python vector is genuine (its key) but expired in 2023.
  assert.deepEqual(new CaptchaIssuer(VECTOR.master).verify(VECTOR.token, "482913"), {
    ok: false,
    reason: "expired",
  });
});

// --- errors -------------------------------------------------------------------

test("bad keys and options throw { code, message } without the key", () => {
  const cases = [
    [() => new CaptchaIssuer(new Uint8Array(31).fill(0x41)), "token.config.key_too_short"],
    [() => new CaptchaIssuer("a string of more than thirty-two bytes, not bytes"), "token.config.key_type"],
    [() => new CaptchaIssuer(newKey(), { length: 3 }), "captcha.length"],
    [() => new CaptchaIssuer(newKey(), { length: 9 }), "captcha.length"],
    [() => new CaptchaIssuer(newKey(), { width: 60 }), "captcha.size"],
    [() => new CaptchaIssuer(newKey(), { scale: 4 }), "captcha.scale"],
    [() => new CaptchaIssuer(newKey(), { scale: 1.5 }), "captcha.options"],
    [() => new CaptchaIssuer(newKey(), { length: "6" }), "captcha.options"],
    [() => new CaptchaIssuer(newKey(), { difficulty: "extreme" }), "captcha.difficulty"],
    [() => new CaptchaIssuer(newKey(), { ttlSeconds: 0 }), "token.config.invalid_ttl"],
    [() => new CaptchaIssuer(newKey(), { ttlSeconds: 86_401 }), "token.config.invalid_ttl"],
    [() => new CaptchaIssuer(newKey(), 42), "captcha.options"],
  ];
  for (const [make, code] of cases) {
    let thrown;
    try {
      make();
    } catch (e) {
      thrown = e;
    }
    assert.ok(thrown, `expected ${code}`);
    assert.equal(thrown.code, code);
    assert.equal(typeof thrown.message, "string");
    assert.ok(thrown.message.length > 0);
    assert.ok(!thrown.message.includes("AAAA"), "the key is not echoed");
  }
});

// --- the edge entry -------------------------------------------------------------

test("the default (edge) entry instantiates through fetch", () => {
  // In a fresh process, so the Node entry has not initialised the module
  // already; Node's fetch has no file: URLs, so a stand-in serves them the
  // way an edge runtime serves its own assets.
  const edge = fileURLToPath(import.meta.resolve("resetflow/package.json")).replace(/package\.json$/, "captcha/index.js");
  const script = `
    import { readFile } from "node:fs/promises";
    const fetched = [];
    globalThis.fetch = async (url) => {
      fetched.push(String(url));
      return new Response(await readFile(new URL(url)), { headers: { "content-type": "application/wasm" } });
    };
    const { CaptchaIssuer } = await import(${JSON.stringify(pathToFileURL(edge).href)});
    const c = new CaptchaIssuer(crypto.getRandomValues(new Uint8Array(32))).issue();
    console.log(JSON.stringify({ fetched, png: [...c.png.subarray(1, 4)], token: c.token.length }));
  `;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.equal(out.fetched.length, 1);
  assert.match(out.fetched[0], /\/captcha\/resetflow_captcha_bg\.wasm$/);
  assert.equal(String.fromCharCode(...out.png), "PNG");
  assert.equal(out.token, 126);
});
