// resetflow: the browser entry of the npm package.
//
// The WebAssembly module (the Rust library) gives every verdict: identifier
// kind and canonical form, password rules and strength, phone numbering
// plans. This file is the page around it: the multi-step RecoveryForm, its
// requests, and the texts. All texts live in per-locale modules
// (./locales/<tag>.js, made by scripts/build-pkg.sh from the library's
// messages and the form's own texts): English is part of the entry, the
// others are imported when a form or a call asks for them.
//
// The module is loaded once, at import (top-level await). Bundlers see the
// `new URL(..., import.meta.url)` references and emit the .wasm and the phone
// table as assets, and split the locale modules into chunks.
import init, { validate, isRegion, checkPassword, loadPhoneMetadata } from "./resetflow.js";
import en from "./locales/en.js";

// The phone-number table is a separate file, fetched while the wasm module
// compiles. Until it is installed, phone numbers are checked for E.164 shape
// only. A failed fetch is reported through `phoneMetadataReady`.
const phoneTable = fetch(new URL("./phone-metadata.tsv", import.meta.url)).then((response) => {
  if (!response.ok) {
    throw new Error(`resetflow: phone-metadata.tsv: HTTP ${response.status}`);
  }
  return response.text();
});
phoneTable.catch(() => {});

await init({ module_or_path: new URL("./resetflow_bg.wasm", import.meta.url) });

export { loadPhoneMetadata };

/** Settles once the phone-number table is installed (or failed to load). */
export const phoneMetadataReady = phoneTable.then((text) => loadPhoneMetadata(text));
// Awaiting it still sees a failure; nobody awaiting it is not an error.
phoneMetadataReady.catch(() => {});

// ---------------------------------------------------------------------------
// Locales
// ---------------------------------------------------------------------------

const LOCALES = ["en", "de", "es", "id", "zh"];
/** Loaded locale tables: `{ t: texts, e: messages by error code }`. */
const tables = { en };

/** The first supported locale of a list of BCP 47 tags ("de-AT, en;q=0.5"). */
function negotiate(tags) {
  for (const part of String(tags ?? "").split(",")) {
    const primary = part.split(";")[0].trim().split(/[-_]/)[0].toLowerCase();
    if (LOCALES.includes(primary)) return primary;
  }
  return "en";
}

/**
 * Loads the texts of a locale (en, de, es, id, zh; other tags fall back to
 * English) and resolves to its tag. `validateIdentifier` gives messages in a
 * locale once it is loaded; a `RecoveryForm` loads its own.
 */
export async function loadLocale(tag) {
  const locale = negotiate(tag);
  tables[locale] ??= (await import(`./locales/${locale}.js`)).default;
  return locale;
}

/** The message for an error code in `locale`, if any table has one. */
function message(locale, code) {
  return (tables[locale] ?? en).e[code] ?? en.e[code];
}

/** `template` with its one `{name}` placeholder replaced by `value`. */
function fill(template, value) {
  return template.replace(/\{\w+\}/, () => value);
}

// ---------------------------------------------------------------------------
// validateIdentifier
// ---------------------------------------------------------------------------

/**
 * The kind and canonical form of what a user typed: `{ kind, normalized }`,
 * or throws `{ code, message }` (message in `options.locale` once loaded,
 * else English).
 */
export function validateIdentifier(input, options) {
  try {
    return validate(String(input), options?.region || undefined);
  } catch (err) {
    if (typeof err?.code !== "string") throw err;
    const locale = negotiate(options?.locale);
    throw { code: err.code, message: message(locale, err.code) };
  }
}

// ---------------------------------------------------------------------------
// RecoveryForm
// ---------------------------------------------------------------------------
//
// The DOM, the CSS hooks and the events are a contract (README "RecoveryForm"
// and index.d.ts): a root `<div class="rf" lang>` holding one
// `<form class="rf-step" data-step=S novalidate>` at a time; `resetflow:step`,
// `resetflow:complete` and `resetflow:error` CustomEvents on the host element.

