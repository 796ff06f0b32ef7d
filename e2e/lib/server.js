// Starts `resetflow serve --dev` on a free loopback port with a fresh SQLite
// file and the test page from www/, waits for its banner, and stops it.
//
// The binary is target/debug/resetflow (built by `cargo build -p
// resetflow-server`); RESETFLOW_BIN overrides it.

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = process.env.RESETFLOW_BIN || path.join(ROOT, "target/debug/resetflow");
export const ADMIN_TOKEN = "e2e-admin-token-0123456789";

// libfaketime (Debian `faketime`): moves the server's wall clock on demand,
// so cooldowns can pass without waiting. Only the wall clock is moved
// (DONT_FAKE_MONOTONIC), so the runtime's timers are untouched.
const FAKETIME_LIBS = [
  "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1",
  "/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1",
  "/usr/lib/faketime/libfaketimeMT.so.1",
];
export const FAKETIME_LIB = FAKETIME_LIBS.find((p) => existsSync(p));

/** Per-IP budgets high enough for a test file's worth of flows. */
const LIFTED = {
  "ip-requests-per-minute": 100000,
  "ip-flows-per-hour": 100000,
  "ip-sends-per-hour": 100000,
  "ip-logins-per-minute": 100000,
};

/**
 * Starts a dev server.
 *
 * @param {object} [opts]
 * @param {Record<string, string|number>} [opts.flags] extra `serve` flags
 *   (without `--`); they override the lifted per-IP budgets.
 * @param {boolean} [opts.faketime] run under libfaketime, for `advanceClock`.
 * @param {boolean} [opts.admin] set an admin token (ADMIN_TOKEN).
 * @returns {Promise<DevServer>}
 */
export async function startServer(opts = {}) {
  if (!existsSync(BIN)) {
    throw new Error(`${BIN} is missing: run \`cargo build -p resetflow-server\` first`);
  }
  if (!existsSync(path.join(ROOT, "www/pkg/index.js"))) {
    throw new Error("www/pkg/ is missing: run scripts/build-pkg.sh first");
  }
  const work = mkdtempSync(path.join(tmpdir(), "resetflow-e2e-"));
  const flags = { ...LIFTED, ...(opts.flags || {}) };
  const args = [
    "serve", "--dev",
    "--listen", "127.0.0.1:0",
    "--database", `sqlite://${path.join(work, "resetflow.db")}`,
    "--www", path.join(ROOT, "www"),
  ];
  for (const [k, v] of Object.entries(flags)) args.push(`--${k}`, String(v));
  if (opts.admin) args.push("--admin-token", ADMIN_TOKEN);

  const env = { ...process.env, RESETFLOW_LOG: process.env.RESETFLOW_LOG || "warn" };
  for (const k of Object.keys(env)) {
    // Only the flags above configure the server under test.
    if (k.startsWith("RESETFLOW_") && k !== "RESETFLOW_LOG") delete env[k];
  }
  const clockFile = path.join(work, "faketime");
  if (opts.faketime) {
    if (!FAKETIME_LIB) throw new Error("libfaketime is missing (Debian package `faketime`)");
    writeFileSync(clockFile, "+0\n");
    Object.assign(env, {
      LD_PRELOAD: FAKETIME_LIB,
      FAKETIME_TIMESTAMP_FILE: clockFile,
      FAKETIME_NO_CACHE: "1",
      DONT_FAKE_MONOTONIC: "1",
    });
  }

  const child = spawn(BIN, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  // Should the test process end without its `after` hook, take the server along.
  const orphanGuard = () => child.kill("SIGKILL");
  process.on("exit", orphanGuard);
  let out = "";
  let log = "";
  child.stderr.on("data", (d) => { log += d; });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner in 30 s:\n${out}\n${log}`)), 30000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/resetflow dev mode on (http:\/\/[^/\s]+)\//);
      if (m && out.includes("dev outbox:")) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`resetflow serve exited (${code ?? signal}) at start:\n${log}`));
    });
  });
  const password = (out.match(/password "([^"]+)"/) || [])[1];
  let offset = 0;

  return {
    url: base,
    /** The demo password the banner printed. */
    password,
    work,
    /** What the server logged so far. */
    log: () => log,
    /** Moves the server's wall clock `seconds` forward (needs `faketime`). */
    advanceClock(seconds) {
      if (!opts.faketime) throw new Error("started without faketime");
      offset += seconds;
      writeFileSync(clockFile, `+${offset}\n`);
      if (readFileSync(clockFile, "utf8").trim() !== `+${offset}`) throw new Error("clock file not written");
    },
    /** SIGTERM, then waits for the graceful exit, then removes the files. */
    async stop() {
      process.off("exit", orphanGuard);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 10000);
        await exited;
        clearTimeout(t);
      }
      rmSync(work, { recursive: true, force: true });
    },
  };
}
