// Walks the recovery form step by step as a user would (with the mouse),
// reading the captcha answers and codes from the dev outbox.

import assert from "node:assert/strict";

import { captchaAnswer, codeFor, outboxMark } from "./api.js";
import { captchaLoaded, flowId, shot, step, waitStep } from "./browser.js";

/** The demo account of dev mode and its channels. */
export const DEMO = {
  id: "100000001",
  email: "demo@example.com",
  phone: "+4915123456789",
};

/** A password the policy takes. */
export const NEW_PASSWORD = "Velvet-Otter-Runs-42";

/** Step 1: types `identifier` and submits; ends at `captcha`. */
export async function enterIdentifier(page, identifier, { snap } = {}) {
  const s = step(page, "identifier");
  await s.locator('input[name="identifier"]').fill(identifier);
  if (snap) {
    await page.waitForFunction(() => document.querySelector("output.rf-kind")?.dataset.kind);
    await snap();
  }
  await s.locator('button[type="submit"]').click();
  await waitStep(page, "captcha");
  return flowId(page);
}

/** Waits until the page's outbox column shows `secret`. */
export async function outboxShows(page, secret) {
  await page.locator(`#outbox [data-secret="${secret}"]`).first().waitFor({ state: "visible", timeout: 10000 });
}

/** Step 2: reads the shown image's answer from the outbox; ends at `channel`. */
export async function solveCaptcha(page, server, { snap } = {}) {
  await captchaLoaded(page);
  const id = await flowId(page);
  const answer = await captchaAnswer(server.url, id);
  if (snap) {
    await outboxShows(page, answer);
    await snap();
  }
  const s = step(page, "captcha");
  await s.locator('input[name="answer"]').fill(answer);
  await s.locator('button[type="submit"]').click();
  await waitStep(page, "channel");
}

/** Step 3: picks the channel with this id (`sms`, `email`); ends at `code`. Returns an outbox mark. */
export async function chooseChannel(page, server, channel) {
  const mark = await outboxMark(server.url);
  const s = step(page, "channel");
  await s.locator(`input[name="channel"][value="${channel}"]`).check();
  await s.locator('button[type="submit"]').click();
  await waitStep(page, "code");
  return mark;
}

/** Step 4: types the code sent to `to` after `mark`; ends at `password`. */
export async function enterCode(page, server, to, mark, { snap } = {}) {
  const code = await codeFor(server.url, to, mark);
  assert.match(code, /^\d{6}$/);
  if (snap) {
    await outboxShows(page, code);
    await snap();
  }
  const s = step(page, "code");
  await s.locator('input[name="code"]').fill(code);
  await s.locator('button[type="submit"]').click();
  await waitStep(page, "password");
  return code;
}

/** Step 5: types the password twice; ends at `done`. */
export async function setPassword(page, password = NEW_PASSWORD, { snap } = {}) {
  const s = step(page, "password");
  await s.locator('input[name="password"]').fill(password);
  await s.locator('input[name="confirm"]').fill(password);
  if (snap) await snap();
  await s.locator('button[type="submit"]').click();
  await waitStep(page, "done");
}

/**
 * The whole flow from the first step to `done`, a screenshot after each
 * step when `shots` names a prefix.
 */
export async function walk(page, server, { identifier, channel, to, password = NEW_PASSWORD, shots }) {
  const snap = async (n, name) => { if (shots) await shot(page, `${shots}-${n}-${name}`, server); };
  await enterIdentifier(page, identifier, { snap: () => snap("1", "identifier") });
  await solveCaptcha(page, server, { snap: () => snap("2", "captcha") });
  await snap("3", "channel");
  const mark = await chooseChannel(page, server, channel);
  await enterCode(page, server, to, mark, { snap: () => snap("4", "code") });
  await setPassword(page, password, { snap: () => snap("5", "password") });
  await snap("6", "done");
}

/** Signs in through the page's sign-in box; returns `data-result`. */
export async function signInOnPage(page, identifier, password) {
  await page.fill("#signin-identifier", identifier);
  await page.fill("#signin-password", password);
  await page.locator("#signin-result").evaluate((el) => { el.dataset.result = ""; });
  await page.click('#signin button[type="submit"]');
  const result = page.locator('#signin-result:not([data-result=""])');
  await result.waitFor({ state: "visible", timeout: 15000 });
  return result.getAttribute("data-result");
}
