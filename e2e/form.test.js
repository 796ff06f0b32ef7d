// The package's `RecoveryForm` on its own, against a scripted API: its
// markup, focus, locales, events, client-side checks, network failures,
// timers and `destroy()`. No server runs: `page.route` serves the page, the
// package from www/pkg/ and the recovery API (lib/stub.js), so each test
// checks exactly what the form sends and how it shows each answer. The walk
// against the real server is the other files' job.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { after, afterEach, before, describe, test } from "node:test";

import { launch } from "./lib/browser.js";
import { ORIGIN, PKG, ScriptedApi, openFormPage } from "./lib/stub.js";

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

const LOCALES = ["en", "de", "es", "id", "zh"];

/**
 * Every error code the recovery routes of openapi.yaml can answer, and the
 * form's own client-side codes.
 */
const ERROR_CODES = [
  "request.invalid_json",
  "request.unsupported_media_type",
  "request.origin_forbidden",
  "request.not_found",
  "request.method_not_allowed",
  "flow.not_found",
  "flow.expired",
  "flow.completed",
  "flow.locked",
  "flow.revoked",
  "flow.conflict",
  "review.denied",
  "captcha.mismatch",
  "channel.unknown",
  "code.cooldown",
  "code.send_limit",
  "code.mismatch",
  "code.attempts_exhausted",
  "code.expired",
  "rate.limited",
  "password.too_short",
  "password.too_long",
  "password.common",
  "password.contains_identifier",
  "password.needs_letters_and_digits",
  "password.mismatch",
  "password.invalid_characters",
  "review.contact_required",
  "review.message_required",
  "review.message_too_long",
  "review.contact_invalid",
  "identifier.empty",
  "identifier.unrecognized",
  "email.invalid_domain",
  "phone.too_short",
  "account_id.too_long",
  "region.unknown",
  "internal",
  // The form's own.
  "network.failed",
  "captcha.unavailable",
  "captcha.required",
  "code.required",
  "channel.required",
];

