// The package's `RecoveryForm` on a made-up origin, with no server: every
// request of the page is answered by `page.route`. The page, a small test
// module and the package files from www/pkg/ (built by
// scripts/build-pkg.sh) come from disk; the recovery API is scripted per
// test (`ScriptedApi`): each request is recorded and answered with the next
// reply pushed, or fails like a lost connection when none is left.

import { readFile } from "node:fs/promises";
import path from "node:path";

import { ROOT } from "./server.js";

/** The made-up origin the page is served from. */
export const ORIGIN = "http://form.test";

/** The package directory served under `${ORIGIN}/pkg/`. */
export const PKG = process.env.RESETFLOW_PKG || path.join(ROOT, "www/pkg");

const TYPES = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".css": "text/css; charset=utf-8",
  ".tsv": "text/tab-separated-values; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
};

// A 1x1 PNG: what the captcha route answers unless a test says otherwise.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>RecoveryForm</title></head>
<body><script type="module" src="/test-harness.js"></script></body>
</html>
`;

// The page's side of the tests: imports the package and offers `window.T`,
// the DOM helpers the tests call through `page.evaluate`. Actions work as
// the page's own code would (a value set and an `input` event, a form's
// `requestSubmit()`, an element's `click()`), so they move no focus.
const HARNESS = `
import * as rf from "/pkg/index.js";

window.rf = rf;

const EVENTS = ["resetflow:step", "resetflow:complete", "resetflow:error"];

const T = {
  host: null,
  form: null,

  /** A fresh host element recording the form's events in \`host.events\`. */
  newHost() {
    T.host?.remove();
    const host = document.createElement("div");
    host.id = "rf-host";
    host.events = [];
    for (const type of EVENTS) {
      host.addEventListener(type, (e) =>
        host.events.push({ type, detail: { ...e.detail }, bubbles: e.bubbles, composed: e.composed }));
    }
    document.body.append(host);
    T.host = host;
    return host;
  },

  /** \`new RecoveryForm(host, options)\`; a throw comes back as \`{ error }\`. */
  /**
   * new RecoveryForm(host, options); resolves once the first step is on
   * the page (at once in a locale already loaded, else when its texts have
   * arrived).
   */
  async mount(options, { newHost = true } = {}) {
    const host = newHost || !T.host ? T.newHost() : T.host;
    const stepped = new Promise((resolve) => host.addEventListener("resetflow:step", resolve, { once: true }));
    try {
      T.form = new rf.RecoveryForm(host, options);
    } catch (e) {
      return { error: { isTypeError: e instanceof TypeError, name: e?.name, message: String(e?.message ?? e) } };
    }
    if (!T.root()?.querySelector("form")) {
      const late = new Promise((_, reject) => setTimeout(() => reject(new Error("no first step after 5 s")), 5000));
      await Promise.race([stepped, late]);
    }
    return { ok: true };
  },

  root() {
    return T.host.querySelector("div.rf");
  },
  q(selector, root = T.root()) {
    const el = root && root.querySelector(selector);
    if (!el) throw new Error("no " + selector + " in " + (root ? root.outerHTML : "(no form)"));
    return el;
  },
  has(selector) {
    return Boolean(T.root()?.querySelector(selector));
  },
  count(selector) {
    return T.root().querySelectorAll(selector).length;
  },
  attr(selector, name) {
    return T.q(selector).getAttribute(name);
  },
  text(selector) {
    return T.q(selector).textContent;
  },
  value(selector) {
    return T.q(selector).value;
  },
  step() {
    return T.attr("form.rf-step", "data-step");
  },
  /** Sets the field's value and fires a bubbling \`input\`, as typing does. */
  type(name, value) {
    const input = T.q("[name=" + name + "]");
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  },
  submit() {
    T.q("form.rf-step").requestSubmit();
  },
  click(selector) {
    T.q(selector).click();
  },
  /** The focused element: \`{ tag, name, action }\`. */
  active() {
    const el = document.activeElement;
    return {
      tag: el ? el.tagName : null,
      name: el ? el.getAttribute("name") : null,
      action: el ? el.getAttribute("data-action") : null,
    };
  },
  events(type) {
    const all = T.host ? T.host.events : [];
    return type ? all.filter((e) => e.type === type) : all;
  },
  /** Resolves with the element once \`selector\` matches in the form. */
  waitFor(selector, ms = 5000) {
    return new Promise((resolve, reject) => {
      const found = T.root()?.querySelector(selector);
      if (found) return resolve(found);
      const obs = new MutationObserver(() => {
        const el = T.root()?.querySelector(selector);
        if (el) {
          obs.disconnect();
          clearTimeout(timer);
          resolve(el);
        }
      });
      obs.observe(T.host, { subtree: true, childList: true, attributes: true, characterData: true });
      const timer = setTimeout(() => {
        obs.disconnect();
        reject(new Error("timed out waiting for " + selector + " in " + (T.root()?.outerHTML ?? "(no form)")));
      }, ms);
    });
  },
};
window.T = T;

