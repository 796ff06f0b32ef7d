// Rewrites wasm-bindgen's JS glue for a wasm module whose import and export
// names binaryen has shortened.
//
//   wasm-opt --minify-imports-and-exports-and-modules -o out.wasm in.wasm >names.json
//   node tools/wasm_names.mjs names.json out.wasm glue.js
//
// wasm-bindgen names every import after the JS it calls plus a hash
// (`__wbg_normalize_2d352f86793b4b5f`) and the glue names them the same, so
// each name is in the package twice, hash and all: 0.6 KB of the gzipped
// wasm and 0.4 KB of the gzipped JS, for nothing a page needs. Binaryen
// renames them to `a`, `b`, ... and prints the old and new names; this
// script applies that map to the glue (scripts/build-pkg.sh runs both): the
// import object's keys and module name, and the `wasm.<export>` calls. It
// fails, leaving the glue as it was, when a name of the map is not where the
// glue should have it or when an old name is left over, so a change in
// wasm-bindgen's output stops the build instead of breaking the module at
// start-up.
import { readFileSync, writeFileSync } from "node:fs";

const [mapPath, wasmPath, gluePath] = process.argv.slice(2);
if (!gluePath) {
  console.error("usage: node tools/wasm_names.mjs <names.json> <renamed.wasm> <glue.js>");
  process.exit(2);
}
// { "imports": [[module, old, new], ...], "exports": [[old, new], ...] }
const map = JSON.parse(readFileSync(mapPath, "utf8"));

const fail = (message) => {
  console.error(`wasm_names: ${message}`);
  process.exit(1);
};
const escape = (s) => s.replace(/[$.*+?^()[\]{}|\\]/g, "\\$&");
// The module name after renaming, from the module itself (the map has the
// old module names only).
const renamed = new WebAssembly.Module(readFileSync(wasmPath));
const newModules = new Set(WebAssembly.Module.imports(renamed).map((i) => i.module));
if (newModules.size > 1) fail(`expected one import module, found ${[...newModules].join(", ")}`);
const [newModule] = newModules;

let glue = readFileSync(gluePath, "utf8");
// Replaces every match of `pattern`; fails when there is none.
const replace = (pattern, replacement, what) => {
  if (!pattern.test(glue)) fail(`${what} is not in the glue`);
  glue = glue.replace(pattern, replacement);
};

for (const module of new Set(map.imports.map(([module]) => module))) {
  replace(new RegExp(`"${escape(module)}"(?=\\s*:)`, "g"), JSON.stringify(newModule), `module "${module}"`);
}
for (const [, from, to] of map.imports) {
  // A key of the import object: `    __wbg_..._hash: function(...`.
  replace(new RegExp(`(?<=^\\s*)${escape(from)}(?=\\s*:)`, "gm"), to, `import ${from}`);
}
for (const [from, to] of map.exports) {
  // Exports the glue never calls (there are a few) need no rewriting.
  glue = glue.replace(new RegExp(`\\bwasm\\.${escape(from)}\\b`, "g"), `wasm.${to}`);
}
// Nothing may be left under an old name.
for (const [, from] of map.imports) {
  if (new RegExp(`\\b${escape(from)}\\b`).test(glue)) fail(`import ${from} is left in the glue`);
}
for (const [from] of map.exports) {
  if (new RegExp(`\\bwasm\\.${escape(from)}\\b`).test(glue)) fail(`export ${from} is left in the glue`);
}
writeFileSync(gluePath, glue);
console.log(`wasm_names: ${map.imports.length} imports and ${map.exports.length} exports renamed`);
