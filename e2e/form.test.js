// The package's `RecoveryForm` on its own, against a scripted API: its
// markup, focus, locales, events, client-side checks, network failures,
// timers and `destroy()`. No server runs: `page.route` serves the page, the
// package from www/pkg/ and the recovery API (lib/stub.js), so each test
// checks exactly what the form sends and how it shows each answer. The walk
// against the real server is the other files' job.

import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";

import { launch } from "./lib/browser.js";
import { ORIGIN, ScriptedApi, openFormPage } from "./lib/stub.js";

// Flow objects as the server sends them (openapi.yaml, `Flow`).
const CHANNELS = [
  { id: "c1", kind: "sms", to: "+49 ••• •••• 89" },
  { id: "c2", kind: "email", to: "d•••@example.com" },
];
const FLOW = { id: "f 1", identifier: "d•••@example.com", expires_at: 2000000000 };
const FLOW_CAPTCHA = { ...FLOW, step: "captcha", channels: [], attempts_left: 5, resend_after: null };
const FLOW_CHANNEL = { ...FLOW, step: "channel", channels: CHANNELS, attempts_left: null, resend_after: 0 };
const FLOW_CODE = { ...FLOW, step: "code", channels: CHANNELS, attempts_left: 5, resend_after: 60, code_channel: "c1" };
const FLOW_PASSWORD = { ...FLOW, step: "password", channels: [], attempts_left: null, resend_after: null };
const FLOW_DONE = { ...FLOW, step: "done", channels: [], attempts_left: null, resend_after: null };

/** Node-side calls of the page's `window.T` (lib/stub.js). */
function dom(page) {
  const call = (name, ...args) => page.evaluate(([n, a]) => window.T[n](...a), [name, args]);
  return {
    mount: (options, opts) => call("mount", options, opts),
    attr: (selector, name) => call("attr", selector, name),
    text: (selector) => call("text", selector),
    value: (selector) => call("value", selector),
    has: (selector) => call("has", selector),
    count: (selector) => call("count", selector),
    step: () => call("step"),
    type: (name, value) => call("type", name, value),
    submit: () => call("submit"),
    click: (selector) => call("click", selector),
    active: () => call("active"),
    events: (type) => call("events", type),
    flowId: () => page.evaluate(() => window.T.form.flowId),
    destroy: () => page.evaluate(() => window.T.form.destroy()),
    waitFor: (selector, ms = 5000) => page.evaluate(([s, m]) => window.T.waitFor(s, m).then(() => true), [selector, ms]),
  };
}

