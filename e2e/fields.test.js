// Guidance while typing, from the library compiled to wasm: the kind of
// identifier shown as the user types, an invalid one refused before any
// request, the password strength meter and hints, and the password policy
// (mismatch on the client, a common password refused by the server).

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { errorOf, launch, openPage, shot, step } from "./lib/browser.js";
import { DEMO, chooseChannel, enterCode, enterIdentifier, solveCaptcha } from "./lib/flow.js";
import { startServer } from "./lib/server.js";

describe("field guidance", () => {
  let server;
  let browser;

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("the identifier's kind shows as it is typed; a bad one is refused without a request", async () => {
    const page = await openPage(browser, server.url);
    const s = step(page, "identifier");
    const input = s.locator('input[name="identifier"]');
    const kind = s.locator("output.rf-kind");
    for (const [typed, want] of [
      ["jane@example.com", "email"],
      ["+49 151 23456789", "phone"],
      ["100000001", "account_id"],
      ["", ""],
    ]) {
      await input.fill(typed);
      await page.waitForFunction(([w]) => document.querySelector("output.rf-kind").dataset.kind === w, [want]);
      if (want) assert.ok((await kind.textContent()).trim().length > 0, `the kind is named for ${typed}`);
    }

    const requests = [];
    page.on("request", (r) => { if (r.url().includes("/api/recovery/flows")) requests.push(r.url()); });
    await input.fill("jane@");
    await s.locator('button[type="submit"]').click();
    const err = await errorOf(page, "identifier");
    assert.match(err.code, /^email\./, err.code);
    assert.ok(err.text.length > 0);
    assert.equal(await input.getAttribute("aria-invalid"), "true", "the field is marked invalid");
    assert.deepEqual(requests, [], "nothing was sent");
    await shot(page, "fields-identifier-error", server);
    await page.context().close();
  });

  test("password: strength meter, hints, mismatch and a common password", async () => {
    const page = await openPage(browser, server.url);
    await enterIdentifier(page, DEMO.email);
    await solveCaptcha(page, server);
    const mark = await chooseChannel(page, server, "email");
    await enterCode(page, server, DEMO.email, mark);

    const s = step(page, "password");
    const meter = s.locator("meter.rf-strength");
    const pw = s.locator('input[name="password"]');
    const confirm = s.locator('input[name="confirm"]');
    const score = async () => Number(await meter.getAttribute("data-score") ?? await meter.getAttribute("value"));

    // Predictable by structure (a run of steps): weak without any list.
    await pw.fill("abcdefgh1");
    await page.waitForFunction(() => document.querySelector("meter.rf-strength").hasAttribute("data-score"));
    const weak = await score();
    const hints = await s.locator("ul.rf-hints li").count();
    await pw.fill("Velvet-Otter-Runs-42");
    await page.waitForFunction((w) => Number(document.querySelector("meter.rf-strength").dataset.score) > w, weak);
    const strong = await score();
    assert.ok(weak <= 1 && strong >= 3, `abcdefgh1 scores ${weak}, the passphrase ${strong}`);
    assert.ok(hints > 0, "hints for the weak password");
    await shot(page, "fields-password-strength", server);

    // Typed twice, differently: refused on the client.
    await confirm.fill("Velvet-Otter-Runs-24");
    await s.locator('button[type="submit"]').click();
    assert.equal((await errorOf(page, "password")).code, "password.mismatch");

    // A common password is refused by the server's list (the browser build
    // leaves the list out to stay small).
    await pw.fill("password1");
    await confirm.fill("password1");
    await s.locator('button[type="submit"]').click();
    await page.waitForFunction(() => document.querySelector('.rf-step[data-step="password"] .rf-error').dataset.code === "password.common");
    await shot(page, "fields-password-common", server);
    await page.context().close();
  });
});