/** Polls `cond` in Node (the scripted API's state) for up to 5 s. */
async function waitUntil(cond, what, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

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
    if (!existsSync(path.join(PKG, "index.js"))) {
      throw new Error(`no package in ${PKG}: run scripts/build-pkg.sh first`);
    }
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

  test("a locale's texts are imported on first use; loadLocale makes the first render synchronous", async () => {
    const f = await open(new ScriptedApi());
    const fetched = [];
    page.on("request", (r) => {
      const m = new URL(r.url()).pathname.match(/\/locales\/(\w+)\.js$/);
      if (m) fetched.push(m[1]);
    });
    // German is not loaded yet: the root is there at once, the step once the texts arrive.
    const atOnce = await page.evaluate(() => {
      const host = T.newHost();
      T.form = new rf.RecoveryForm(host, { endpoint: "/api/recovery", locale: "de-CH" });
      return { lang: T.root().getAttribute("lang"), forms: T.count("form") };
    });
    assert.deepEqual(atOnce, { lang: "de", forms: 0 });
    await f.waitFor("form[data-step=identifier]");
    assert.equal(await f.text("h2"), "Passwort zurücksetzen");
    assert.equal((await f.active()).name, "identifier", "focus once the step is there");
    assert.deepEqual(await f.events("resetflow:step"), [
      { type: "resetflow:step", detail: { step: "identifier", flowId: null }, bubbles: true, composed: true },
    ]);
    await f.destroy();
    // After loadLocale, a form and validateIdentifier speak Spanish at once.
    const spanish = await page.evaluate(async () => {
      const before = (() => {
        try {
          rf.validateIdentifier("jane@", { locale: "es" });
        } catch (e) {
          return e;
        }
      })();
      const tag = await rf.loadLocale("es-MX");
      const host = T.newHost();
      T.form = new rf.RecoveryForm(host, { endpoint: "/api/recovery", locale: "es" });
      const h2 = T.text("h2");
      T.form.destroy();
      let after;
      try {
        rf.validateIdentifier("jane@", { locale: "es" });
      } catch (e) {
        after = e;
      }
      return { tag, h2, before, after, fallback: await rf.loadLocale("pt-BR") };
    });
    assert.equal(spanish.tag, "es");
    assert.equal(spanish.h2, "Restablece tu contraseña");
    assert.deepEqual(spanish.before, {
      code: "email.missing_domain",
      message: "Enter the domain after the @, such as example.com.",
    }, "English until the locale is loaded");
    assert.equal(spanish.after.code, "email.missing_domain");
    assert.match(spanish.after.message, /dominio/, "Spanish once loaded");
    assert.equal(spanish.fallback, "en", "a locale without texts is English");
    // English is part of the entry; each other locale is fetched once.
    assert.deepEqual(fetched.sort(), ["de", "es"]);
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
      assert.deepEqual(page.problems, [], "no errors on the page");
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
    await waitUntil(() => api.calls.length === 1, "the flow start");
    await f.destroy();
    assert.equal(await page.evaluate(() => T.host.childElementCount), 0);
    assert.equal(await page.evaluate(() => window.oldRoot.parentNode), null);
    release();
    await waitUntil(() => api.answered === 1, "the late answer");
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
  test("an unreachable endpoint shows network.failed with a retry", async () => {
    const api = new ScriptedApi(); // nothing queued: every request fails on the way
    const f = await open(api);
    await f.mount({ endpoint: "/api/recovery", locale: "en" });
    await f.type("identifier", "100000001");
    await f.submit();
    await f.waitFor("p.rf-error[data-code]", 10000);
    assert.equal(await f.attr("p.rf-error", "data-code"), "network.failed");
    assert.equal(await f.text("p.rf-error"), "The connection failed. Check your network and try again.");
    assert.equal(await f.attr("button[data-action=retry]", "disabled"), null);
    assert.equal(await f.text("button[data-action=retry]"), "Try again");
    assert.equal(await f.step(), "identifier");
    const errors = await f.events("resetflow:error");
    assert.deepEqual(errors.map((e) => e.detail), [{ code: "network.failed", status: 0 }]);
    assert.equal(errors[0].bubbles && errors[0].composed, true);
    assert.equal(api.calls.length, 1);

    // Retry sends again and fails again; the keyboard focus stays on it.
    await page.evaluate(() => T.q("button[data-action=retry]").focus());
    await f.click("button[data-action=retry]");
    await page.waitForFunction(() => T.events("resetflow:error").length === 2, null, { timeout: 10000 });
    assert.equal(api.calls.length, 2, "the retry sent the request again");
    assert.deepEqual(api.calls[1].body, api.calls[0].body);
    assert.equal((await f.active()).action, "retry");
    assert.equal(await f.count("[data-action=retry]"), 1);
    await f.destroy();
  });

  test("walks the flow against a scripted server", async () => {
    const api = new ScriptedApi("https://id.example.com/api/recovery");
    api.push(201, FLOW_CAPTCHA);
    const f = await open(api, { clock: true });
    await f.mount({ endpoint: "https://id.example.com/api/recovery/", locale: "en", region: "DE" });

    // Identifier -> captcha.
    await f.type("identifier", " demo@example.com ");
    await f.submit();
    await f.waitFor("form[data-step=captcha]");
    assert.equal(api.calls.length, 1);
    const [start] = api.calls;
    assert.equal(start.url, "https://id.example.com/api/recovery/flows");
    assert.equal(start.method, "POST");
    assert.equal(start.headers["content-type"], "application/json");
    assert.equal(start.headers.accept, "application/json");
    assert.deepEqual(start.body, { identifier: "demo@example.com", locale: "en", region: "DE" });
    const fetches = await page.evaluate(() => window.__fetches.filter((x) => x.url.startsWith("https://id.example.com/")));
    assert.deepEqual(fetches[0], {
      url: "https://id.example.com/api/recovery/flows", method: "POST", credentials: "same-origin", mode: "cors",
    });
    assert.equal(await f.flowId(), "f 1");

    const src1 = await f.attr("img.rf-captcha", "src");
    assert.match(src1, /^https:\/\/id\.example\.com\/api\/recovery\/flows\/f%201\/captcha\?n=/);
    assert.ok((await f.attr("img.rf-captcha", "alt")).length > 0);
    assert.equal(await f.attr("[name=answer]", "inputmode"), "numeric");
    assert.equal(await f.attr("[name=answer]", "autocomplete"), "off");
    assert.equal((await f.active()).name, "answer");
    assert.equal(await f.text(".rf-attempts"), "Attempts left: 5");
    await page.waitForFunction(() => {
      const img = document.querySelector("img.rf-captcha");
      return img.complete && img.naturalWidth > 0;
    });
    assert.ok(api.images.includes(src1), "the image was fetched from the endpoint");

    // Empty answer: client-side, nothing sent.
    await f.submit();
    assert.equal(await f.attr(".rf-error", "data-code"), "captcha.required");
    assert.equal(api.calls.length, 1);

    // New image.
    await f.click("[data-action=new-image]");
    const src2 = await f.attr("img.rf-captcha", "src");
    assert.notEqual(src2, src1);
    assert.equal(await f.text(".rf-error"), "", "the new image clears the error");
    assert.equal((await f.active()).name, "answer");

    // Wrong answer: error, a new image, one attempt less.
    api.pushError(422, "captcha.mismatch", "server text");
    await f.type("answer", "123456");
    await f.submit();
    await f.waitFor(".rf-error[data-code]");
    assert.equal(await f.attr(".rf-error", "data-code"), "captcha.mismatch");
    const mismatch = await f.text(".rf-error");
    assert.notEqual(mismatch, "server text", "the form's own translation");
    assert.ok(mismatch.length > 0);
    assert.notEqual(await f.attr("img.rf-captcha", "src"), src2);
    assert.equal(await f.text(".rf-attempts"), "Attempts left: 4");
    assert.equal(api.calls[1].url, "https://id.example.com/api/recovery/flows/f%201/captcha");
    assert.equal(api.calls[1].method, "POST");
    assert.deepEqual(api.calls[1].body, { answer: "123456" });

    // Right answer -> channel.
    api.push(200, FLOW_CHANNEL);
    await f.type("answer", "654321");
    await f.submit();
    await f.waitFor("form[data-step=channel]");
    assert.equal(await f.count("input[type=radio][name=channel]"), 2);
    assert.deepEqual(await page.evaluate(() => [...T.root().querySelectorAll("input[name=channel]")].map((r) => r.value)), ["c1", "c2"]);
    const channelText = await f.text("form");
    assert.ok(channelText.includes("SMS to +49 ••• •••• 89"), channelText);
    assert.ok(channelText.includes("E-mail to d•••@example.com"), channelText);
    assert.equal(await f.has("[data-action=review]"), true);
    assert.equal((await f.active()).name, "channel");

    // Send to SMS -> code, with the resend countdown running.
    api.push(200, FLOW_CODE);
    await f.submit();
    await f.waitFor("form[data-step=code]");
    assert.equal(api.calls[3].url, "https://id.example.com/api/recovery/flows/f%201/code");
    assert.deepEqual(api.calls[3].body, { channel: "c1" });
    assert.equal(await f.attr("[name=code]", "inputmode"), "numeric");
    assert.equal(await f.attr("[name=code]", "autocomplete"), "one-time-code");
    assert.equal(await f.attr("[name=code]", "maxlength"), "6");
    assert.equal((await f.active()).name, "code");
    assert.notEqual(await f.attr("[data-action=resend]", "disabled"), null);
    const secs = Number(await f.attr("[data-action=resend] [data-countdown]", "data-seconds"));
    assert.ok(secs >= 58 && secs <= 60, `${secs}`);
    const resend = await f.text("[data-action=resend]");
    assert.ok(resend.startsWith("Resend in 0:5") || resend === "Resend in 1:00", resend);

    // "Not working?" -> the channels again, the current one marked.
    await f.click("[data-action=not-working]");
    assert.equal(await f.step(), "channel");
    assert.equal(await f.count("label.rf-choice[data-current]"), 1);
    assert.ok((await f.text("label.rf-choice[data-current]")).includes("+49"));
    assert.equal(await f.attr("input[name=channel]:checked", "value"), "c2");
    // Manual review, and back.
    await f.click("[data-action=review]");
    assert.equal(await f.step(), "review");
    assert.equal((await f.active()).name, "contact");
    await f.type("contact", "100000001");
    await f.type("message", "Lost my phone");
    await f.submit();
    assert.equal(await f.attr(".rf-error", "data-code"), "review.contact_invalid");
    assert.equal(api.calls.length, 4, "an invalid contact sends nothing");
    await f.click("[data-action=back]");
    assert.equal(await f.step(), "channel");
    await f.click("[data-action=back]");
    assert.equal(await f.step(), "code");

    // A 429 on verify: retry disabled with a countdown, then usable.
    api.pushError(429, "rate.limited", "m", { retry_after: 2 }, { headers: { "Retry-After": "2" } });
    await f.type("code", "111111");
    await f.submit();
    await f.waitFor("button[data-action=retry]");
    assert.equal(await f.attr(".rf-error", "data-code"), "rate.limited");
    assert.notEqual(await f.attr("button[data-action=retry]", "disabled"), null);
    assert.equal(await f.attr("[data-action=retry] [data-countdown]", "data-seconds"), "2");
    assert.equal(await f.text("button[data-action=retry]"), "Try again in 0:02");
    // The countdown ticks with the page's clock (a 1 s interval, so a tick
    // may come up to a second late).
    await page.clock.runFor(1000);
    assert.match(await f.text("button[data-action=retry]"), /^Try again in 0:0[12]$/);
    assert.notEqual(await f.attr("button[data-action=retry]", "disabled"), null, "held back until Retry-After");
    await page.clock.runFor(1500);
    await f.waitFor("button[data-action=retry]:not([disabled])");
    assert.equal(await f.text("button[data-action=retry]"), "Try again");
    api.push(200, FLOW_PASSWORD);
    await f.click("button[data-action=retry]");
    await f.waitFor("form[data-step=password]");
    const verify = api.calls.at(-1);
    assert.equal(verify.url, "https://id.example.com/api/recovery/flows/f%201/code/verify");
    assert.deepEqual(verify.body, { code: "111111" });
    assert.equal(api.calls.at(-2).text, verify.text, "the retry sends the same request");

    // Password: strength as typed, show/hide, mismatch on the client.
    assert.equal((await f.active()).name, "password");
    assert.equal(await f.attr("[name=password]", "autocomplete"), "new-password");
    assert.equal(await f.attr("[name=confirm]", "autocomplete"), "new-password");
    assert.equal(await f.attr("[name=password]", "type"), "password");
    assert.equal(await f.attr("[name=confirm]", "type"), "password");
    await f.type("password", "aaaa");
    assert.equal(await f.attr("meter.rf-strength", "value"), "0");
    assert.equal(await f.has(".rf-hints li[data-code='password.hint.longer']"), true);
    await f.type("password", "gravel pine Lantern 47");
    assert.equal(await f.attr("meter.rf-strength", "value"), "4");
    assert.equal(await f.attr("meter.rf-strength", "data-score"), "4");
    await f.click("[data-action=toggle-visibility]");
    assert.equal(await f.attr("[name=password]", "type"), "text");
    assert.equal(await f.attr("[name=confirm]", "type"), "text");
    assert.equal(await f.attr("[data-action=toggle-visibility]", "aria-pressed"), "true");
    await f.click("[data-action=toggle-visibility]");
    assert.equal(await f.attr("[name=password]", "type"), "password");
    assert.equal(await f.attr("[name=confirm]", "type"), "password");
    assert.equal(await f.attr("[data-action=toggle-visibility]", "aria-pressed"), "false");
    await f.type("confirm", "gravel pine Lantern 48");
    const sentBefore = api.calls.length;
    await f.submit();
    assert.equal(await f.attr(".rf-error", "data-code"), "password.mismatch");
    assert.equal((await f.active()).name, "confirm");
    assert.equal(api.calls.length, sentBefore, "nothing sent on a mismatch");

    // The server refuses a common password: its code is translated.
    api.pushError(422, "password.common");
    await f.type("confirm", "gravel pine Lantern 47");
    await f.submit();
    await f.waitFor(".rf-error[data-code='password.common']");
    assert.equal(await f.text(".rf-error"), "This password is too common. Choose one that is harder to guess.");

    api.push(200, FLOW_DONE);
    await f.submit();
    await f.waitFor("form[data-step=done]");
    const last = api.calls.at(-1);
    assert.equal(last.url, "https://id.example.com/api/recovery/flows/f%201/password");
    assert.deepEqual(last.body, { password: "gravel pine Lantern 47", confirm: "gravel pine Lantern 47" });
    assert.equal((await f.active()).tag, "H2");

    const steps = (await f.events("resetflow:step")).map((e) => e.detail.step);
    assert.deepEqual(steps, [
      "identifier", "captcha", "channel", "code", "channel", "review", "channel", "code", "password", "done",
    ]);
    assert.deepEqual((await f.events("resetflow:step")).slice(1).map((e) => e.detail.flowId), Array(9).fill("f 1"));
    const complete = await f.events("resetflow:complete");
    assert.deepEqual(complete.map((e) => e.detail), [{ flowId: "f 1" }]);
    assert.equal(complete[0].bubbles && complete[0].composed, true);
    // The images loaded, so no captcha.unavailable among them.
    assert.deepEqual((await f.events("resetflow:error")).map((e) => e.detail), [
      { code: "captcha.mismatch", status: 422 },
      { code: "rate.limited", status: 429 },
      { code: "password.common", status: 422 },
    ]);
    assert.equal(api.replies.length, 0, "every scripted answer was asked for");
    await f.destroy();
  });
  test("expired and locked flows offer a restart", async () => {
    const api = new ScriptedApi();
    api.push(201, FLOW_CAPTCHA).pushError(410, "flow.expired").push(201, FLOW_CAPTCHA).pushError(409, "flow.locked");
    const f = await open(api);
    await f.mount({ endpoint: "/api/recovery", locale: "id" });
    await f.type("identifier", "100000001");
    await f.submit();
    await f.waitFor("form[data-step=captcha]");
    await f.type("answer", "1");
    await f.submit();
    await f.waitFor("form[data-step=expired]");
    assert.equal(await f.attr(".rf-error", "data-code"), "flow.expired");
    assert.equal(await f.text("h2"), "Pemulihan ini sudah kedaluwarsa");
    assert.equal((await f.active()).tag, "H2");
    assert.equal(await f.attr("h2", "tabindex"), "-1");
    await f.click("[data-action=restart]");
    assert.equal(await f.step(), "identifier");
    assert.equal(await f.value("[name=identifier]"), "100000001", "what was typed is kept");
    await f.submit();
    await f.waitFor("form[data-step=captcha]");
    assert.equal(api.calls[2].url, `${ORIGIN}/api/recovery/flows`, "a new flow");
    assert.deepEqual(api.calls[2].body, api.calls[0].body);
    await f.type("answer", "1");
    await f.submit();
    await f.waitFor("form[data-step=locked]");
    assert.equal(await f.attr(".rf-error", "data-code"), "flow.locked");
    assert.equal(await f.has("[data-action=restart]"), true);
    assert.deepEqual((await f.events("resetflow:error")).map((e) => e.detail), [
      { code: "flow.expired", status: 410 },
      { code: "flow.locked", status: 409 },
    ]);
    await f.destroy();
  });

  test("a captcha image that fails to load offers a new image", async () => {
    const api = new ScriptedApi("/rf-nowhere/api/recovery");
    api.imageStatus = 404;
    api.push(201, FLOW_CAPTCHA);
    const f = await open(api);
    await f.mount({ endpoint: "/rf-nowhere/api/recovery", locale: "en" });
    await f.type("identifier", "100000001");
    await f.submit();
    await f.waitFor("form[data-step=captcha]");
    await f.waitFor(".rf-error[data-code='captcha.unavailable']");
    assert.equal(await f.text(".rf-error"), "The image could not be loaded. Try again.");
    const src = await f.attr("img.rf-captcha", "src");
    assert.ok(src.startsWith("/rf-nowhere/api/recovery/flows/f%201/captcha?n="), src);
    assert.equal(await f.count("button[data-action=retry]"), 1);
    // Read at once, before the next image fails too.
    const after = await page.evaluate(() => {
      T.click("button[data-action=retry]");
      return {
        src: T.attr("img.rf-captcha", "src"),
        error: T.text(".rf-error"),
        code: T.attr(".rf-error", "data-code"),
        retry: T.has("button[data-action=retry]"),
        active: T.active().name,
      };
    });
    assert.notEqual(after.src, src);
    assert.ok(after.src.startsWith("/rf-nowhere/api/recovery/flows/f%201/captcha?n="), after.src);
    assert.equal(after.error, "", "cleared until the next image fails");
    assert.equal(after.code, null);
    assert.equal(after.retry, false);
    assert.equal(after.active, "answer");
    const unavailable = (await f.events("resetflow:error")).filter((e) => e.detail.code === "captcha.unavailable");
    assert.ok(unavailable.length >= 1);
    assert.deepEqual(unavailable[0].detail, { code: "captcha.unavailable", status: 0 });
    // The new image fails as well: the error and the retry come back.
    await f.waitFor(".rf-error[data-code='captcha.unavailable']");
    await f.waitFor("button[data-action=retry]");
    assert.deepEqual(api.images.map((u) => new URL(u).pathname + new URL(u).search), [src, after.src]);
    assert.equal(api.calls.length, 1, "images are not API calls");
    await f.destroy();
  });

  test("every error code is translated in every locale", async () => {
    const api = new ScriptedApi();
    for (const code of ERROR_CODES) {
      for (const _ of LOCALES) api.pushError(422, code, "SERVER TEXT");
    }
    const f = await open(api);
    const shown = await page.evaluate(async ([codes, locales]) => {
      const out = [];
      for (const code of codes) {
        for (const locale of locales) {
          await T.mount({ endpoint: "/api/recovery", locale }, { newHost: false });
          T.type("identifier", "100000001");
          T.submit();
          const el = await T.waitFor(`.rf-error[data-code='${code}']`);
          out.push({ code, locale, text: el.textContent, lang: T.root().getAttribute("lang") });
          T.form.destroy();
        }
      }
      return out;
    }, [ERROR_CODES, LOCALES]);
    assert.equal(shown.length, ERROR_CODES.length * LOCALES.length);
    for (const code of ERROR_CODES) {
      const seen = [];
      for (const { locale, text, lang } of shown.filter((x) => x.code === code)) {
        assert.equal(lang, locale);
        assert.ok(text.trim().length > 0, `${code} in ${locale}: empty`);
        assert.notEqual(text, "SERVER TEXT", `${code} in ${locale}: the server's text`);
        assert.ok(!text.includes(code), `${code} in ${locale}: shows the code: ${text}`);
        assert.ok(!seen.includes(text), `${code} in ${locale} repeats ${JSON.stringify(text)}`);
        seen.push(text);
      }
    }
    // A few by hand: German and Chinese, from the server and the form's own.
    const one = (code, locale) => shown.find((x) => x.code === code && x.locale === locale).text;
    assert.equal(one("password.common", "en"), "This password is too common. Choose one that is harder to guess.");
    assert.equal(one("network.failed", "en"), "The connection failed. Check your network and try again.");
    assert.equal(one("captcha.unavailable", "en"), "The image could not be loaded. Try again.");

    // A code nobody knows shows the server's localised message.
    api.pushError(400, "something.new", "Neue Meldung");
    await f.mount({ endpoint: "/api/recovery", locale: "de" }, { newHost: false });
    await f.type("identifier", "100000001");
    await f.submit();
    await f.waitFor(".rf-error[data-code='something.new']");
    assert.equal(await f.text(".rf-error"), "Neue Meldung");
    assert.equal(api.replies.length, 0);
    await f.destroy();
  });

  test("manual review: waits, is looked at every 30 s, carries on at the code", async () => {
    const pending = { ...FLOW_CHANNEL, step: "review_pending", resend_after: null };
    const approved = { ...FLOW_CODE, channels: [{ id: "r1", kind: "email", to: "n•••@example.org" }], code_channel: "r1" };
    const api = new ScriptedApi();
    api.push(201, FLOW_CAPTCHA).push(200, FLOW_CHANNEL).push(200, pending);
    const f = await open(api, { clock: true });
    await f.mount({ endpoint: "/api/recovery", locale: "en" });
    await f.type("identifier", "demo@example.com");
    await f.submit();
    await f.waitFor("form[data-step=captcha]");
    await f.type("answer", "123456");
    await f.submit();
    await f.waitFor("form[data-step=channel]");
    await f.click("[data-action=review]");
    assert.equal(await f.step(), "review");

    // The contact is checked with the identifier parser; the message must be there.
    await f.type("contact", "new@");
    await f.submit();
    assert.equal(await f.attr(".rf-error", "data-code"), "email.missing_domain");
    await f.type("contact", "new@example.org");
    await f.submit();
    assert.equal(await f.attr(".rf-error", "data-code"), "review.message_required");
    assert.equal((await f.active()).name, "message");
    assert.equal(api.calls.length, 2);
    await f.type("message", "My phone was stolen.");
    await f.submit();
    await f.waitFor("form[data-step=review_pending]");
    const sent = api.calls[2];
    assert.equal(sent.method, "POST");
    assert.equal(sent.url, `${ORIGIN}/api/recovery/flows/f%201/review`);
    assert.equal(sent.body.contact, "new@example.org");
    assert.equal(sent.body.message, "My phone was stolen.");
    assert.ok((await f.text(".rf-intro")).includes("one working day"));
    assert.equal((await f.active()).tag, "H2");
    assert.equal(await f.text(".rf-status"), "");

    // 30 s later the form looks by itself; "still pending" says nothing.
    api.push(200, pending);
    await page.clock.runFor(30_000);
    await waitUntil(() => api.answered === 4, "the first poll");
    assert.equal(api.calls[3].method, "GET");
    assert.equal(api.calls[3].url, `${ORIGIN}/api/recovery/flows/f%201`);
    await page.waitForTimeout(100);
    assert.equal(await f.text(".rf-status"), "", "a poll's unchanged answer shows nothing");
    assert.equal(await f.step(), "review_pending");

    // "Check status": still pending, said politely.
    api.push(200, pending);
    await f.click("[data-action=refresh]");
    await f.waitFor(".rf-status:not(:empty)");
    assert.equal(await f.text(".rf-status"), "No answer yet.");
    assert.equal(await f.attr(".rf-status", "role"), "status");
    assert.equal(api.calls[4].method, "GET");
    assert.equal(api.calls[4].url, `${ORIGIN}/api/recovery/flows/f%201`);
    assert.equal(api.calls[4].body, null);

    // Not before 30 s: nothing is sent.
    await page.clock.runFor(20_000);
    await page.waitForTimeout(100);
    assert.equal(api.calls.length, 5, "no poll before 30 s");

    // Approved: the next poll carries on at the code, sent to the new contact.
    api.push(200, approved);
    await page.clock.runFor(10_000);
    await f.waitFor("form[data-step=code]");
    assert.equal(api.calls.length, 6);
    assert.equal(api.calls[5].method, "GET");
    assert.ok((await f.text(".rf-intro")).includes("n•••@example.org"));
    const steps = (await f.events("resetflow:step")).map((e) => e.detail.step);
    assert.deepEqual(steps, ["identifier", "captcha", "channel", "review", "review_pending", "code"]);
    await f.destroy();
  });

  test("the form keeps working when the page drops its handle", async () => {
    const api = new ScriptedApi();
    const f = await open(api);
    // What the garbage collector does to an unreferenced `new RecoveryForm(..)`.
    await page.evaluate(() => {
      T.newHost();
      new window.rf.RecoveryForm(T.host, { endpoint: "/api/recovery", locale: "en" });
    });
    const cdp = await page.context().newCDPSession(page);
    const registered = await page.evaluate(() => window.__registered);
    for (let i = 0; i < 50; i++) {
      await cdp.send("HeapProfiler.collectGarbage");
      await page.waitForTimeout(20);
      if (registered === 0 || (await page.evaluate(() => window.__finalized)) > 0) break;
    }
    if (registered > 0) {
      assert.ok(await page.evaluate(() => window.__finalized) > 0, "the handle was collected");
    }
    await f.type("identifier", "demo@example.com");
    assert.equal(await f.attr("output.rf-kind", "data-kind"), "email");
    api.push(201, FLOW_CAPTCHA);
    await f.submit();
    await f.waitFor("form[data-step=captcha]");
    assert.equal(api.calls.length, 1);
  });

  test("a lost answer to the password ends at done", async () => {
    // The flow goes straight to the password step (the form follows the
    // step of each answer); the password's answer is lost on the way.
    const api = new ScriptedApi();
    api.push(201, FLOW_PASSWORD);
    const f = await open(api);
    await f.mount({ endpoint: "/api/recovery", locale: "en" });
    await f.type("identifier", "100000001");
    await f.submit();
    await f.waitFor("form[data-step=password]");
    await f.type("password", "gravel pine Lantern 47");
    await f.type("confirm", "gravel pine Lantern 47");
    await f.submit();
    await f.waitFor(".rf-error[data-code='network.failed']");
    // The server did set it: the retry hears that the flow is complete.
    api.pushError(409, "flow.completed");
    await f.click("button[data-action=retry]");
    await f.waitFor("form[data-step=done]");
    assert.equal(api.calls.length, 3);
    assert.equal(api.calls[2].text, api.calls[1].text, "the retry sends the same request");
    assert.equal(api.calls[2].url, `${ORIGIN}/api/recovery/flows/f%201/password`);
    assert.equal(api.calls[2].body.password, "gravel pine Lantern 47");
    assert.deepEqual((await f.events("resetflow:complete")).map((e) => e.detail), [{ flowId: "f 1" }]);
    await f.destroy();
  });
});
