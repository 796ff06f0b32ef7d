// The whole recovery with the keyboard alone: Tab, arrows, Enter and
// typing; no clicks and no filling of fields by script. Each step must
// move the focus to its own field, as a screen-reader or keyboard user
// relies on.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { captchaAnswer, codeFor, login, outboxMark } from "./lib/api.js";
import { captchaLoaded, cspViolations, flowId, focused, launch, openPage, shot, waitStep } from "./lib/browser.js";
import { DEMO } from "./lib/flow.js";
import { startServer } from "./lib/server.js";

/** Presses Tab (Shift+Tab with `back`) until `want(focused)` holds. */
async function tabTo(page, want, what, { back = false, max = 40 } = {}) {
  for (let i = 0; i < max; i += 1) {
    if (want(await focused(page))) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  assert.fail(`Tab never reached ${what}; focus is on ${JSON.stringify(await focused(page))}`);
}

const isField = (step, name) => (f) => f.step === step && f.name === name;
const isSubmit = (step) => (f) => f.step === step && f.tag === "button" && f.type === "submit";
const assertFocus = async (page, step, name) => {
  const f = await focused(page);
  assert.ok(isField(step, name)(f), `the focus is on ${step}/${name}, not ${JSON.stringify(f)}`);
};

describe("keyboard only", () => {
  let server;
  let browser;

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("identifier to done, then sign-in, with Tab, arrows, Enter and typing", async () => {
    const page = await openPage(browser, server.url);
    const kb = page.keyboard;

    // 1. Identifier: the form takes the focus on load; else Tab reaches it.
    await tabTo(page, isField("identifier", "identifier"), "the identifier field");
    await kb.type(DEMO.id);
    await kb.press("Enter");
    await waitStep(page, "captcha");

    // 2. Image code: the focus is on the answer field already.
    await assertFocus(page, "captcha", "answer");
    await captchaLoaded(page);
    await kb.type(await captchaAnswer(server.url, await flowId(page)));
    await kb.press("Enter");
    await waitStep(page, "channel");

    // 3. Channel: focus inside the step; pick e-mail with the arrow keys.
    assert.equal((await focused(page)).step, "channel", "the focus moved into the channel step");
    await tabTo(page, (f) => f.step === "channel" && f.name === "channel", "the channel radios");
    for (let i = 0; i < 4; i += 1) {
      const checked = await page.evaluate(() => document.querySelector('.rf-step input[name="channel"]:checked')?.value);
      if (checked === "email") break;
      await kb.press("ArrowDown");
    }
    assert.equal(await page.evaluate(() => document.activeElement.value), "email");
    await tabTo(page, isSubmit("channel"), "the send button");
    const mark = await outboxMark(server.url);
    await kb.press("Enter");
    await waitStep(page, "code");

    // 4. Code: focus on the code field.
    await assertFocus(page, "code", "code");
    await kb.type(await codeFor(server.url, DEMO.email, mark));
    await kb.press("Enter");
    await waitStep(page, "password");

    // 5. Password twice; the visibility toggle works with Space.
    await assertFocus(page, "password", "password");
    const password = "Maple-Kettle-Drums-61";
    await kb.type(password);
    await tabTo(page, (f) => f.action === "toggle-visibility", "the visibility toggle");
    await kb.press("Space");
    assert.equal(await page.getAttribute('[data-action="toggle-visibility"]', "aria-pressed"), "true");
    assert.equal(await page.getAttribute('.rf-step input[name="password"]', "type"), "text");
    await kb.press("Space");
    assert.equal(await page.getAttribute('.rf-step input[name="password"]', "type"), "password");
    await tabTo(page, isField("password", "confirm"), "the confirmation field");
    await kb.type(password);
    await kb.press("Enter");
    await waitStep(page, "done");
    await shot(page, "keyboard-done", server);

    // The sign-in box, by keyboard as well.
    await tabTo(page, (f) => f.name === "identifier" && f.step === null, "the sign-in identifier");
    await kb.type(DEMO.email);
    await kb.press("Tab");
    await kb.type(password);
    await kb.press("Enter");
    await page.locator('#signin-result[data-result="ok"]').waitFor({ timeout: 15000 });
    assert.equal(await login(server.url, DEMO.phone, password), 200);
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
