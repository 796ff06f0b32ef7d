// axe-core audits of every step of the form, in the page as served: axe's
// source is evaluated through the DevTools protocol (page.evaluate), which
// the page's CSP does not govern, so the audit needs no bypassCSP and the
// page keeps its strict policy. Fails on any `serious` or `critical`
// violation; every finding is written to target/e2e/axe.json.

import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { captchaAnswer } from "./lib/api.js";
import { OUT, captchaLoaded, cspViolations, errorOf, flowId, launch, openPage, shot, step, waitStep } from "./lib/browser.js";
import { DEMO, chooseChannel, enterCode, enterIdentifier, setPassword, solveCaptcha } from "./lib/flow.js";
import { startServer } from "./lib/server.js";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const BLOCKING = new Set(["serious", "critical"]);

const findings = {};

/** Audits the page as it is now under `name`; returns the blocking violations. */
async function audit(page, name) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
  findings[name] = violations;
  return violations.filter((v) => BLOCKING.has(v.impact));
}

const wrong = (answer) => answer.split("").map((d) => String((Number(d) + 1) % 10)).join("");

describe("axe-core audit of every step", () => {
  let server;
  let browser;
  const blocking = [];

  async function check(page, name) {
    const found = await audit(page, name);
    for (const v of found) blocking.push(`${name}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(", ")}`);
  }

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
  });
  after(async () => {
    mkdirSync(OUT, { recursive: true });
    writeFileSync(path.join(OUT, "axe.json"), `${JSON.stringify(findings, null, 2)}\n`);
    await browser?.close();
    await server?.stop();
  });

  test("the steps of a whole recovery, with their error states", async () => {
    const page = await openPage(browser, server.url);
    await check(page, "identifier");

    // A client-side error on the first step.
    const first = step(page, "identifier");
    await first.locator('input[name="identifier"]').fill("jane@");
    await first.locator('button[type="submit"]').click();
    await errorOf(page, "identifier");
    await check(page, "identifier-error");

    await enterIdentifier(page, DEMO.email);
    await captchaLoaded(page);
    await check(page, "captcha");
    const s = step(page, "captcha");
    await s.locator('input[name="answer"]').fill(wrong(await captchaAnswer(server.url, await flowId(page))));
    await s.locator('button[type="submit"]').click();
    await errorOf(page, "captcha");
    await captchaLoaded(page);
    await check(page, "captcha-error");

    await solveCaptcha(page, server);
    await check(page, "channel");
    const mark = await chooseChannel(page, server, "email");
    await check(page, "code");
    await enterCode(page, server, DEMO.email, mark);
    await check(page, "password");

    const p = step(page, "password");
    await p.locator('input[name="password"]').fill("Velvet-Otter-Runs-42");
    await p.locator('input[name="confirm"]').fill("Velvet-Otter-Runs-24");
    await p.locator('button[type="submit"]').click();
    assert.equal((await errorOf(page, "password")).code, "password.mismatch");
    await check(page, "password-error");

    await setPassword(page);
    await check(page, "done");
    assert.deepEqual(await cspViolations(page), [], "axe ran without touching the CSP");
    await page.context().close();
    assert.deepEqual(blocking.splice(0), []);
  });

  test("manual review, the pending promise, and a locked flow", async () => {
    const page = await openPage(browser, server.url);
    await enterIdentifier(page, DEMO.id);
    await solveCaptcha(page, server);
    await step(page, "channel").locator('button[data-action="review"]').click();
    await waitStep(page, "review");
    await check(page, "review");
    const r = step(page, "review");
    await r.locator('input[name="contact"]').fill("new-address@example.org");
    await r.locator('textarea[name="message"]').fill("I lost the phone and the old mailbox.");
    await r.locator('button[type="submit"]').click();
    await waitStep(page, "review_pending");
    await check(page, "review_pending");

    await page.goto("/");
    await waitStep(page, "identifier");
    const id = await enterIdentifier(page, "mail-only@example.com");
    for (let i = 0; i < 5; i += 1) {
      const src = await captchaLoaded(page);
      const c = step(page, "captcha");
      await c.locator('input[name="answer"]').fill(wrong(await captchaAnswer(server.url, id)));
      await c.locator('button[type="submit"]').click();
      if (i < 4) await captchaLoaded(page, src);
    }
    await waitStep(page, "locked");
    await check(page, "locked");
    await page.context().close();
    assert.deepEqual(blocking.splice(0), []);
  });

  test("narrow screen: the page stacked", async () => {
    const page = await openPage(browser, server.url, { viewport: { width: 375, height: 740 } });
    await check(page, "identifier-narrow");
    await shot(page, "page-narrow", server);
    await page.context().close();
    assert.deepEqual(blocking.splice(0), []);
  });
});
