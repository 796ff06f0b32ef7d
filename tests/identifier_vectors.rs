//! Runs the identifier test vectors in `tests/vectors/` (see each file's
//! header for its format and where its values come from).

use resetflow::identifier::{self, Region};

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

/// `ok VALUE` or `err CODE`, as the vector files write it.
fn outcome(input: &str, region: Option<Region>) -> (String, String) {
    match identifier::parse(input, region) {
        Ok(id) => (id.kind().as_str().to_owned(), id.as_str().to_owned()),
        Err(err) => ("error".to_owned(), err.code().to_owned()),
    }
}

#[test]
fn email_vectors() {
    let mut failures = Vec::new();
    for (line, f) in vectors(include_str!("vectors/emails.tsv"), 3) {
        let expected = match f[1].as_str() {
            "ok" => ("email".to_owned(), f[2].clone()),
            "err" => ("error".to_owned(), f[2].clone()),
            other => panic!("line {line}: verdict {other:?}"),
        };
        let got = outcome(&f[0], None);
        if got != expected {
            failures.push(format!(
                "line {line}: {:?}: expected {expected:?}, got {got:?}",
                f[0]
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

#[test]
fn detection_vectors() {
    let mut failures = Vec::new();
    for (line, f) in vectors(include_str!("vectors/identifiers.tsv"), 4) {
        let region = match f[1].as_str() {
            "-" => None,
            code => Some(
                code.parse()
                    .unwrap_or_else(|_| panic!("line {line}: region")),
            ),
        };
        assert!(
            ["email", "phone", "account_id", "error"].contains(&f[2].as_str()),
            "line {line}: result {:?}",
            f[2]
        );
        let expected = (f[2].clone(), f[3].clone());
        let got = outcome(&f[0], region);
        if got != expected {
            failures.push(format!(
                "line {line}: {:?}: expected {expected:?}, got {got:?}",
                f[0]
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

#[test]
fn unescape_reads_the_vector_syntax() {
    assert_eq!(unescape(r"a\u{20}b\*{3:xy}\\", 0), "a bxyxyxy\\");
}
