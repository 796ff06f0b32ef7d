// Writes the npm package's locale modules: one `locales/<tag>.js` per locale,
// `export default { t: {...}, e: {...} }`, where `t` holds the form's own
// texts and `e` the message of every error code the form can show.
//
//   node tools/make_locales.mjs MESSAGES.json SOURCE_DIR OUT_DIR
//
// MESSAGES.json is what `cargo run --example messages` prints: the library's
// messages by locale and code (identifier, password and flow rules, password
// hints), the very texts the server sends. SOURCE_DIR holds
// `<tag>.json` files with the form's texts (`texts`) and messages for the
// codes the library has none for (`errors`: network, HTTP and the form's
// own client-side codes). A library message wins over a form one.
//
// Fails when a locale misses a text or a message that English has, or has
// one English has not, so no locale can fall behind.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";

const [messagesFile, sourceDir, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: node tools/make_locales.mjs MESSAGES.json SOURCE_DIR OUT_DIR");
  process.exit(2);
}
const library = JSON.parse(readFileSync(messagesFile, "utf8"));
const locales = ["en", "de", "es", "id", "zh"];
const tables = {};
for (const tag of locales) {
  const source = JSON.parse(readFileSync(`${sourceDir}/${tag}.json`, "utf8"));
  if (!library[tag]) throw new Error(`${messagesFile}: no messages for ${tag}`);
  tables[tag] = { t: source.texts, e: { ...source.errors, ...library[tag] } };
}
const problems = [];
for (const tag of locales) {
  for (const part of ["t", "e"]) {
    const want = Object.keys(tables.en[part]).sort();
    const have = Object.keys(tables[tag][part]);
    for (const key of want) {
      const value = tables[tag][part][key];
      if (value === undefined || value === "" || (Array.isArray(value) && value.some((v) => !v))) {
        problems.push(`${tag}: missing ${part === "t" ? "text" : "message"} ${key}`);
      }
    }
    for (const key of have) {
      if (!(key in tables.en[part])) problems.push(`${tag}: ${key} is not in en`);
    }
  }
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
for (const tag of locales) {
  writeFileSync(
    `${outDir}/${tag}.js`,
    `// resetflow texts: ${tag} (made by scripts/build-pkg.sh)\nexport default ${JSON.stringify(tables[tag])};\n`,
  );
}