/** How often a pending review is looked at again while the page is open. */
const POLL_MS = 30_000;
let nextForm = 1;

/** `<tag attr=value ...>children</tag>`; string children become text. */
function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

const setAttr = (e, name, value) =>
  value == null ? e.removeAttribute(name) : e.setAttribute(name, value);

/** A flow object of the server, or null when `id` or `step` is missing. */
function readFlow(v) {
  if (typeof v?.id !== "string" || typeof v.step !== "string") return null;
  const str = (x) => (typeof x === "string" ? x : undefined);
  const num = (x) => (typeof x === "number" && x >= 0 ? x : undefined);
  return {
    id: v.id,
    step: v.step,
    channels: (Array.isArray(v.channels) ? v.channels : [])
      .filter((c) => typeof c?.id === "string")
      .map((c) => ({ id: c.id, kind: str(c.kind) ?? "", to: str(c.to) ?? "" })),
    attemptsLeft: num(v.attempts_left),
    resendAfter: num(v.resend_after),
    codeChannel: str(v.code_channel),
  };
}

/**
 * Sends a request (`credentials: "same-origin"`, JSON in and out). Resolves
 * to the JSON of a 2xx answer; rejects with a failure `{ status, code,
 * message, retryAfter }`: status 0 and `network.failed` when the request or
 * its body fails, the `error.code` of an error answer, `internal` for an
 * answer without one (a proxy's HTML page, say).
 */
async function call(req) {
  const headers = { Accept: "application/json" };
  if (req.body != null) headers["Content-Type"] = "application/json";
  let response, text;
  try {
    response = await fetch(req.url, {
      method: req.method,
      credentials: "same-origin",
      headers,
      body: req.body,
    });
    text = await response.text();
  } catch {
    throw { status: 0, code: "network.failed" };
  }
  let json;
  try {
    json = JSON.parse(text);
  } catch {}
  const status = response.status;
  if (response.ok) {
    if (json === undefined) throw { status, code: "internal" };
    return json;
  }
  const error = json?.error !== null && typeof json?.error === "object" ? json.error : {};
  // Whole seconds (RFC 9110); an HTTP date is left to `error.retry_after`.
  const header = /^\d+$/.test((response.headers.get("Retry-After") ?? "").trim())
    ? Number(response.headers.get("Retry-After").trim())
    : undefined;
  const retryAfter = typeof error.retry_after === "number" && error.retry_after >= 0
    ? error.retry_after
    : undefined;
  throw {
    status,
    code: typeof error.code === "string" ? error.code : status === 429 ? "rate.limited" : "internal",
    message: typeof error.message === "string" ? error.message : undefined,
    retryAfter: header ?? retryAfter,
  };
}

/** The multi-step account-recovery form. Types and contract: index.d.ts. */
export class RecoveryForm {
  #host;
  #root;
  #uid;
  #endpoint;
  #locale;
  #region;
  #flow = null;
  /** The step on screen (a contract step name). */
  #step = "identifier";
  /** Where the review step's "Back" goes. */
  #backTo = "channel";
  /** What was typed into the identifier field, kept for "Start again". */
  #typed = "";
  /** The identifier in canonical form, for the password checks. */
  #ids = [];
  /** `Date.now()` when resending is allowed again. */
  #resendAt = 0;
  /** `Date.now()` when the retry button becomes usable. */
  #retryAt = 0;
  /** `Date.now()` of the next look at a pending review. */
  #pollAt = 0;
  /** The request on the way is a poll: an unchanged answer says nothing. */
  #quiet = false;
  /** What "Try again" repeats: a request, or "image". */
  #last = null;
  /** Numbers requests; an answer to any but the latest is dropped. */
  #seq = 0;
  #busy = false;
  /** Counter in the captcha image URL, so each image is fetched anew. */
  #imgN = 0;
  #interval = null;
  #destroyed = false;
  #listeners;

