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
