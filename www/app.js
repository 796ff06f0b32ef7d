// The test page: the recovery form from the npm package (built into ./pkg/
// by scripts/build-pkg.sh), the dev outbox beside it, a sign-in box and a
// language picker. No inline code anywhere: the page runs under the
// server's strict Content-Security-Policy.

const ENDPOINT = "/api/recovery";
const LOCALES = ["en", "de", "es", "id", "zh"];
const OUTBOX_EVERY_MS = 1500;

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);

let RecoveryForm = null;
let form = null;
let currentFlow = "";

// --- the recovery form ----------------------------------------------------

function mount(locale) {
  const host = $("form-host");
  if (form) {
    form.destroy();
    form = null;
  }
  host.replaceChildren();
  const options = { endpoint: ENDPOINT };
  if (locale) options.locale = locale;
  const region = params.get("region");
  if (region) options.region = region;
  form = new RecoveryForm(host, options);
  // Without a chosen locale the form picks one from navigator.languages:
  // show that choice in the picker.
  const root = host.querySelector(".rf[lang]");
  const shown = root ? root.getAttribute("lang") : locale;
  if (LOCALES.includes(shown)) $("locale").value = shown;
}

function onStep(event) {
  const { step, flowId } = event.detail || {};
  currentFlow = flowId || "";
  const status = $("flow-status");
  status.dataset.step = step || "";
  status.dataset.flowId = currentFlow;
  status.textContent = currentFlow ? `Flow ${currentFlow} · step ${step}` : `Step ${step}`;
  markCurrentFlow();
}

async function loadForm() {
  const host = $("form-host");
  host.addEventListener("resetflow:step", onStep);
  host.addEventListener("resetflow:complete", () => {
    $("flow-status").textContent += " · password changed: try it in the sign-in box";
  });
  try {
    ({ RecoveryForm } = await import("./pkg/index.js"));
    if (typeof RecoveryForm !== "function") throw new Error("this build of the package has no RecoveryForm");
  } catch (e) {
    const p = document.createElement("p");
    p.className = "loading failed";
    p.textContent =
      "The form's package is missing or broken (build it with scripts/build-pkg.sh): " +
      String(e && e.message ? e.message : e);
    host.replaceChildren(p);
    return;
  }
  const asked = params.get("locale");
  mount(LOCALES.includes(asked) ? asked : undefined);
  $("locale").addEventListener("change", () => {
    const locale = $("locale").value;
    params.set("locale", locale);
    history.replaceState(null, "", `?${params}`);
    mount(locale);
  });
}

// --- the dev outbox -------------------------------------------------------

let lastOutbox = "";

function entryView(e) {
  const li = document.createElement("li");
  li.className = "entry";
  li.dataset.kind = e.kind;
  li.dataset.to = e.to;
  const head = document.createElement("p");
  head.className = "entry-head";
  const kind = document.createElement("span");
  kind.className = "kind";
  kind.textContent = { sms: "SMS", email: "E-mail", captcha: "Captcha" }[e.kind] || e.kind;
  const to = document.createElement("code");
  to.className = "to";
  to.textContent = e.to;
  head.append(kind, e.kind === "captcha" ? " for flow " : " to ", to);
  li.append(head);
  if (e.secret) {
    const secret = document.createElement("p");
    secret.className = "secret-line";
    const value = document.createElement("strong");
    value.className = "secret";
    value.dataset.secret = e.secret;
    value.textContent = e.secret;
    secret.append(e.kind === "captcha" ? "Answer: " : "Code: ", value);
    li.append(secret);
  }
  if (e.kind !== "captcha") {
    const text = document.createElement("p");
    text.className = "text";
    text.textContent = e.text;
    li.append(text);
  }
  return li;
}

function markCurrentFlow() {
  for (const li of $("outbox").children) {
    li.classList.toggle("current", li.dataset.kind === "captcha" && li.dataset.to === currentFlow);
  }
}

async function pollOutbox() {
  const state = $("outbox-state");
  let delay = OUTBOX_EVERY_MS;
  try {
    const res = await fetch("/dev/outbox", { headers: { Accept: "application/json" } });
    if (res.status === 404) {
      state.textContent = "No dev outbox: the server is not running with --dev.";
      return;
    }
    if (res.ok) {
      const text = await res.text();
      if (text !== lastOutbox) {
        lastOutbox = text;
        const entries = JSON.parse(text);
        // The server lists oldest first; people read newest first.
        $("outbox").replaceChildren(...entries.slice().reverse().map(entryView));
        markCurrentFlow();
      }
      const n = $("outbox").children.length;
      state.textContent = n === 0 ? "Nothing sent yet." : `${n} ${n === 1 ? "entry" : "entries"}.`;
    } else {
      delay = OUTBOX_EVERY_MS * 4;
      state.textContent = `The server answered ${res.status}; trying again.`;
    }
  } catch {
    delay = OUTBOX_EVERY_MS * 4;
    state.textContent = "The server is unreachable; trying again.";
  }
  setTimeout(pollOutbox, delay);
}

// --- sign-in --------------------------------------------------------------

async function signIn(event) {
  event.preventDefault();
  const result = $("signin-result");
  result.dataset.result = "";
  result.textContent = "Signing in…";
  const body = JSON.stringify({
    identifier: $("signin-identifier").value,
    password: $("signin-password").value,
  });
  try {
    const res = await fetch("/api/login", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body,
    });
    const data = await res.json().catch(() => ({}));
    if (res.ok) {
      result.dataset.result = "ok";
      result.textContent = `Signed in to account ${data.account}.`;
    } else {
      const err = data.error || {};
      result.dataset.result = res.status === 401 ? "failed" : "error";
      result.dataset.code = err.code || String(res.status);
      result.textContent = err.message || `The server answered ${res.status}.`;
    }
  } catch {
    result.dataset.result = "error";
    result.dataset.code = "network.failed";
    result.textContent = "The server is unreachable.";
  }
}

$("signin").addEventListener("submit", signIn);
pollOutbox();
loadForm();