  constructor(element, options) {
    const endpoint = options?.endpoint;
    if (typeof endpoint !== "string" || endpoint === "") {
      throw new TypeError("RecoveryForm: options.endpoint is required");
    }
    const region = options.region || undefined;
    if (region !== undefined && !(typeof region === "string" && isRegion(region))) {
      throw new TypeError(
        "RecoveryForm: options.region is not a known region (ISO 3166-1 alpha-2)",
      );
    }
    this.#host = element;
    this.#endpoint = endpoint.replace(/\/+$/, "");
    this.#region = region;
    this.#locale = negotiate(options.locale || navigator.languages?.join(","));
    this.#uid = `rf${nextForm++}-`;
    this.#root = h("div", { class: "rf", lang: this.#locale });
    element.append(this.#root);
    this.#listeners = [
      ["submit", (e) => this.#onSubmit(e), false],
      ["click", (e) => this.#onClick(e), false],
      ["input", (e) => this.#onInput(e), false],
      // `error` of an <img> does not bubble: listen in the capture phase.
      ["error", (e) => this.#onImageError(e), true],
    ];
    for (const [name, f, capture] of this.#listeners) this.#root.addEventListener(name, f, capture);
    // Texts of a locale not loaded yet arrive first; a failed import shows
    // the form in English rather than not at all.
    if (tables[this.#locale]) {
      this.#enter("identifier");
    } else {
      loadLocale(this.#locale)
        .catch(() => (this.#locale = "en"))
        .then(() => this.#enter("identifier"));
    }
  }

  /** The id of the current flow, once the server created one. */
  get flowId() {
    return this.#flow?.id;
  }

  /**
   * Removes the form with its listeners and timers; answers still on the
   * way are dropped. Calling it again does nothing.
   */
  destroy() {
    if (this.#destroyed) return;
    this.#destroyed = true;
    clearInterval(this.#interval);
    this.#flow = this.#last = null;
    for (const [name, f, capture] of this.#listeners) {
      this.#root.removeEventListener(name, f, capture);
    }
    this.#root.remove();
  }

  // --- helpers --------------------------------------------------------------

  #t(key) {
    return tables[this.#locale].t[key];
  }

  #find(selector) {
    return this.#root.querySelector(selector);
  }

  #value(selector) {
    return this.#find(selector)?.value ?? "";
  }

  #url(path) {
    return `${this.#endpoint}/flows/${encodeURIComponent(this.#flow?.id ?? "")}${path}`;
  }

  #captchaUrl() {
    return `${this.#url("/captcha")}?n=${this.#imgN}`;
  }

  #post(path, fields) {
    return { method: "POST", url: this.#url(path), body: JSON.stringify(fields) };
  }

  #dispatch(name, detail) {
    this.#host.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  // --- steps ----------------------------------------------------------------

  /** The form of `step` and the element to focus on entering it. */
  #render(step) {
    const id = (name) => this.#uid + name;
    const t = (key) => this.#t(key);
    const form = h("form", {
      class: "rf-step",
      "data-step": step,
      novalidate: "",
      "aria-labelledby": id("h"),
    });
    const heading = h("h2", { id: id("h"), tabindex: "-1" }, t(`${step}_title`));
    form.append(heading);
    const p = (cls, text) => form.appendChild(h("p", { class: cls }, text));
    // A labelled field; every field is described by the step's error line.
    const field = (tag, name, label, attrs) => {
      const control = h(tag, { id: id(name), name, "aria-describedby": id("err"), ...attrs });
      form.append(h("div", { class: "rf-field" }, h("label", { for: id(name) }, t(label)), control));
      return control;
    };
    const attempts = () => {
      const n = this.#flow?.attemptsLeft;
      if (n !== undefined) p("rf-attempts", fill(t("attempts"), String(Math.trunc(n))));
    };
    const status = () => p("rf-status", "").setAttribute("role", "status");
    // The error line and the row of buttons: submit, then `[action, text]`.
    const finish = (submit, buttons = []) => {
      const row = h("div", { class: "rf-actions" });
      if (submit) row.append(h("button", { type: "submit", class: "rf-primary" }, t(submit)));
      for (const [action, text] of buttons) {
        const label = action === "resend"
          ? h("span", { "data-countdown": "", "data-seconds": "0" }, t(text))
          : t(text);
        row.append(h("button", { type: "button", "data-action": action }, label));
      }
      form.append(
        h("p", { class: "rf-error", id: id("err"), role: "alert", "aria-live": "assertive" }),
        row,
      );
    };
    const text = { type: "text", spellcheck: "false", required: "" };
    let focus = heading;
    switch (step) {
      case "identifier": {
        p("rf-intro", t("identifier_intro"));
        focus = field("input", "identifier", "identifier_label", {
          ...text,
          autocomplete: "username",
          autocapitalize: "none",
          maxlength: "320",
          value: this.#typed,
          "aria-describedby": `${id("err")} ${id("kind")}`,
        });
        focus.after(
          h("output", { class: "rf-kind", id: id("kind"), for: id("identifier"), "data-kind": "" }),
        );
        finish("continue");
        break;
      }
      case "captcha": {
        p("rf-intro", t("captcha_intro"));
        form.append(
          h(
            "div",
            { class: "rf-captcha-box" },
            h("img", {
              class: "rf-captcha",
              alt: t("captcha_alt"),
              width: "160",
              height: "60",
              src: this.#captchaUrl(),
            }),
            h("button", { type: "button", "data-action": "new-image" }, t("new_image")),
          ),
        );
        focus = field("input", "answer", "captcha_label", {
          ...text,
          inputmode: "numeric",
          autocomplete: "off",
          maxlength: "16",
        });
        attempts();
        finish("check");
        break;
      }
      case "channel": {
        const set = h("fieldset", { class: "rf-choices" }, h("legend", {}, t("channel_legend")));
        const current = this.#flow?.codeChannel;
        let first = null;
        (this.#flow?.channels ?? []).forEach((ch, i) => {
          const radio = h("input", { type: "radio", name: "channel", id: id(`ch${i}`), value: ch.id });
          const label = h(
            "label",
            { class: "rf-choice", for: id(`ch${i}`) },
            radio,
            h("span", {}, fill(t(ch.kind === "sms" ? "via_sms" : "via_email"), ch.to)),
          );
          if (current === ch.id) {
            label.setAttribute("data-current", "");
            label.append(h("span", { class: "rf-note" }, t("current")));
          } else if (!first) {
            radio.setAttribute("checked", "");
            first = radio;
          }
          set.append(label);
        });
        form.append(set);
        // Reached by "Not working?": a way back to typing the code.
        finish("send_code", current ? [["review", "none_work"], ["back", "back"]] : [["review", "none_work"]]);
        focus = first ?? form.querySelector("[name=channel]") ?? heading;
        break;
      }
      case "code": {
        const channels = this.#flow?.channels ?? [];
        const to = channels.find((c) => c.id === this.#flow?.codeChannel) ?? channels[0];
        p("rf-intro", fill(t("code_intro"), to?.to ?? ""));
        focus = field("input", "code", "code_label", {
          ...text,
          inputmode: "numeric",
          autocomplete: "one-time-code",
          maxlength: "6",
        });
        attempts();
        status();
        finish("verify", [["resend", "resend"], ["not-working", "not_working"]]);
        break;
      }
      case "password": {
        p("rf-intro", t("password_intro"));
        const pw = { type: "password", autocomplete: "new-password", required: "", maxlength: "4096" };
        focus = field("input", "password", "password_label", {
          ...pw,
          "aria-describedby": `${id("err")} ${id("strength")} ${id("hints")}`,
        });
        focus.after(
          h(
            "button",
            { type: "button", class: "rf-toggle", "data-action": "toggle-visibility", "aria-pressed": "false" },
            t("show"),
          ),
          h(
            "div",
            { class: "rf-meter" },
            h("span", { id: id("strength") }, t("strength"), h("span", { class: "rf-strength-text" })),
            h("meter", {
              class: "rf-strength",
              min: "0",
              max: "4",
              low: "2",
              high: "3",
              optimum: "4",
              value: "0",
              "aria-labelledby": id("strength"),
            }),
          ),
          h("ul", { class: "rf-hints", id: id("hints") }),
        );
        field("input", "confirm", "password_confirm", pw);
        finish("set_password");
        break;
      }
      case "review": {
        p("rf-intro", t("review_intro"));
        focus = field("input", "contact", "contact_label", {
          ...text,
          autocomplete: "email",
          maxlength: "320",
        });
        field("textarea", "message", "message_label", { rows: "4", required: "", maxlength: "2000" });
        finish("send_review", [["back", "back"]]);
        break;
      }
      case "review_pending":
        p("rf-intro", t("review_pending_text"));
        status();
        finish(null, [["refresh", "check_status"]]);
        break;
      case "done":
        p("rf-intro", t("done_text"));
        finish(null);
        break;
      default:
        // locked, expired
        p("rf-intro", t(`${step}_text`));
        finish(null, [["restart", "restart"]]);
    }
    return [form, focus];
  }

  /** Shows `step`, moves focus, fires `resetflow:step` (and `:complete`). */
  #enter(step) {
    if (this.#destroyed) return;
    this.#step = step;
    this.#retryAt = 0;
    if (step === "captcha") this.#imgN++;
    const [form, focus] = this.#render(step);
    this.#root.replaceChildren(form);
    if (step === "identifier") this.#showKind();
    if (step === "code" || step === "review_pending") this.#timers();
    focus.focus();
    const flowId = this.#flow?.id ?? null;
    this.#dispatch("resetflow:step", { step, flowId });
    if (step === "done") this.#dispatch("resetflow:complete", { flowId });
  }

  /** A flow object arrived: go to its step, or update the step on screen. */
  #apply(flow) {
    const step = ["captcha", "channel", "code", "password", "review_pending", "done", "locked"]
      .includes(flow.step) ? flow.step : "locked";
    if (step === "review_pending") this.#pollAt = Date.now() + POLL_MS;
    if (step === "code") this.#resendAt = Date.now() + (flow.resendAfter ?? 0) * 1000;
    this.#flow = flow;
    this.#last = null;
    const quiet = this.#quiet;
    this.#quiet = false;
    if (this.#step !== step) return this.#enter(step);
    if (quiet) return;
    // The same step again: a resent code, or a review still pending.
    this.#clearError(false);
    const status = this.#find(".rf-status");
    if (status) status.textContent = this.#t(step === "code" ? "resent" : "still_waiting");
    this.#showAttempts();
    this.#timers();
  }

  #showAttempts() {
    const p = this.#find(".rf-attempts");
    const n = this.#flow?.attemptsLeft;
    if (p && n !== undefined) p.textContent = fill(this.#t("attempts"), String(Math.trunc(n)));
  }

  // --- requests and errors ----------------------------------------------------

  /** Sends `req` unless one is running; applies the answer if still wanted. */
  async #send(req) {
    if (this.#destroyed || this.#busy) return;
    this.#busy = true;
    const seq = ++this.#seq;
    this.#last = req;
    // The retry button stays while its request runs, so the keyboard focus
    // on it is not lost if the answer is another failure.
    this.#clearError(true);
    this.#setBusy(true);
    let flow, failure;
    try {
      flow = readFlow(await call(req));
      if (!flow) failure = { status: 200, code: "internal" };
    } catch (f) {
      failure = f;
    }
    if (this.#destroyed || seq !== this.#seq) return;
    this.#busy = false;
    this.#setBusy(false);
    if (failure) this.#fail(failure);
    else this.#apply(flow);
  }

  #setBusy(on) {
    const form = this.#find("form");
    if (form) setAttr(form, "aria-busy", on ? "true" : null);
  }

  /** An error answer or a network failure: show it where it belongs. */
  #fail(f) {
    const code = f.code;
    this.#quiet = false;
    if (code === "flow.expired" || code === "flow.not_found") this.#enter("expired");
    // The password was set, by this form's own request whose answer got lost
    // (a retry after a network failure) or in another tab.
    else if (code === "flow.completed") this.#enter("done");
    else if (code === "flow.locked" || code === "flow.revoked" || code === "review.denied") {
      this.#enter("locked");
    }
    if (code === "flow.wrong_step") {
      // The flow moved on elsewhere (another tab, an operator): reload it.
      this.#send({ method: "GET", url: this.#url("") });
    } else {
      const now = Date.now();
      const wait = Math.max(f.retryAfter ?? 1, 1) * 1000;
      if (code === "captcha.mismatch") {
        // The server issued a new challenge: show it.
        this.#imgN++;
        this.#find("img.rf-captcha")?.setAttribute("src", this.#captchaUrl());
        this.#fewerAttempts("[name=answer]");
      } else if (code === "code.mismatch") {
        this.#fewerAttempts("[name=code]");
      }
      let retry;
      if (code === "code.cooldown" && this.#step === "code") {
        this.#resendAt = now + wait;
        retry = false;
      } else if (f.status === 429) {
        this.#retryAt = now + wait;
        retry = true;
      } else {
        retry = f.status === 0 || f.status >= 500 || code === "flow.conflict";
      }
      this.#showError(code, f.message, retry);
      this.#timers();
    }
    this.#dispatch("resetflow:error", { code, status: f.status });
  }

  /** One attempt fewer after a wrong answer; empties the field. */
  #fewerAttempts(fieldSelector) {
    if (this.#flow?.attemptsLeft !== undefined) {
      this.#flow.attemptsLeft = Math.max(this.#flow.attemptsLeft - 1, 0);
      this.#showAttempts();
    }
    const input = this.#find(fieldSelector);
    if (input) input.value = "";
  }

  /**
   * Shows the message for `code` in the step's error line (the locale's
   * text, else the server's message), with a retry button when `retry`.
   */
  #showError(code, serverMessage, retry) {
    this.#clearError(retry);
    const p = this.#find(".rf-error");
    if (!p) return;
    p.textContent = tables[this.#locale].e[code] ?? serverMessage ?? tables[this.#locale].e.internal;
    p.setAttribute("data-code", code);
    if (retry && !this.#find("[data-action=retry]")) {
      p.after(
        h(
          "button",
          { type: "button", class: "rf-retry", "data-action": "retry" },
          h("span", { "data-countdown": "", "data-seconds": "0" }, this.#t("retry")),
        ),
      );
    }
  }

  /** A client-side check failed: show `code`, mark and return the field. */
  #invalid(code, selector) {
    this.#showError(code, undefined, false);
    const input = this.#find(selector);
    input?.setAttribute("aria-invalid", "true");
    return input;
  }

  /** Empties the error and status lines; drops the retry button unless kept. */
  #clearError(keepRetry) {
    const p = this.#find(".rf-error");
    if (p) {
      p.textContent = "";
      p.removeAttribute("data-code");
    }
    if (!keepRetry) this.#find("[data-action=retry]")?.remove();
    const status = this.#find(".rf-status");
    if (status) status.textContent = "";
  }

  // --- timers -------------------------------------------------------------------

  /** Updates the countdowns; runs the 1 s timer while anything counts. */
  #timers() {
    const now = Date.now();
    const left = (at) => Math.max(Math.ceil((at - now) / 1000), 0);
    const resend = left(this.#resendAt);
    const retry = left(this.#retryAt);
    this.#countdown("resend", resend, "resend", "resend_in");
    this.#countdown("retry", retry, "retry", "retry_in");
    const counting = resend > 0 || retry > 0 || this.#step === "review_pending";
    if (counting && this.#interval === null) {
      this.#interval = setInterval(() => this.#tick(), 1000);
    } else if (!counting && this.#interval !== null) {
      clearInterval(this.#interval);
      this.#interval = null;
    }
  }

  #tick() {
    this.#timers();
    // A pending review is looked at again now and then: an approval carries
    // on at the code step without the user asking.
    if (this.#step === "review_pending" && !this.#busy && Date.now() >= this.#pollAt) {
      this.#pollAt = Date.now() + POLL_MS;
      this.#quiet = true;
      this.#send({ method: "GET", url: this.#url("") });
    }
  }

  #countdown(action, secs, idle, waiting) {
    const button = this.#find(`[data-action=${action}]`);
    const span = button?.querySelector("[data-countdown]");
    if (!span) return;
    const ss = secs % 60;
    const text = secs > 0
      ? fill(this.#t(waiting), `${Math.floor(secs / 60)}:${ss < 10 ? "0" : ""}${ss}`)
      : this.#t(idle);
    if (span.textContent !== text) span.textContent = text;
    span.setAttribute("data-seconds", String(secs));
    setAttr(button, "disabled", secs > 0 ? "" : null);
  }

  // --- DOM events -----------------------------------------------------------------

  #onSubmit(e) {
    e.preventDefault();
    if (this.#busy) return;
    const result = this.#check(e.target.getAttribute("data-step"));
    if (result instanceof Element) result.focus();
    else if (result) this.#send(result);
  }

  /**
   * Checks the fields of `step` with the library's own rules and builds its
   * request; returns the field to focus instead when a check failed.
   */
  #check(step) {
    const v = (name) => this.#value(`[name=${name}]`);
    switch (step) {
      case "identifier": {
        const typed = v("identifier");
        let id;
        try {
          id = validate(typed, this.#region);
        } catch (err) {
          return this.#invalid(err.code, "[name=identifier]");
        }
        this.#typed = typed.trim();
        this.#ids = [id.normalized];
        this.#flow = null;
        const body = { identifier: this.#typed, locale: this.#locale };
        if (this.#region) body.region = this.#region;
        return { method: "POST", url: `${this.#endpoint}/flows`, body: JSON.stringify(body) };
      }
      case "captcha": {
        const answer = v("answer");
        if (!answer.trim()) return this.#invalid("captcha.required", "[name=answer]");
        return this.#post("/captcha", { answer });
      }
      case "channel": {
        const channel = this.#find("[name=channel]:checked")?.value;
        if (channel === undefined) return this.#invalid("channel.required", "[name=channel]");
        return this.#post("/code", { channel });
      }
      case "code": {
        const code = v("code");
        if (!code.trim()) return this.#invalid("code.required", "[name=code]");
        return this.#post("/code/verify", { code });
      }
      case "password": {
        const password = v("password");
        const confirm = v("confirm");
        const { error } = checkPassword(password, confirm, this.#ids);
        if (error) {
          return this.#invalid(error, error === "password.mismatch" ? "[name=confirm]" : "[name=password]");
        }
        return this.#post("/password", { password, confirm });
      }
      case "review": {
        const contact = v("contact");
        const message = v("message");
        let contactError;
        if (!contact.trim()) {
          contactError = "review.contact_required";
        } else {
          try {
            if (validate(contact, this.#region).kind === "account_id") {
              contactError = "review.contact_invalid";
            }
          } catch (err) {
            contactError = /^(email|phone)\./.test(err.code) ? err.code : "review.contact_invalid";
          }
        }
        if (contactError) return this.#invalid(contactError, "[name=contact]");
        if (!message.trim()) return this.#invalid("review.message_required", "[name=message]");
        if ([...message].length > 2000) {
          return this.#invalid("review.message_too_long", "[name=message]");
        }
        return this.#post("/review", { contact, message });
      }
    }
    return null;
  }

  #onClick(e) {
    const button = e.target.closest?.("[data-action]");
    if (!button) return;
    switch (button.getAttribute("data-action")) {
      case "new-image":
        return this.#newImage();
      case "retry":
        if (this.#last === "image") return this.#newImage();
        if (this.#last) this.#send(this.#last);
        return;
      case "review":
        this.#backTo = this.#step === "code" ? "code" : "channel";
        return this.#enter("review");
      case "back":
        // From the channels shown by "Not working?" back to the code; from
        // the review to where it was asked for.
        return this.#enter(this.#step === "channel" ? "code" : this.#backTo);
      case "not-working":
        return this.#enter("channel");
      case "restart":
        this.#flow = null;
        this.#resendAt = 0;
        return this.#enter("identifier");
      case "resend": {
        const channel = this.#flow?.codeChannel;
        return this.#send(this.#post("/code", channel === undefined ? {} : { channel }));
      }
      case "refresh":
        this.#quiet = false;
        return this.#send({ method: "GET", url: this.#url("") });
      case "toggle-visibility": {
        const show = button.getAttribute("aria-pressed") !== "true";
        button.setAttribute("aria-pressed", String(show));
        for (const name of ["password", "confirm"]) {
          this.#find(`[name=${name}]`)?.setAttribute("type", show ? "text" : "password");
        }
      }
    }
  }

  /** Loads another captcha image (a new challenge); focus to the answer. */
  #newImage() {
    this.#imgN++;
    this.#last = null;
    this.#clearError(false);
    this.#find("img.rf-captcha")?.setAttribute("src", this.#captchaUrl());
    this.#find("[name=answer]")?.focus();
  }

  #onInput(e) {
    e.target.removeAttribute("aria-invalid");
    const name = e.target.getAttribute("name");
    if (name === "identifier") this.#showKind();
    if (name === "password") this.#showStrength();
  }

  #onImageError(e) {
    // A more specific message (a wrong answer, a 429) stays: the image that
    // failed with it is only its consequence.
    if (!e.target.classList?.contains("rf-captcha") || this.#find(".rf-error[data-code]")) return;
    this.#showError("captcha.unavailable", undefined, true);
    this.#last = "image";
    this.#dispatch("resetflow:error", { code: "captcha.unavailable", status: 0 });
  }

  /**
   * The kind of what is in the identifier field, shown as it is typed: the
   * library's verdict, or for input that is not valid yet the kind its error
   * names (`email.*` is an e-mail being typed).
   */
  #showKind() {
    const out = this.#find("output.rf-kind");
    if (!out) return;
    let kind;
    try {
      kind = validate(this.#value("[name=identifier]"), this.#region).kind;
    } catch (err) {
      kind = err.code.split(".")[0];
    }
    const labels = { email: "kind_email", phone: "kind_phone", account_id: "kind_account" };
    if (!labels[kind]) kind = "";
    if (out.getAttribute("data-kind") !== kind) {
      out.setAttribute("data-kind", kind);
      out.textContent = kind ? this.#t(labels[kind]) : "";
    }
  }

  /** The strength meter and hints for what is in the password field. */
  #showStrength() {
    const password = this.#value("[name=password]");
    const meter = this.#find("meter.rf-strength");
    const list = this.#find("ul.rf-hints");
    const text = this.#find(".rf-strength-text");
    if (!meter || !list || !text) return;
    list.replaceChildren();
    if (!password) {
      meter.setAttribute("value", "0");
      meter.removeAttribute("data-score");
      text.textContent = "";
      return;
    }
    const { score, hints } = checkPassword(password, password, this.#ids);
    const n = String(Math.min(score, 4));
    meter.setAttribute("value", n);
    meter.setAttribute("data-score", n);
    text.textContent = this.#t("scores")[n];
    for (const code of hints) {
      list.append(h("li", { "data-code": code }, tables[this.#locale].e[code]));
    }
  }
}