describe("RecoveryForm", () => {
  let browser;
  let page;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    if (page) {
      const problems = page.problems;
      await page.context().close();
      page = null;
      assert.deepEqual(problems, [], "no errors on the page");
    }
  });

  /** A fresh page answering with `api`; returns its `dom` helpers. */
  async function open(api, opts) {
    page = await openFormPage(browser, api, opts);
    return dom(page);
  }

  test("identifier step: markup, focus and the first event", async () => {
    const f = await open(new ScriptedApi());
    assert.deepEqual(await f.mount({ endpoint: "/api/recovery", locale: "en" }), { ok: true });
    const s = await page.evaluate(() => {
      const root = T.q("div.rf", T.host);
      const input = T.q("input[name=identifier]");
      const label = T.q(`label[for="${input.id}"]`);
      const err = T.q("p.rf-error");
      return {
        rootIsHostChild: root.parentElement === T.host,
        lang: root.getAttribute("lang"),
        forms: root.querySelectorAll("form").length,
        novalidate: T.q("form.rf-step[data-step=identifier]").hasAttribute("novalidate"),
        h2: T.text("h2"),
        h2Tabindex: T.attr("h2", "tabindex"),
        autocomplete: input.getAttribute("autocomplete"),
        label: label.textContent,
        errRole: err.getAttribute("role"),
        errLive: err.getAttribute("aria-live"),
        errText: err.textContent,
        errCode: err.hasAttribute("data-code"),
        submit: T.text("button[type=submit]"),
        styled: root.querySelectorAll("[style]").length,
      };
    });
    assert.deepEqual(s, {
      rootIsHostChild: true,
      lang: "en",
      forms: 1,
      novalidate: true,
      h2: "Reset your password",
      h2Tabindex: "-1",
      autocomplete: "username",
      label: "E-mail, phone number or account ID",
      errRole: "alert",
      errLive: "assertive",
      errText: "",
      errCode: false,
      submit: "Continue",
      styled: 0,
    });
    assert.equal((await f.active()).name, "identifier", "focus on the field");
    const evs = await f.events();
    assert.deepEqual(evs, [
      { type: "resetflow:step", detail: { step: "identifier", flowId: null }, bubbles: true, composed: true },
    ]);
    assert.equal(await f.flowId(), undefined);
    await f.destroy();
  });

  test("the kind follows what is typed", async () => {
    const f = await open(new ScriptedApi());
    await f.mount({ endpoint: "/api/recovery", locale: "en", region: "DE" });
    const kinds = await page.evaluate(() =>
      ["demo@example.com", "demo@", "+49 151 23456789", "100000001", "hello", ""].map((typed) => {
        T.type("identifier", typed);
        return [typed, T.attr("output.rf-kind", "data-kind"), T.text("output.rf-kind")];
      }));
    assert.deepEqual(kinds, [
      ["demo@example.com", "email", "E-mail address"],
      ["demo@", "email", "E-mail address"],
      ["+49 151 23456789", "phone", "Phone number"],
      ["100000001", "account_id", "Account ID"],
      ["hello", "", ""],
      ["", "", ""],
    ]);
    await f.destroy();
  });

  test("an invalid identifier shows a German error and sends nothing", async () => {
    const api = new ScriptedApi();
    const f = await open(api);
    await f.mount({ endpoint: "/api/recovery", locale: "de" });
    assert.equal(await page.evaluate(() => T.root().getAttribute("lang")), "de");
    assert.equal(await f.text("h2"), "Passwort zurücksetzen");
    await f.type("identifier", "jane@");
    await f.submit();
    await page.waitForTimeout(50);
    assert.equal(await f.attr("p.rf-error", "data-code"), "email.missing_domain");
    assert.equal(await f.text("p.rf-error"), "Geben Sie die Domain nach dem @ ein, zum Beispiel example.com.");
    assert.equal(await f.attr("[name=identifier]", "aria-invalid"), "true");
    assert.equal((await f.active()).name, "identifier");
    assert.equal(api.calls.length, 0, "an invalid identifier sends no request");
    assert.equal(await f.step(), "identifier");
    assert.deepEqual((await f.events("resetflow:error")), [], "client-side errors fire no event");
    // Typing again clears the invalid mark.
    await f.type("identifier", "jane@example.com");
    assert.equal(await f.attr("[name=identifier]", "aria-invalid"), null);
    await f.destroy();
  });

  test("Chinese and Spanish texts", async () => {
    const f = await open(new ScriptedApi());
    await f.mount({ endpoint: "/api/recovery", locale: "zh-CN" });
    assert.equal(await page.evaluate(() => T.root().getAttribute("lang")), "zh");
    assert.equal(await f.text("h2"), "重置密码");
    assert.equal(await f.text("label"), "电子邮件、手机号码或账号 ID");
    assert.equal(await f.text("button[type=submit]"), "继续");
    await f.destroy();
    await f.mount({ endpoint: "/api/recovery", locale: "es" }, { newHost: false });
    assert.equal(await page.evaluate(() => T.host.children.length), 1, "the destroyed form is gone");
    assert.equal(await page.evaluate(() => T.root().getAttribute("lang")), "es");
    assert.equal(await f.text("h2"), "Restablece tu contraseña");
    await f.destroy();
  });

  test("the locale defaults to the browser's languages", async () => {
    // The first language with texts wins; none known falls back to English.
    for (const [browserLocale, expected] of [["de-DE", "de"], ["zh-CN", "zh"], ["es-MX", "es"], ["id-ID", "id"], ["fr-FR", "en"]]) {
      const f = await open(new ScriptedApi(), { locale: browserLocale });
      const languages = await page.evaluate(() => navigator.languages);
      assert.equal(languages[0], browserLocale, "the context sets navigator.languages");
      await f.mount({ endpoint: "/api/recovery" });
      assert.equal(await page.evaluate(() => T.root().getAttribute("lang")), expected, browserLocale);
      if (expected === "de") assert.equal(await f.text("h2"), "Passwort zurücksetzen");
      await f.destroy();
      await page.context().close();
      page = null;
    }
  });

  test("bad options throw a TypeError and render nothing", async () => {
    const f = await open(new ScriptedApi());
    const host = () => page.evaluate(() => T.host.childElementCount);
    for (const options of [{}, undefined, { endpoint: "" }, { endpoint: "/x", region: "XX" }]) {
      const r = await f.mount(options);
      assert.ok(r.error, `${JSON.stringify(options)} throws`);
      assert.equal(r.error.isTypeError, true, `${JSON.stringify(options)}: ${r.error.name}: ${r.error.message}`);
      assert.ok(r.error.message.length > 0);
      assert.equal(await host(), 0, "nothing rendered on error");
    }
  });

  test("destroy() removes everything; late answers and events do nothing", async () => {
    const api = new ScriptedApi();
    let release;
    // The answer to the flow start arrives only after destroy().
    api.push(201, FLOW_CAPTCHA, { hold: new Promise((r) => { release = r; }) });
    const f = await open(api);
    await f.mount({ endpoint: "/api/recovery", locale: "en" });
    await page.evaluate(() => {
      window.oldRoot = T.root();
      window.oldInput = T.q("[name=identifier]");
    });
    await f.type("identifier", "100000001");
    await f.submit();
    while (api.calls.length === 0) await new Promise((r) => setTimeout(r, 10));
    await f.destroy();
    assert.equal(await page.evaluate(() => T.host.childElementCount), 0);
    assert.equal(await page.evaluate(() => window.oldRoot.parentNode), null);
    release();
    while (api.answered === 0) await new Promise((r) => setTimeout(r, 10));
    await page.waitForTimeout(100);
    const s = await page.evaluate(() => {
      const root = window.oldRoot;
      const input = window.oldInput;
      input.value = "demo@example.com";
      input.dispatchEvent(new Event("input", { bubbles: true }));
      return {
        children: root.childElementCount,
        step: root.querySelector("form.rf-step").dataset.step,
        kind: root.querySelector("output.rf-kind").getAttribute("data-kind"),
        host: T.host.childElementCount,
        flowId: T.form.flowId,
      };
    });
    assert.deepEqual(s, { children: 1, step: "identifier", kind: "account_id", host: 0, flowId: undefined });
    assert.deepEqual((await f.events()).map((e) => e.type), ["resetflow:step"], "no event after destroy()");
    await f.destroy(); // a second call does nothing
    assert.equal(await page.evaluate(() => T.host.childElementCount), 0);
  });
});
