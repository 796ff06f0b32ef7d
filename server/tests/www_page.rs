//! The checked-in test page works under the server's strict CSP: no inline
//! script or style, and every local file it names exists.

use std::path::Path;

#[test]
fn the_test_page_has_no_inline_code_and_its_files_exist() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../www");
    let html = std::fs::read_to_string(root.join("index.html")).unwrap();
    assert!(
        !html.contains("<style"),
        "inline <style> breaks style-src 'self'"
    );
    assert!(
        !html.contains(" style="),
        "style attributes break style-src 'self'"
    );
    for attr in [" onclick=", " onload=", " onsubmit=", "javascript:"] {
        assert!(!html.contains(attr), "{attr} breaks script-src 'self'");
    }
    for script in html.split("<script").skip(1) {
        let tag = script.split('>').next().unwrap();
        assert!(
            tag.contains("src="),
            "inline <script> breaks script-src 'self'"
        );
    }
    for name in ["app.js", "style.css"] {
        assert!(html.contains(&format!("\"{name}\"")), "{name} referenced");
        assert!(root.join(name).is_file(), "{name} exists");
    }
    // The form comes from the npm package built into www/pkg/.
    assert!(
        html.contains("\"./pkg/resetflow.css\""),
        "the package's stylesheet"
    );
    let app = std::fs::read_to_string(root.join("app.js")).unwrap();
    assert!(
        app.contains("import(\"./pkg/index.js\")"),
        "the package's entry"
    );
    for banned in ["eval(", "new Function", "innerHTML", ".style."] {
        assert!(!app.contains(banned), "app.js uses {banned}");
    }
    assert_eq!(
        resetflow_server::www::mime_type("app.js"),
        "text/javascript; charset=utf-8"
    );
}
