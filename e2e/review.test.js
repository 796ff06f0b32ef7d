// Manual review: a user who can reach none of the channels gives a new
// contact and a message, sees the promise of an answer, an operator
// approves it through the admin API, a code goes to the new contact, and
// the user carries on in the same page to a new password; a denial locks.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { admin, call, codeFor, login, outboxMark } from "./lib/api.js";
import { errorOf, flowId, launch, openPage, shot, step, waitStep } from "./lib/browser.js";
import { DEMO, enterIdentifier, setPassword, signInOnPage, solveCaptcha } from "./lib/flow.js";
import { startServer } from "./lib/server.js";

const NEW_PHONE = "+4917612345678";

describe("manual review", () => {
  let server;
  let browser;

  before(async () => {
    [server, browser] = await Promise.all([startServer({ admin: true }), launch()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("contact and message → review_pending with the promise; approval sends a code to the new contact", async () => {
    // On playwright's clock, so the form's periodic look at a pending
    // review can be brought forward.
    const page = await openPage(browser, server.url, { clock: true });
    await enterIdentifier(page, DEMO.id);
    await solveCaptcha(page, server);
    const id = await flowId(page);

    await step(page, "channel").locator('button[data-action="review"]').click();
    await waitStep(page, "review");
    const review = step(page, "review");
    // "Back" returns to the channels, and the review is offered again.
    await review.locator('button[data-action="back"]').click();
    await waitStep(page, "channel");
    await step(page, "channel").locator('button[data-action="review"]').click();
    await waitStep(page, "review");

    // A contact that is neither a phone nor an e-mail is refused before sending.
    await review.locator('input[name="contact"]').fill("not a contact");
    await review.locator('textarea[name="message"]').fill("Lost my phone and the mailbox was closed.");
    await review.locator('button[type="submit"]').click();
    const err = await errorOf(page, "review");
    assert.ok(err.code.length > 0 && err.code !== "network.failed", `refused: ${err.code}`);

    await review.locator('input[name="contact"]').fill(NEW_PHONE);
    await shot(page, "review-1-request", server);
    await review.locator('button[type="submit"]').click();
    await waitStep(page, "review_pending");
    const pending = await step(page, "review_pending").textContent();
    assert.match(pending, /one working day/i, `the promise: ${pending}`);
    await shot(page, "review-2-pending", server);

    // The operator's side: the pending review of this flow, approved.
    const list = await admin(server.url, "GET", "?status=pending");
    assert.equal(list.status, 200, list.text);
    const mine = list.body.filter((r) => r.flow_id === id);
    assert.equal(mine.length, 1, JSON.stringify(list.body));
    const mark = await outboxMark(server.url);
    const approved = await admin(server.url, "POST", `/${mine[0].id}/approve`);
    assert.equal(approved.status, 200, approved.text);
    const code = await codeFor(server.url, NEW_PHONE, mark);

    const flow = await call(server.url, "GET", `/api/recovery/flows/${id}`);
    assert.equal(flow.body.step, "code");

    // The page looks again by itself (every 30 s; "check again" does it at
    // once) and carries on at the code step, with the code sent to the new
    // contact.
    assert.equal(await step(page, "review_pending").locator('button[data-action="refresh"]').count(), 1);
    await page.clock.fastForward(31_000);
    await waitStep(page, "code");
    assert.match(await step(page, "code").innerText(), /•••/, "the masked new contact is named");
    await shot(page, "review-3-approved-code", server);
    const c = step(page, "code");
    await c.locator('input[name="code"]').fill(code);
    await c.locator('button[type="submit"]').click();
    await waitStep(page, "password");
    const password = "Lantern-Moss-Rides-88";
    await setPassword(page, password);
    assert.equal(await signInOnPage(page, NEW_PHONE, password), "ok", "the new contact replaced the old one");
    assert.equal(await login(server.url, DEMO.phone, password), 401, "the old phone is no longer the account's");
    assert.equal(await login(server.url, DEMO.id, password), 200);
    await page.context().close();
  });

  test("check again while pending changes nothing; a denial shows the locked step", async () => {
    const page = await openPage(browser, server.url);
    await enterIdentifier(page, "mail-only@example.com");
    await solveCaptcha(page, server);
    const id = await flowId(page);
    await step(page, "channel").locator('button[data-action="review"]').click();
    await waitStep(page, "review");
    const review = step(page, "review");
    await review.locator('input[name="contact"]').fill("someone-new@example.org");
    await review.locator('textarea[name="message"]').fill("The mailbox was deleted by my old employer.");
    await review.locator('button[type="submit"]').click();
    await waitStep(page, "review_pending");

    const refresh = step(page, "review_pending").locator('button[data-action="refresh"]');
    await refresh.click();
    await page.waitForFunction(() => !document.querySelector(".rf-step[aria-busy=true], .rf[aria-busy=true]"));
    await waitStep(page, "review_pending");

    const list = await admin(server.url, "GET", "?status=pending");
    const mine = list.body.find((r) => r.flow_id === id);
    assert.ok(mine, JSON.stringify(list.body));
    const denied = await admin(server.url, "POST", `/${mine.id}/deny`);
    assert.equal(denied.status, 200, denied.text);
    await refresh.click();
    await waitStep(page, "locked");
    assert.equal(await step(page, "locked").locator('button[data-action="restart"]').count(), 1);
    await shot(page, "review-denied", server);
    await page.context().close();
  });
});
