// resetflow/captcha for Node.js (and Bun): the wasm module is read from disk
// next to this file and instantiated synchronously, so importing this
// module needs no top-level await.
import { readFileSync } from "node:fs";
import { initSync } from "./resetflow_captcha.js";

initSync({ module: readFileSync(new URL("./resetflow_captcha_bg.wasm", import.meta.url)) });

export { CaptchaIssuer } from "./resetflow_captcha.js";
