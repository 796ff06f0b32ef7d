// A plain test client for the recovery API, until the wasm RecoveryForm
// mounts here. No inline code: the page runs under a strict CSP.
const API = "/api/recovery";
const $ = (id) => document.getElementById(id);
let flow = null;

async function call(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw { code: "network", message: "Network error: check the connection and retry." };
  }
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw data.error || { code: String(res.status), message: res.statusText };
  return data;
}

function show(f) {
  flow = f;
  document.querySelectorAll(".step").forEach((el) => (el.hidden = true));
  const step = $("step-" + f.step);
  if (step) step.hidden = false;
  $("status").textContent =
    `${f.identifier} · step ${f.step}` +
    (f.attempts_left != null ? ` · ${f.attempts_left} attempts left` : "") +
    (f.resend_after ? ` · resend in ${f.resend_after} s` : "");
  if (f.step === "captcha") newImage();
  if (f.step === "channel") {
    const box = $("channels");
    box.replaceChildren();
    f.channels.forEach((c, i) => {
      const label = document.createElement("label");
      const input = Object.assign(document.createElement("input"), {
        type: "radio", name: "channel", value: c.id, checked: i === 0,
      });
      label.append(input, ` ${c.kind === "sms" ? "SMS to" : "E-mail to"} ${c.to}`);
      box.append(label);
    });
  }
  const field = step && step.querySelector("input, textarea");
  if (field) field.focus();
}

function newImage() {
  $("captcha-img").src = `${API}/flows/${encodeURIComponent(flow.id)}/captcha?t=${Date.now()}`;
}

async function act(fn) {
  $("error").textContent = "";
  try {
    const f = await fn();
    if (f && f.step) show(f);
  } catch (e) {
    $("error").textContent = `${e.message} (${e.code})`;
    if (flow && ["captcha.mismatch", "flow.locked", "code.attempts_exhausted"].includes(e.code)) {
      act(() => call("GET", `${API}/flows/${encodeURIComponent(flow.id)}`));
    }
  }
}

const path = (tail) => `${API}/flows/${encodeURIComponent(flow.id)}${tail}`;
const on = (id, ev, fn) => $(id).addEventListener(ev, (e) => { e.preventDefault(); fn(e); });

document.addEventListener("DOMContentLoaded", () => {
  on("step-identifier", "submit", () =>
    act(() => call("POST", `${API}/flows`, { identifier: $("identifier").value, locale: navigator.language })));
  on("captcha-new", "click", newImage);
  on("step-captcha", "submit", () => act(() => call("POST", path("/captcha"), { answer: $("captcha-answer").value })));
  on("step-channel", "submit", () => {
    const picked = document.querySelector('input[name="channel"]:checked');
    act(() => call("POST", path("/code"), { channel: picked ? picked.value : "" }));
  });
  on("resend", "click", () => act(() => call("POST", path("/code"), { channel: flow.code_channel })));
  on("step-code", "submit", () => act(() => call("POST", path("/code/verify"), { code: $("code").value })));
  on("step-password", "submit", () =>
    act(() => call("POST", path("/password"), { password: $("password").value, confirm: $("confirm").value })));
  document.querySelectorAll(".to-review").forEach((b) =>
    b.addEventListener("click", () => show({ ...flow, step: "review" })));
  on("step-review", "submit", () =>
    act(() => call("POST", path("/review"), { contact: $("contact").value, message: $("message").value })));
  on("refresh", "click", () => act(() => call("GET", path(""))));
  on("step-done", "submit", () =>
    act(async () => {
      const r = await call("POST", "/api/login", { identifier: $("login-id").value, password: $("login-pw").value });
      $("status").textContent = `Signed in to account ${r.account}.`;
    }));
  pollOutbox();
});

async function pollOutbox() {
  try {
    const res = await fetch("/dev/outbox");
    if (res.ok) {
      const entries = await res.json();
      $("outbox").replaceChildren(...entries.map((e) => {
        const li = document.createElement("li");
        li.textContent = `[${e.kind}] ${e.to}: ${e.kind === "captcha" ? "answer" : e.text} ${e.secret}`;
        return li;
      }));
    }
  } catch { /* the outbox exists in dev mode only */ }
  setTimeout(pollOutbox, 2000);
}
