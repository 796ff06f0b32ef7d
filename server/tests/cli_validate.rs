//! `resetflow validate`, run as a real process.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

fn resetflow(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_resetflow"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start resetflow");
    let mut pipe = child.stdin.take().expect("stdin");
    if let Some(bytes) = stdin {
        pipe.write_all(bytes).expect("write stdin");
    }
    drop(pipe);
    child.wait_with_output().expect("wait for resetflow")
}

/// The JSON objects on stdout, one per line; each line must be one object.
fn json_lines(out: &Output) -> Vec<Value> {
    let text = String::from_utf8(out.stdout.clone()).expect("UTF-8 stdout");
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{line:?}: {e}")))
        .collect()
}

#[test]
fn prints_one_object_per_argument_in_order() {
    let out = resetflow(
        &[
            "validate",
            "--region",
            "DE",
            "Jane@MÜNCHEN.de",
            "+49 151 23456789",
            "100000001",
            "0151 23456789",
            "jane@",
            // Bare digits, no valid German number: an account ID, too short.
            "01234",
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected_message = "Enter the domain after the @, such as example.com.";
    assert_eq!(
        json_lines(&out),
        vec![
            json!({"input": "Jane@MÜNCHEN.de", "ok": true, "kind": "email", "normalized": "Jane@xn--mnchen-3ya.de"}),
            json!({"input": "+49 151 23456789", "ok": true, "kind": "phone", "normalized": "+4915123456789"}),
            json!({"input": "100000001", "ok": true, "kind": "account_id", "normalized": "100000001"}),
            json!({"input": "0151 23456789", "ok": true, "kind": "phone", "normalized": "+4915123456789"}),
            json!({"input": "jane@", "ok": false, "error": {"code": "email.missing_domain", "message": expected_message}}),
            json!({"input": "01234", "ok": false, "error": {"code": "account_id.too_short", "message": "This account ID is too short."}}),
        ]
    );
}

#[test]
fn fields_come_in_the_documented_order() {
    let out = resetflow(&["validate", "a@b.de", "@"], None);
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(r#"{"input":"a@b.de","ok":true,"kind":"email","normalized":"a@b.de"}"#)
    );
    assert_eq!(
        lines.next(),
        Some(
            r#"{"input":"@","ok":false,"error":{"code":"email.missing_local","message":"Enter the part of the e-mail address before the @."}}"#
        )
    );
    assert_eq!(lines.next(), None);
}

#[test]
fn reads_stdin_lines_without_arguments() {
    // CRLF, an empty line, surrounding spaces, a byte that is not UTF-8, and
    // a last line without a newline.
    let out = resetflow(
        &["validate"],
        Some(b"a@b.de\r\n\n  100000001 \n\xff\n+49 1"),
    );
    assert_eq!(out.status.code(), Some(0));
    let lines = json_lines(&out);
    let summary: Vec<_> = lines
        .iter()
        .map(|l| {
            let input = l["input"].as_str().unwrap().to_owned();
            let result = if l["ok"] == json!(true) {
                l["normalized"].as_str().unwrap().to_owned()
            } else {
                l["error"]["code"].as_str().unwrap().to_owned()
            };
            (input, result)
        })
        .collect();
    let expected = [
        ("a@b.de", "a@b.de"),
        ("", "identifier.empty"),
        ("  100000001 ", "100000001"),
        ("\u{FFFD}", "identifier.unrecognized"),
        ("+49 1", "phone.too_short"),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(summary, expected);
}

#[test]
fn messages_follow_the_locale() {
    let out = resetflow(&["validate", "--locale", "de", ""], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        json_lines(&out)[0]["error"],
        json!({"code": "identifier.empty", "message": "Geben Sie Ihre E-Mail-Adresse, Telefonnummer oder Konto-ID ein."})
    );
}

#[test]
fn bad_arguments_fail_with_a_code_and_print_nothing() {
    for (args, code) in [
        (
            &["validate", "--region", "XX", "a@b.de"][..],
            "region.unknown",
        ),
        (
            &["validate", "--region", "Germany", "a@b.de"][..],
            "region.unknown",
        ),
        (
            &["validate", "--locale", "fr", "a@b.de"][..],
            "locale.unknown",
        ),
    ] {
        let out = resetflow(args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with(&format!("error[{code}]: ")),
            "{args:?}: {stderr}"
        );
    }
}
