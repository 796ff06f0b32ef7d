// The server side of a test: the dev outbox (captcha answers, codes), the
// sign-in route and the admin review routes, called from Node.

import { ADMIN_TOKEN } from "./server.js";

/** A JSON request; returns `{ status, headers, body }`. */
export async function call(base, method, path, body, headers = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, body: json, text };
}

/** Everything the dev outbox holds, oldest first. */
export async function outbox(base) {
  const r = await call(base, "GET", "/dev/outbox");
  if (r.status !== 200) throw new Error(`GET /dev/outbox: ${r.status} ${r.text}`);
  return r.body;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls the outbox until `pick(entries)` gives a value (10 s at most). */
export async function waitOutbox(base, pick, what, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  let entries = [];
  while (Date.now() < end) {
    entries = await outbox(base);
    const v = pick(entries);
    if (v !== undefined && v !== null) return v;
    await sleep(100);
  }
  throw new Error(`not in the dev outbox after ${timeoutMs} ms: ${what}\n${JSON.stringify(entries, null, 1)}`);
}

/**
 * The answer of the newest challenge issued to `flowId` (the image now on
 * the page, once it has loaded).
 */
export async function captchaAnswer(base, flowId) {
  return waitOutbox(base, (es) => es.filter((e) => e.kind === "captcha" && e.to === flowId).at(-1)?.secret,
    `a captcha for flow ${flowId}`);
}

/** How many entries the outbox holds now (a mark for `codeFor`). */
export async function outboxMark(base) {
  return (await outbox(base)).length;
}

/**
 * The newest code sent to `to` (an e-mail address or E.164 number) among
 * the entries after `since` (an `outboxMark`); waits for the delivery.
 */
export async function codeFor(base, to, since = 0) {
  return waitOutbox(base,
    (es) => es.slice(since).filter((e) => e.kind !== "captcha" && e.to === to && e.secret).at(-1)?.secret,
    `a code for ${to} after entry ${since}`);
}

/** Entries after `since` that carry a code, as `{kind, to}`. */
export async function codesSince(base, since) {
  return (await outbox(base)).slice(since).filter((e) => e.kind !== "captcha" && e.secret);
}

/** `POST /api/login`; returns the status (200 or 401). */
export async function login(base, identifier, password) {
  return (await call(base, "POST", "/api/login", { identifier, password })).status;
}

/** The admin API with the test token. */
export function admin(base, method, path) {
  return call(base, method, `/api/admin/reviews${path}`, undefined, { Authorization: `Bearer ${ADMIN_TOKEN}` });
}
