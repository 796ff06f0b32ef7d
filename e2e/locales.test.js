// Each locale renders the first step translated. The expected words are
// written here by hand, per language, not taken from the form's tables:
// the identifier label names e-mail, phone and account, the heading speaks
// of the password or the account, the button says to go on.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { launch, openPage, shot, step, waitStep } from "./lib/browser.js";
import { startServer } from "./lib/server.js";

const EXPECTED = {
  en: { heading: /password|account/i, label: [/e-?mail/i, /phone/i, /account/i], submit: /continue|next/i },
  de: { heading: /Passwort|Konto/i, label: [/E-?Mail/i, /Telefon/i, /Konto/i], submit: /weiter/i },
  es: { heading: /contraseña|cuenta/i, label: [/correo/i, /teléfono/i, /cuenta/i], submit: /continuar|siguiente/i },
  id: { heading: /kata sandi|akun/i, label: [/e-?mail|surel/i, /telepon|ponsel/i, /akun/i], submit: /lanjut/i },
  zh: { heading: /密码|账号|帐号|账户/, label: [/邮箱|邮件/, /手机|电话/, /账号|帐号|账户/], submit: /继续|下一步/ },
};

/** The first step's heading and the identifier field's label (by `for`). */
async function firstStep(page) {
  const s = step(page, "identifier");
  const heading = (await s.locator("h2").textContent()).trim();
  const id = await s.locator('input[name="identifier"]').getAttribute("id");
  assert.ok(id, "the identifier field has an id for its label");
  const label = (await s.locator(`label[for="${id}"]`).textContent()).trim();
  const lang = await page.getAttribute("#form-host .rf", "lang");
  const submit = (await s.locator('button[type="submit"]').textContent()).trim();
  return { heading, label, lang, submit };
}

describe("locales", () => {
  let server;
  let browser;
  const seen = {};

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const [locale, want] of Object.entries(EXPECTED)) {
    test(`${locale}: the first step is translated`, async () => {
      const page = await openPage(browser, server.url, { path: `/?locale=${locale}` });
      const got = await firstStep(page);
      assert.equal(got.lang, locale, "the form's root carries the language");
      assert.match(got.heading, want.heading, `heading in ${locale}: ${got.heading}`);
      for (const word of want.label) assert.match(got.label, word, `label in ${locale}: ${got.label}`);
      assert.match(got.submit, want.submit, `button in ${locale}: ${got.submit}`);
      assert.equal(await page.inputValue("#locale"), locale, "the picker shows the language");
      seen[locale] = got;
      if (locale !== "en" && seen.en) {
        assert.notEqual(got.heading, seen.en.heading, "not the English heading");
        assert.notEqual(got.label, seen.en.label, "not the English label");
      }
      await shot(page, `locale-${locale}-identifier`, server);
      await page.context().close();
    });
  }

  test("without ?locale the form follows the browser's languages", async () => {
    const page = await openPage(browser, server.url, { locale: "de-DE" });
    const got = await firstStep(page);
    assert.equal(got.lang, "de");
    assert.match(got.heading, EXPECTED.de.heading);
    assert.equal(await page.inputValue("#locale"), "de");
    await page.context().close();
  });

  test("the picker re-mounts the form in the chosen language", async () => {
    const page = await openPage(browser, server.url, { path: "/?locale=en" });
    await page.selectOption("#locale", "zh");
    await page.locator('#form-host .rf[lang="zh"]').waitFor();
    await waitStep(page, "identifier");
    const got = await firstStep(page);
    for (const word of EXPECTED.zh.label) assert.match(got.label, word);
    assert.equal(await page.locator("#form-host .rf").count(), 1, "one form, the old one destroyed");
    assert.match(page.url(), /[?&]locale=zh\b/);
    await page.context().close();
  });
});
