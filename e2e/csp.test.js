// The strict Content-Security-Policy: every file of the page is served with
// it (no 'unsafe-inline', no 'unsafe-eval', only 'wasm-unsafe-eval' added
// for WebAssembly), the wasm as application/wasm, and a whole recovery
// under it raises no violation; the form puts no inline style or script
// into the page.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { cspViolations, launch, openPage } from "./lib/browser.js";
import { DEMO, walk } from "./lib/flow.js";
import { startServer } from "./lib/server.js";

/** `{ directive: [sources] }` of a CSP header. */
function parseCsp(header) {
  const out = {};
  for (const part of header.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out[name.toLowerCase()] = sources;
  }
  return out;
}

// Inline code the DOM must not carry: style attributes, inline scripts,
// event-handler attributes, javascript: URLs.
function inlineCode() {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    if (el.hasAttribute("style")) found.push(`${el.tagName} style=`);
    for (const a of el.getAttributeNames()) {
      if (a.startsWith("on")) found.push(`${el.tagName} ${a}=`);
      if (/^\s*javascript:/i.test(el.getAttribute(a) || "")) found.push(`${el.tagName} ${a}=javascript:`);
    }
    if (el.tagName === "SCRIPT" && !el.src) found.push("inline <script>");
    if (el.tagName === "STYLE") found.push("<style>");
  }
  return found;
}

describe("strict CSP", () => {
  let server;
  let browser;

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("every file of the page carries the policy; the wasm is application/wasm", async () => {
    const page = await openPage(browser, server.url);
    // What the page actually loaded: the document, its scripts, styles and the wasm.
    const loaded = await page.evaluate(() => [
      location.pathname,
      ...performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname),
    ]);
    const files = [...new Set(loaded)].filter((p) => !p.startsWith("/api/") && !p.startsWith("/dev/"));
    assert.ok(files.some((p) => p.endsWith(".wasm")), `the page loads wasm: ${files}`);
    assert.ok(files.includes("/pkg/index.js") && files.includes("/app.js"), `${files}`);
    await page.context().close();

    for (const file of files) {
      const res = await fetch(server.url + file);
      assert.equal(res.status, 200, file);
      const header = res.headers.get("content-security-policy");
      assert.ok(header, `${file} has a CSP`);
      assert.ok(!header.includes("'unsafe-inline'"), `${file}: ${header}`);
      assert.ok(!/'unsafe-eval'/.test(header), `${file}: no 'unsafe-eval': ${header}`);
      const csp = parseCsp(header);
      assert.deepEqual(csp["default-src"], ["'self'"], header);
      assert.deepEqual(csp["script-src"].sort(), ["'self'", "'wasm-unsafe-eval'"].sort(), header);
      assert.deepEqual(csp["style-src"], ["'self'"], header);
      assert.deepEqual(csp["object-src"], ["'none'"], header);
      assert.ok(csp["img-src"].includes("'self'"), "captcha images are same-origin");
      if (file.endsWith(".wasm")) assert.equal(res.headers.get("content-type"), "application/wasm");
      if (file.endsWith(".js")) assert.match(res.headers.get("content-type"), /^text\/javascript/);
      if (file.endsWith(".css")) assert.match(res.headers.get("content-type"), /^text\/css/);
      if (file.endsWith(".tsv")) assert.match(res.headers.get("content-type"), /^text\/tab-separated-values/);
    }
  });

  test("a whole recovery raises no violation and puts no inline code in the page", async () => {
    const page = await openPage(browser, server.url);
    const seen = [];
    page.on("framenavigated", () => seen.push("navigated"));
    const check = async (where) => {
      assert.deepEqual(await page.evaluate(inlineCode), [], `inline code at ${where}`);
      assert.deepEqual(await cspViolations(page), [], `violations at ${where}`);
    };
    await check("identifier");
    await walk(page, server, { identifier: DEMO.id, channel: "email", to: DEMO.email });
    await check("done");
    assert.deepEqual(page.problems, []);
    assert.deepEqual(seen, [], "the page never navigated away (no form posts, no reloads)");

    // The listener does see violations: an inline script is refused.
    await page.evaluate(() => {
      const s = document.createElement("script");
      s.textContent = "window.__inlineRan = true;";
      document.body.append(s);
    });
    await page.waitForFunction(() => window.__cspViolations.length > 0);
    assert.equal(await page.evaluate(() => window.__inlineRan), undefined, "the inline script did not run");
    assert.match((await cspViolations(page))[0].directive, /^script-src/);
    await page.context().close();
  });
});
