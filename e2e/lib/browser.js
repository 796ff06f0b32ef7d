// Headless Chromium (Debian `chromium`) driven by playwright-core: nothing
// here downloads a browser. Pages record CSP violations and console errors,
// and screenshots go to target/e2e/screenshots/.

import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

import { ROOT } from "./server.js";

export const OUT = path.join(ROOT, "target/e2e");
export const SHOTS = path.join(OUT, "screenshots");
export const EXECUTABLE = process.env.CHROMIUM || "/usr/bin/chromium";

/** Launches headless Chromium. */
export function launch() {
  return chromium.launch({
    executablePath: EXECUTABLE,
    headless: true,
    args: [
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-dev-shm-usage",
    ],
  });
}

// Runs before any script of the page: collects CSP violations.
function recordViolations() {
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__cspViolations.push({
      directive: e.violatedDirective,
      blocked: e.blockedURI,
      source: e.sourceFile,
      line: e.lineNumber,
    });
  });
}

/**
 * A fresh context and page on `base` + `pathAndQuery`, with the page's
 * errors collected in `page.problems`.
 *
 * @param {import("playwright-core").Browser} browser
 * @param {string} base
 * @param {object} [opts]
 * @param {string} [opts.path] what to open (default `/`)
 * @param {boolean} [opts.bypassCSP] only for injecting axe-core
 * @param {string} [opts.locale] the browser's language (navigator.languages)
 * @param {{width: number, height: number}} [opts.viewport]
 * @param {boolean} [opts.clock] install playwright's fake clock first
 *   (time still flows; `page.clock.fastForward` jumps ahead)
 * @param {boolean} [opts.goto] open the page (default true)
 */
export async function openPage(browser, base, opts = {}) {
  const context = await browser.newContext({
    baseURL: base,
    bypassCSP: Boolean(opts.bypassCSP),
    locale: opts.locale || "en-US",
    viewport: opts.viewport || { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  page.problems = [];
  page.on("console", (m) => {
    // Chromium logs every 4xx/5xx answer as an error; the tests ask for
    // those on purpose (a wrong password, a refused answer).
    const expected = /^Failed to load resource: the server responded with a status of 4\d\d/;
    if (m.type() === "error" && !expected.test(m.text())) page.problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => page.problems.push(`pageerror: ${e.message}`));
  await page.addInitScript(recordViolations);
  if (opts.clock) await page.clock.install();
  if (opts.goto !== false) {
    await page.goto(opts.path || "/");
    await waitStep(page, "identifier");
  }
  return page;
}

/** The CSP violations the page has seen. */
export function cspViolations(page) {
  return page.evaluate(() => window.__cspViolations || []);
}

/** Waits until the form shows `step` and the page has seen its event. */
export async function waitStep(page, step, timeout = 15000) {
  await page.locator(`.rf-step[data-step="${step}"]`).waitFor({ state: "visible", timeout });
  await page.locator(`#flow-status[data-step="${step}"]`).waitFor({ state: "attached", timeout });
}

/** The flow ID the form announced in its last `resetflow:step` event. */
export function flowId(page) {
  return page.getAttribute("#flow-status", "data-flow-id");
}

/** The current step's locator. */
export function step(page, name) {
  return page.locator(`.rf-step[data-step="${name}"]`);
}

/** Waits until the captcha image on the page has loaded; returns its src. */
export async function captchaLoaded(page, notSrc) {
  const handle = await page.waitForFunction((old) => {
    const img = document.querySelector(".rf-step img.rf-captcha");
    return img && img.complete && img.naturalWidth > 0 && img.getAttribute("src") !== old && img.getAttribute("src");
  }, notSrc ?? null, { timeout: 10000 });
  return handle.jsonValue();
}

/**
 * Saves a full-page screenshot as target/e2e/screenshots/<name>.png; with
 * `server`, first lets the page's outbox column catch up with the server's.
 */
export async function shot(page, name, server) {
  if (server) {
    const res = await fetch(`${server.url}/dev/outbox`);
    const n = (await res.json()).length;
    await page.waitForFunction((k) => document.querySelectorAll("#outbox > li").length >= k, n, { timeout: 5000 })
      .catch(() => { /* a picture a moment early is still a picture */ });
  }
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: "disabled", caret: "hide" });
  return file;
}

/** The element that has focus: `{tag, name, action, type, step}`. */
export function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return {
      tag: el ? el.tagName.toLowerCase() : null,
      name: el ? el.getAttribute("name") : null,
      action: el ? el.getAttribute("data-action") : null,
      type: el ? el.getAttribute("type") : null,
      step: el && el.closest(".rf-step") ? el.closest(".rf-step").dataset.step : null,
    };
  });
}

/**
 * A button's countdown, read at one instant: `{ disabled, seconds, text }`
 * where `seconds` is the `data-seconds` of its `[data-countdown]` element.
 */
export function countdown(button) {
  return button.evaluate((b) => {
    const c = b.querySelector("[data-countdown]") || b.parentElement.querySelector("[data-countdown]");
    return {
      disabled: b.disabled,
      seconds: c && c.dataset.seconds !== undefined ? Number(c.dataset.seconds) : null,
      text: b.textContent,
    };
  });
}

/** "m:ss" for a number of seconds, as the countdowns show it. */
export function clockText(seconds) {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** The error line of a step: `{ code, text }` once it has a code. */
export async function errorOf(page, stepName) {
  const el = step(page, stepName).locator(".rf-error[data-code]");
  await el.waitFor({ state: "attached", timeout: 10000 });
  return { code: await el.getAttribute("data-code"), text: (await el.textContent()).trim() };
}
