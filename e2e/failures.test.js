// Failures the user can recover from: a request that never reaches the
// server shows `network.failed` and a retry that works, and the server's
// per-IP budget answering 429 shows the error with a retry held back by a
// countdown.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { call } from "./lib/api.js";
import { clockText, countdown, errorOf, launch, openPage, shot, step, waitStep } from "./lib/browser.js";
import { DEMO } from "./lib/flow.js";
import { startServer } from "./lib/server.js";

describe("failures", () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test("a network failure shows network.failed and a retry that goes on", async () => {
    const server = await startServer();
    try {
      const page = await openPage(browser, server.url);
      const events = [];
      await page.exposeFunction("__rfError", (d) => events.push(d));
      await page.evaluate(() => document.getElementById("form-host")
        .addEventListener("resetflow:error", (e) => window.__rfError(e.detail)));
      // The connection fails for the flow start (as when the network drops).
      await page.route("**/api/recovery/flows", (route) => route.abort("internetdisconnected"));
      const s = step(page, "identifier");
      await s.locator('input[name="identifier"]').fill(DEMO.email);
      await s.locator('button[type="submit"]').click();
      const err = await errorOf(page, "identifier");
      assert.equal(err.code, "network.failed");
      assert.ok(err.text.length > 0);
      const retry = s.locator('button[data-action="retry"]');
      await retry.waitFor({ state: "visible" });
      assert.equal(await retry.isEnabled(), true);
      assert.deepEqual(events.at(-1), { code: "network.failed", status: 0 });
      await shot(page, "failure-network", server);

      // The network is back: retry carries on to the image code.
      await page.unroute("**/api/recovery/flows");
      await retry.click();
      await waitStep(page, "captcha");
      assert.equal(await step(page, "captcha").locator(".rf-error[data-code]").count(), 0);
      await page.context().close();
    } finally {
      await server.stop();
    }
  });

  test("429 from the server shows rate.limited and a retry with a countdown", async () => {
    // One flow start per client IP per hour: the second one is refused.
    const server = await startServer({ flags: { "ip-flows-per-hour": 1 } });
    try {
      const first = await call(server.url, "POST", "/api/recovery/flows", { identifier: DEMO.id });
      assert.equal(first.status, 201, first.text);
      const page = await openPage(browser, server.url);
      const s = step(page, "identifier");
      await s.locator('input[name="identifier"]').fill(DEMO.email);
      await s.locator('button[type="submit"]').click();
      const err = await errorOf(page, "identifier");
      assert.equal(err.code, "rate.limited");
      const retry = s.locator('button[data-action="retry"]');
      await retry.waitFor({ state: "visible" });
      const c = await countdown(retry);
      assert.equal(c.disabled, true, "retry waits for Retry-After");
      assert.ok(c.seconds > 0 && c.seconds <= 3600, `${c.seconds} s`);
      assert.ok(c.text.includes(String(c.seconds)) || c.text.includes(clockText(c.seconds)), `countdown shown: "${c.text}"`);
      await shot(page, "failure-429", server);
      await page.context().close();
    } finally {
      await server.stop();
    }
  });
});
