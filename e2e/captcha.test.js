// The image-code step's side paths: a new image (and the old answer is
// refused), a wrong answer (error, attempts left, new image), and the lock
// after the last attempt.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { captchaAnswer, outbox } from "./lib/api.js";
import { captchaLoaded, errorOf, flowId, launch, openPage, shot, step, waitStep } from "./lib/browser.js";
import { DEMO, enterIdentifier, outboxShows } from "./lib/flow.js";
import { startServer } from "./lib/server.js";

/** A six-digit answer that is surely not `answer`. */
const wrong = (answer) => answer.split("").map((d) => String((Number(d) + 1) % 10)).join("");

/** Waits until the captcha step's text shows `n` (attempts left) as a number of its own. */
async function attemptsShown(page, n) {
  const re = new RegExp(`(?<!\\d)${n}(?!\\d)`);
  try {
    await page.waitForFunction((src) => new RegExp(src).test(document.querySelector('.rf-step[data-step="captcha"]').innerText),
      re.source, { timeout: 5000 });
  } catch {
    assert.fail(`${n} attempts left are not shown: ${await step(page, "captcha").innerText()}`);
  }
}

async function submitAnswer(page, answer) {
  const s = step(page, "captcha");
  await s.locator('input[name="answer"]').fill(answer);
  await s.locator('button[type="submit"]').click();
}

describe("image code", () => {
  let server;
  let browser;

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("a new image gets a new challenge and the old answer is refused", async () => {
    const page = await openPage(browser, server.url);
    const id = await enterIdentifier(page, DEMO.email);
    const firstSrc = await captchaLoaded(page);
    const first = await captchaAnswer(server.url, id);
    const issued = (await outbox(server.url)).filter((e) => e.kind === "captcha" && e.to === id).length;

    await step(page, "captcha").locator('button[data-action="new-image"]').click();
    const secondSrc = await captchaLoaded(page, firstSrc);
    assert.notEqual(secondSrc, firstSrc, "the image URL changes");
    assert.match(secondSrc, new RegExp(`/api/recovery/flows/${id}/captcha`));
    const challenges = (await outbox(server.url)).filter((e) => e.kind === "captcha" && e.to === id);
    assert.equal(challenges.length, issued + 1, "one new challenge for the new image");
    const second = challenges.at(-1).secret;
    await outboxShows(page, second);
    await shot(page, "captcha-new-image", server);

    if (first !== second) {
      // The first image's answer no longer counts.
      await submitAnswer(page, first);
      const err = await errorOf(page, "captcha");
      assert.equal(err.code, "captcha.mismatch");
      assert.ok(err.text.length > 0, "the error has a message");
      await captchaLoaded(page, secondSrc);
    }
    const now = await captchaAnswer(server.url, id);
    await submitAnswer(page, now);
    await waitStep(page, "channel");
    await page.context().close();
  });

  test("a wrong answer shows the error, the attempts left and a new image", async () => {
    const page = await openPage(browser, server.url);
    const id = await enterIdentifier(page, DEMO.id);
    const src = await captchaLoaded(page);
    const answer = await captchaAnswer(server.url, id);

    await submitAnswer(page, wrong(answer));
    const err = await errorOf(page, "captcha");
    assert.equal(err.code, "captcha.mismatch");
    assert.ok(err.text.length > 0);
    // The error is announced: role=alert, aria-live.
    const alert = step(page, "captcha").locator(".rf-error");
    assert.equal(await alert.getAttribute("role"), "alert");
    const newSrc = await captchaLoaded(page, src);
    assert.notEqual(newSrc, src, "a new image after a wrong answer");
    // 5 attempts per flow: 4 are left, and the step says so.
    await attemptsShown(page, 4);
    assert.equal(await flowId(page), id);
    await outboxShows(page, await captchaAnswer(server.url, id));
    await shot(page, "captcha-wrong-answer", server);

    // The focus stays usable: the answer field is there, empty or not, and the new answer works.
    await submitAnswer(page, await captchaAnswer(server.url, id));
    await waitStep(page, "channel");
    await page.context().close();
  });

  test("the fifth wrong answer locks the flow; restart goes back to the first step", async () => {
    const page = await openPage(browser, server.url);
    const id = await enterIdentifier(page, "mail-only@example.com");
    let src = await captchaLoaded(page);
    for (let i = 1; i <= 4; i += 1) {
      await submitAnswer(page, wrong(await captchaAnswer(server.url, id)));
      src = await captchaLoaded(page, src);
      await attemptsShown(page, 5 - i);
    }
    await submitAnswer(page, wrong(await captchaAnswer(server.url, id)));
    await waitStep(page, "locked");
    await shot(page, "captcha-locked", server);
    await step(page, "locked").locator('button[data-action="restart"]').click();
    await waitStep(page, "identifier");
    await page.context().close();
  });
});
