//! `resetflow captcha` as a real process.

use std::path::Path;
use std::process::{Command, Output};

fn resetflow(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_resetflow"))
        .args(args)
        .output()
        .expect("run resetflow")
}

/// Sorted (file name, bytes) of the PNGs in `dir`.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().into_string().unwrap(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn assert_usage_error(out: &Output, code: &str) {
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("error[{code}]")),
        "expected {code}, got: {stderr}"
    );
}

#[test]
fn writes_labelled_samples_named_answer_underscore_index() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let out = resetflow(&[
        "captcha",
        "--count",
        "5",
        "--seed",
        "9",
        "--length",
        "7",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files = files(&dir);
    assert_eq!(files.len(), 5);
    let mut indices: Vec<u32> = Vec::new();
    for (name, bytes) in &files {
        let stem = name.strip_suffix(".png").expect("a .png file");
        let (answer, n) = stem.split_once('_').expect("<answer>_<n>");
        assert_eq!(answer.len(), 7, "{name}");
        assert!(answer.bytes().all(|b| b.is_ascii_digit()), "{name}");
        indices.push(n.parse().unwrap());
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}");
        // The picture is 160x60: width and height sit at bytes 16..24 of
        // the IHDR chunk.
        assert_eq!(&bytes[16..24], &[0, 0, 0, 160, 0, 0, 0, 60], "{name}");
    }
    indices.sort_unstable();
    assert_eq!(indices, vec![0, 1, 2, 3, 4], "numbered from 0");
}

#[test]
fn the_same_seed_gives_byte_identical_files_and_no_seed_does_not() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |sub: &str, seed: Option<&str>| {
        let dir = tmp.path().join(sub);
        let mut args = vec!["captcha", "--count", "3", "--out", dir.to_str().unwrap()];
        if let Some(s) = seed {
            args.extend(["--seed", s]);
        }
        let out = resetflow(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        files(&dir)
    };
    let a = run("a", Some("123"));
    assert_eq!(a, run("b", Some("123")));
    assert_ne!(a, run("c", Some("124")));
    assert_ne!(run("d", None), run("e", None));
}

#[test]
fn scale_and_difficulty_options_apply() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("x2");
    let out = resetflow(&[
        "captcha",
        "--count",
        "1",
        "--seed",
        "1",
        "--scale",
        "2",
        "--difficulty",
        "hard",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, bytes) = &files(&dir)[0];
    assert_eq!(&bytes[16..24], &[0, 0, 1, 64, 0, 0, 0, 120]);
}

#[test]
fn bad_arguments_fail_with_stable_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("never");
    let d = dir.to_str().unwrap();
    assert_usage_error(
        &resetflow(&["captcha", "--count", "0", "--out", d]),
        "captcha.count",
    );
    assert_usage_error(
        &resetflow(&["captcha", "--count", "100001", "--out", d]),
        "captcha.count",
    );
    assert_usage_error(
        &resetflow(&["captcha", "--count", "1", "--length", "3", "--out", d]),
        "captcha.length",
    );
    assert_usage_error(
        &resetflow(&["captcha", "--count", "1", "--length", "9", "--out", d]),
        "captcha.length",
    );
    assert_usage_error(
        &resetflow(&["captcha", "--count", "1", "--scale", "5", "--out", d]),
        "captcha.scale",
    );
    assert_usage_error(
        &resetflow(&[
            "captcha",
            "--count",
            "1",
            "--difficulty",
            "extreme",
            "--out",
            d,
        ]),
        "captcha.difficulty",
    );
    assert!(!dir.exists(), "nothing written for rejected arguments");
    for out in [
        resetflow(&["captcha", "--count", "0", "--out", d]),
        resetflow(&["captcha", "--count", "1", "--length", "3", "--out", d]),
    ] {
        assert_eq!(out.status.code(), Some(2), "usage errors exit with 2");
    }
}

#[test]
fn an_unwritable_directory_is_an_io_error() {
    let tmp = tempfile::tempdir().unwrap();
    // A regular file where the directory should be: creating it fails.
    let blocker = tmp.path().join("file");
    std::fs::write(&blocker, b"not a directory").unwrap();
    let target = blocker.join("out");
    let out = resetflow(&[
        "captcha",
        "--count",
        "1",
        "--seed",
        "1",
        "--out",
        target.to_str().unwrap(),
    ]);
    assert_usage_error(&out, "captcha.out");
    assert_eq!(
        out.status.code(),
        Some(1),
        "environment failures exit with 1"
    );
}
