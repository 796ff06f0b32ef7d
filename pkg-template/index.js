// resetflow: the browser entry of the npm package.
//
// Loads the WebAssembly module once, at import (top-level await), so every
// export is ready to call as soon as the import resolves. Bundlers see the
// `new URL(..., import.meta.url)` references and emit the .wasm (and the
// phone table) as assets.
//# Lines between `//#if NAME` and `//#endif` are kept by scripts/build-pkg.sh
//# only when the wasm module exports NAME (`//#if !NAME`: only when it does not).
import init from "./resetflow.js";
//#if loadPhoneMetadata
import { loadPhoneMetadata } from "./resetflow.js";

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
//#endif

await init({ module_or_path: new URL("./resetflow_bg.wasm", import.meta.url) });

export { validateIdentifier } from "./resetflow.js";
//#if RecoveryForm
export { RecoveryForm } from "./resetflow.js";
//#endif
//#if loadPhoneMetadata
export { loadPhoneMetadata };

/** Settles once the phone-number table is installed (or failed to load). */
export const phoneMetadataReady = phoneTable.then((text) => loadPhoneMetadata(text));
// Awaiting it still sees a failure; nobody awaiting it is not an error.
phoneMetadataReady.catch(() => {});
//#endif
//#if !loadPhoneMetadata
/** The phone-number table is compiled into this build: nothing to wait for. */
export const phoneMetadataReady = Promise.resolve();
//#endif
