//! Runs the identifier test vectors in `tests/vectors/` (see each file's
//! header for its format and where its values come from), natively and in
//! headless Chromium, so the browser and the server give the same verdicts.

use resetflow::identifier::{self, Region};
use wasm_bindgen_test::wasm_bindgen_test;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Expands `\u{HEX}`, `\*{N:TEXT}` and `\\`.
fn unescape(field: &str, line: usize) -> String {
    let mut out = String::new();
    let mut rest = field;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let bad = format!("line {line}: bad escape in {field:?}");
        let bad = bad.as_str();
        if let Some(r) = rest.strip_prefix('\\') {
            out.push('\\');
            rest = r;
        } else if let Some(r) = rest.strip_prefix("u{") {
            let end = r.find('}').expect(bad);
            let cp = u32::from_str_radix(&r[..end], 16).expect(bad);
            out.push(char::from_u32(cp).expect(bad));
            rest = &r[end + 1..];
        } else if let Some(r) = rest.strip_prefix("*{") {
            let end = r.find('}').expect(bad);
            let (n, text) = r[..end].split_once(':').expect(bad);
            out.push_str(&text.repeat(n.parse().expect(bad)));
            rest = &r[end + 1..];
        } else {
            panic!("{bad}");
        }
    }
    out.push_str(rest);
    out
}

/// The data lines of a vector file: (line number, unescaped fields).
fn vectors(text: &str, columns: usize) -> Vec<(usize, Vec<String>)> {
    let rows: Vec<_> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| {
            let fields: Vec<_> = l.split('\t').map(|f| unescape(f, i + 1)).collect();
            assert_eq!(fields.len(), columns, "line {}: {l:?}", i + 1);
            (i + 1, fields)
        })
        .collect();
    assert!(rows.len() > 20, "too few vectors");
    rows
}

/// One vector: the input, the default region, and the expected
/// `(kind, canonical value)` or `("error", code)`.
type Case = (String, Option<Region>, (String, String));

/// Runs every case and reports all mismatches at once.
fn check(file: &str, columns: usize, case: impl Fn(usize, Vec<String>) -> Case) {
    let mut failures = Vec::new();
    for (line, fields) in vectors(file, columns) {
        let (input, region, expected) = case(line, fields);
        let got = match identifier::parse(&input, region) {
            Ok(id) => (id.kind().as_str().to_owned(), id.as_str().to_owned()),
            Err(err) => ("error".to_owned(), err.code().to_owned()),
        };
        if got != expected {
            failures.push(format!(
                "line {line}: {input:?}: expected {expected:?}, got {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[wasm_bindgen_test(unsupported = test)]
fn email_vectors() {
    check(include_str!("vectors/emails.tsv"), 3, |line, f| {
        let kind = match f[1].as_str() {
            "ok" => "email",
            "err" => "error",
            other => panic!("line {line}: verdict {other:?}"),
        };
        (f[0].clone(), None, (kind.to_owned(), f[2].clone()))
    });
}

#[wasm_bindgen_test(unsupported = test)]
fn detection_vectors() {
    check(include_str!("vectors/identifiers.tsv"), 4, |line, f| {
        let region = match f[1].as_str() {
            "-" => None,
            code => Some(
                code.parse()
                    .unwrap_or_else(|_| panic!("line {line}: region")),
            ),
        };
        let kinds = ["email", "phone", "account_id", "error"];
        assert!(
            kinds.contains(&f[2].as_str()),
            "line {line}: result {:?}",
            f[2]
        );
        (f[0].clone(), region, (f[2].clone(), f[3].clone()))
    });
}

#[wasm_bindgen_test(unsupported = test)]
fn unescape_reads_the_vector_syntax() {
    assert_eq!(unescape(r"a\u{20}b\*{3:xy}\\", 0), "a bxyxyxy\\");
}
