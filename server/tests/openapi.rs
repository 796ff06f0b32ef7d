//! `openapi.yaml` documents exactly the routes the router serves.

use std::collections::BTreeSet;

use resetflow::protocol::{Route, Routes, DEV_OUTBOX_PATH, LOGIN_PATH};
use resetflow_server::api::{ADMIN_REVIEWS_PATH, HEALTH_PATH};

/// The path keys of the `paths:` section (two-space indented, starting `/`).
fn documented() -> BTreeSet<String> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml")).unwrap();
    let paths = text.split("\npaths:\n").nth(1).unwrap();
    let paths = paths.split("\ncomponents:\n").next().unwrap();
    paths
        .lines()
        .filter(|l| l.starts_with("  /") && l.ends_with(':'))
        .map(|l| l.trim().trim_end_matches(':').to_owned())
        .collect()
}

#[test]
fn every_route_is_documented_and_nothing_else() {
    let routes = Routes::default();
    let mut served: BTreeSet<String> = Route::ALL.iter().map(|r| routes.template(*r)).collect();
    served.insert(LOGIN_PATH.to_owned());
    served.insert(DEV_OUTBOX_PATH.to_owned());
    served.insert(HEALTH_PATH.to_owned());
    served.insert(ADMIN_REVIEWS_PATH.to_owned());
    served.insert(format!("{ADMIN_REVIEWS_PATH}/{{review}}/approve"));
    served.insert(format!("{ADMIN_REVIEWS_PATH}/{{review}}/deny"));
    assert_eq!(documented(), served);
}

fn text() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml")).unwrap()
}

/// The lines of the block that starts at `head` (until the next line
/// indented as little as `head`).
fn block(text: &str, head: &str) -> Vec<String> {
    // `head` starts with a newline: the block starts after it.
    let start = 1 + text.find(head).unwrap_or_else(|| panic!("{head} missing"));
    let first = head[1..].lines().next().unwrap_or("");
    let indent = first.len() - first.trim_start().len();
    text[start..]
        .lines()
        .skip(1)
        .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() > indent)
        .map(str::to_owned)
        .collect()
}

#[test]
fn list_reviews_documents_its_400_and_the_405_shape_exists() {
    let text = text();
    let list = block(
        &text,
        "\n    get:\n      tags: [admin]\n      operationId: listReviews",
    )
    .join("\n");
    assert!(
        list.contains("'400': { $ref: '#/components/responses/InvalidQuery' }"),
        "{list}"
    );
    let invalid = block(&text, "\n    InvalidQuery:").join("\n");
    assert!(invalid.contains("request.invalid_query"), "{invalid}");
    let not_allowed = block(&text, "\n    MethodNotAllowed:").join("\n");
    assert!(
        not_allowed.contains("request.method_not_allowed"),
        "{not_allowed}"
    );
}

/// What the server accepts: an optional request field may be `null`
/// (serde reads it as absent), so the schema must say so, for every
/// optional property of every request body.
#[test]
fn optional_request_fields_are_nullable_as_the_server_accepts() {
    let text = text();
    let mut checked = 0;
    for name in [
        "CreateFlowRequest",
        "CaptchaAnswerRequest",
        "ChannelChoiceRequest",
        "CodeRequest",
        "PasswordRequest",
        "ReviewRequest",
        "LoginRequest",
    ] {
        let lines = block(&text, &format!("\n    {name}:"));
        let required = lines
            .iter()
            .find_map(|l| l.trim().strip_prefix("required: ["))
            .unwrap_or_else(|| panic!("{name}: no required list"))
            .trim_end_matches(']')
            .split(',')
            .map(|s| s.trim().to_owned())
            .collect::<Vec<_>>();
        for l in &lines {
            let Some((field, schema)) = l.trim().split_once(": {") else {
                continue;
            };
            if l.len() - l.trim_start().len() != 8 || required.iter().any(|r| r == field) {
                continue;
            }
            checked += 1;
            assert!(
                schema.contains("'null'"),
                "{name}.{field} is optional but not nullable: {l}"
            );
        }
    }
    // locale and region of CreateFlowRequest.
    assert_eq!(checked, 2);
}