// The phone table loads next to the wasm module; wait for it (or its
// failure) so each test starts from the same state.
await Promise.resolve(rf.phoneMetadataReady).catch(() => {});
window.rfReady = true;
`;

// Runs before the page's scripts: notes how each `fetch` was asked for (the
// wire does not show `credentials`), and counts FinalizationRegistry
// registrations and clean-ups of `RecoveryForm` objects (the
// garbage-collector test; wasm-bindgen frees a handle through one).
function observe() {
  window.__fetches = [];
  const realFetch = window.fetch;
  window.fetch = function (input, init) {
    try {
      const r = new Request(input, init);
      window.__fetches.push({ url: r.url, method: r.method, credentials: r.credentials, mode: r.mode });
    } catch { /* fetch itself reports a bad request */ }
    return realFetch.apply(this, arguments);
  };
  window.__registered = 0;
  window.__finalized = 0;
  const Real = window.FinalizationRegistry;
  const forms = new Set();
  if (Real) {
    window.FinalizationRegistry = class extends Real {
      constructor(cleanup) {
        super((held) => {
          if (forms.has(held)) window.__finalized += 1;
          cleanup(held);
        });
      }
      register(target, held, token) {
        if (target?.constructor?.name === "RecoveryForm") {
          forms.add(held);
          window.__registered += 1;
        }
        return super.register(target, held, token);
      }
    };
  }
}

/**
 * The recovery API of one test. `prefix` is the form's `endpoint` option
 * (absolute, or a path on ORIGIN). Requests under it are recorded in
 * `calls` as `{ method, url, body, headers }` (`body` parsed from JSON,
 * `headers` with lower-case names) and answered from the queue; captcha
 * images (`GET {prefix}/flows/{id}/captcha`) are recorded in `images` and
 * answered with a PNG, or with `imageStatus` when it is set.
 */
export class ScriptedApi {
  constructor(prefix = "/api/recovery") {
    this.prefix = new URL(prefix, ORIGIN).href.replace(/\/+$/, "");
    this.calls = [];
    this.images = [];
    this.replies = [];
    this.answered = 0;
    this.imageStatus = null;
  }

  /**
   * Queues a reply: `status`, a JSON `body`, extra `headers`; `hold` (a
   * promise) keeps the answer back until it settles.
   */
  push(status, body, { headers = {}, hold } = {}) {
    this.replies.push({ status, body, headers, hold });
    return this;
  }

  /** Queues an error answer `{ error: { code, message } }`. */
  pushError(status, code, message = "x", extra = {}, opts = {}) {
    return this.push(status, { error: { code, message, ...extra } }, opts);
  }

  owns(url) {
    return url === this.prefix || url.startsWith(this.prefix + "/") || url.startsWith(this.prefix + "?");
  }

  cors(request) {
    const origin = request.headers().origin;
    return origin
      ? {
          "Access-Control-Allow-Origin": origin,
          "Access-Control-Allow-Methods": "GET, POST",
          "Access-Control-Allow-Headers": "Content-Type, Accept",
          "Access-Control-Expose-Headers": "Retry-After",
          Vary: "Origin",
        }
      : {};
  }

  async handle(route) {
    const request = route.request();
    const url = request.url();
    const method = request.method();
    if (method === "OPTIONS") {
      return route.fulfill({ status: 204, headers: this.cors(request) });
    }
    const rest = url.slice(this.prefix.length).split("?")[0];
    if (method === "GET" && /^\/flows\/[^/]+\/captcha$/.test(rest)) {
      this.images.push(url);
      if (this.imageStatus) {
        return route.fulfill({ status: this.imageStatus, contentType: "text/plain", body: "no image", headers: this.cors(request) });
      }
      return route.fulfill({ status: 200, contentType: "image/png", body: PNG, headers: this.cors(request) });
    }
    const text = request.postData();
    let body = null;
    if (text) {
      try { body = JSON.parse(text); } catch { body = text; }
    }
    this.calls.push({ method, url, body, text, headers: request.headers() });
    const reply = this.replies.shift();
    if (!reply) {
      // Like a connection that never got through: fetch rejects.
      return route.abort("connectionrefused");
    }
    if (reply.hold) await reply.hold;
    this.answered += 1;
    return route.fulfill({
      status: reply.status,
      contentType: "application/json",
      body: JSON.stringify(reply.body),
      headers: { ...this.cors(request), ...reply.headers },
    }).catch(() => { /* the page went away first */ });
  }
}

async function serveFile(route, rel) {
  const file = path.resolve(PKG, rel);
  if (!file.startsWith(PKG + path.sep)) return route.fulfill({ status: 403, body: "forbidden" });
  try {
    const body = await readFile(file);
    const type = TYPES[path.extname(file)] || "application/octet-stream";
    return route.fulfill({ status: 200, contentType: type, body });
  } catch {
    return route.fulfill({ status: 404, contentType: "text/plain", body: "not found" });
  }
}

/**
 * A fresh context and page on ORIGIN, the package imported and `window.T`
 * ready. Page errors are collected in `page.problems`.
 *
 * @param {import("playwright-core").Browser} browser
 * @param {ScriptedApi} api
 * @param {object} [opts]
 * @param {string} [opts.locale] the browser's language (navigator.languages)
 * @param {boolean} [opts.clock] install playwright's fake clock first
 *   (time still flows; `page.clock.runFor` moves it on)
 */
export async function openFormPage(browser, api, opts = {}) {
  const context = await browser.newContext({ locale: opts.locale || "en-US" });
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/^Failed to load resource/.test(m.text())) page.problems.push(`console: ${m.text()}`);
  });
  await page.addInitScript(observe);
  if (opts.clock) await page.clock.install();
  await page.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    if (api.owns(url.href)) return api.handle(route);
    if (url.origin === ORIGIN) {
      if (url.pathname === "/") return route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: PAGE });
      if (url.pathname === "/test-harness.js") {
        return route.fulfill({ status: 200, contentType: "text/javascript; charset=utf-8", body: HARNESS });
      }
      if (url.pathname.startsWith("/pkg/")) return serveFile(route, decodeURIComponent(url.pathname.slice(5)));
    }
    return route.fulfill({ status: 404, contentType: "text/plain", body: "not found" });
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => window.rfReady === true, null, { timeout: 15000 });
  return page;
}
