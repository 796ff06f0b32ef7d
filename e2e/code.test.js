// The code step's side paths, on a server whose wall clock the test moves
// (libfaketime) and a page on playwright's fake clock, so the 60 s resend
// cooldown passes without waiting for it: resend (disabled with a visible
// countdown, then a new code), and "not working?" to the other channel
// (a real 429 `code.cooldown` with its countdown first, then the code
// arrives on the other channel), and a flow that outlived its 15 minutes.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { codeFor, codesSince, outboxMark } from "./lib/api.js";
import { clockText, countdown, errorOf, launch, openPage, shot, step, waitStep } from "./lib/browser.js";
import { DEMO, chooseChannel, enterCode, enterIdentifier, outboxShows, setPassword, solveCaptcha } from "./lib/flow.js";
import { startServer } from "./lib/server.js";

const COOLDOWN = 60;

describe("code step", () => {
  let server;
  let browser;

  before(async () => {
    [server, browser] = await Promise.all([startServer({ faketime: true }), launch()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Both clocks past the cooldown: the server's and the page's. */
  async function pastCooldown(page) {
    server.advanceClock(COOLDOWN + 2);
    await page.clock.fastForward((COOLDOWN + 2) * 1000);
  }

  test("resend is disabled with a countdown, then sends a new code", async () => {
    const page = await openPage(browser, server.url, { clock: true });
    await enterIdentifier(page, DEMO.id);
    await solveCaptcha(page, server);
    const mark = await chooseChannel(page, server, "sms");
    const first = await codeFor(server.url, DEMO.phone, mark);

    const resend = step(page, "code").locator('button[data-action="resend"]');
    const a = await countdown(resend);
    assert.equal(a.disabled, true, "resend is disabled during the cooldown");
    assert.ok(a.seconds > COOLDOWN - 5 && a.seconds <= COOLDOWN, `seconds left: ${a.seconds}`);
    assert.ok(a.text.includes(clockText(a.seconds)), `the countdown is visible: "${a.text}" for ${a.seconds} s`);
    await outboxShows(page, first);
    await shot(page, "code-resend-countdown", server);

    // It counts down.
    await page.clock.fastForward(3000);
    const b = await countdown(resend);
    assert.ok(b.seconds < a.seconds && b.seconds >= a.seconds - 4, `${a.seconds} s, then ${b.seconds} s`);
    assert.equal(b.disabled, true);
    assert.ok(b.text.includes(clockText(b.seconds)), b.text);

    await pastCooldown(page);
    await page.waitForFunction(() => !document.querySelector('[data-action="resend"]').disabled);
    const c = await countdown(resend);
    assert.equal(c.seconds, 0);
    assert.ok(!/\d:\d\d/.test(c.text), `no countdown once it may be used: "${c.text}"`);

    const mark2 = await outboxMark(server.url);
    await resend.click();
    const second = await codeFor(server.url, DEMO.phone, mark2);
    assert.equal((await codesSince(server.url, mark2)).length, 1, "exactly one new code");
    // The cooldown starts again.
    await page.waitForFunction(() => document.querySelector('[data-action="resend"]').disabled);
    const d = await countdown(resend);
    assert.ok(d.seconds > COOLDOWN - 5 && d.seconds <= COOLDOWN, `${d.seconds}`);
    assert.notEqual(second, first);
    await enterCode(page, server, DEMO.phone, mark2);
    await setPassword(page);
    await page.context().close();
  });

  test("not working? during the cooldown gets 429 with a countdown; after it the code goes to the other channel", async () => {
    const page = await openPage(browser, server.url, { clock: true });
    await enterIdentifier(page, DEMO.email);
    await solveCaptcha(page, server);
    const mark = await chooseChannel(page, server, "sms");
    await codeFor(server.url, DEMO.phone, mark);

    await step(page, "code").locator('button[data-action="not-working"]').click();
    await waitStep(page, "channel");
    const channel = step(page, "channel");
    assert.equal(await channel.locator('button[data-action="review"]').count(), 1, "manual review is offered");
    const current = channel.locator("label.rf-choice[data-current]");
    assert.equal(await current.count(), 1, "the channel the code went to is marked");
    assert.equal(await current.locator('input[name="channel"]').getAttribute("value"), "sms");
    await shot(page, "code-not-working", server);

    // Another channel pays the same cooldown: a real 429 from the server.
    const mark2 = await outboxMark(server.url);
    await channel.locator('input[name="channel"][value="email"]').check();
    await channel.locator('button[type="submit"]').click();
    const err = await errorOf(page, "channel");
    assert.equal(err.code, "code.cooldown");
    const retry = channel.locator('button[data-action="retry"]');
    await retry.waitFor({ state: "visible" });
    const r = await countdown(retry);
    assert.equal(r.disabled, true, "retry waits for Retry-After");
    assert.ok(r.seconds > 0 && r.seconds <= COOLDOWN, `retry in ${r.seconds} s`);
    assert.ok(r.text.includes(String(r.seconds)) || r.text.includes(clockText(r.seconds)), `countdown shown: "${r.text}"`);
    await shot(page, "code-429-countdown", server);

    await pastCooldown(page);
    await page.waitForFunction(() => {
      const b = document.querySelector('.rf-step [data-action="retry"]');
      return b && !b.disabled;
    });
    await retry.click();
    await waitStep(page, "code");
    const code = await codeFor(server.url, DEMO.email, mark2);
    const sent = await codesSince(server.url, mark2);
    assert.deepEqual(sent.map((e) => [e.kind, e.to]), [["email", DEMO.email]], "the code went to the other channel only");
    await enterCode(page, server, DEMO.email, mark2);
    assert.match(code, /^\d{6}$/);
    await setPassword(page);
    await page.context().close();
  });

  test("a flow past its 15 minutes shows the expired step; restart begins anew", async () => {
    const page = await openPage(browser, server.url);
    await enterIdentifier(page, DEMO.id);
    await solveCaptcha(page, server);
    server.advanceClock(15 * 60 + 5);
    const channel = step(page, "channel");
    await channel.locator('input[name="channel"][value="email"]').check();
    await channel.locator('button[type="submit"]').click();
    await waitStep(page, "expired");
    await shot(page, "code-expired", server);
    await step(page, "expired").locator('button[data-action="restart"]').click();
    await waitStep(page, "identifier");
    await page.context().close();
  });
});
