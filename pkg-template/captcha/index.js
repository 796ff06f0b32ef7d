// resetflow/captcha for edge runtimes, Deno and browsers: the wasm module is
// fetched from next to this file (`new URL(..., import.meta.url)`, which
// bundlers also understand) and instantiated before the import resolves.
import init from "./resetflow_captcha.js";

await init({ module_or_path: new URL("./resetflow_captcha_bg.wasm", import.meta.url) });

export { CaptchaIssuer } from "./resetflow_captcha.js";
