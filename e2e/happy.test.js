// The whole recovery for each kind of identifier, in the test page under
// its strict CSP: identifier → captcha (answer from the dev outbox) →
// channel → code (from the dev outbox) → password twice → done; then the
// page's sign-in box takes the new password and refuses the old one.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { login } from "./lib/api.js";
import { cspViolations, launch, openPage } from "./lib/browser.js";
import { DEMO, signInOnPage, walk } from "./lib/flow.js";
import { startServer } from "./lib/server.js";

describe("happy path", () => {
  let server;
  let browser;
  let current;

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
    current = server.password;
    assert.ok(current, "the banner prints the demo password");
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const cases = [
    // typed identifier, channel, where the code goes, sign in with, new password
    { name: "account ID, code by SMS", identifier: DEMO.id, channel: "sms", to: DEMO.phone, signIn: DEMO.email, password: "Velvet-Otter-Runs-42", shots: "happy-account-id" },
    { name: "e-mail, code by e-mail", identifier: " Demo@Example.com ", channel: "email", to: DEMO.email, signIn: DEMO.phone, password: "Quiet-Harbour-Lamp-7", shots: "happy-email" },
    { name: "phone, code by SMS", identifier: "+49 151 23456789", channel: "sms", to: DEMO.phone, signIn: DEMO.id, password: "Copper-Finch-Sings-19", shots: "happy-phone" },
  ];

  for (const c of cases) {
    test(c.name, async () => {
      const page = await openPage(browser, server.url);
      await walk(page, server, { ...c });

      // The page's sign-in box: the old password fails, the new one works.
      assert.equal(await signInOnPage(page, c.signIn, current), "failed", "the old password is refused");
      assert.equal(await page.getAttribute("#signin-result", "data-code"), "login.failed");
      assert.equal(await signInOnPage(page, c.signIn, c.password), "ok", "the new password signs in");
      assert.match(await page.textContent("#signin-result"), /10•••01/);
      // And the same through the API, with the identifier the user typed.
      assert.equal(await login(server.url, c.identifier, c.password), 200);
      assert.equal(await login(server.url, c.identifier, current), 401);
      current = c.password;

      // Nothing the strict CSP had to block, no script errors.
      assert.deepEqual(await cspViolations(page), []);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }
});
