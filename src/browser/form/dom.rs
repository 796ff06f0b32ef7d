//! The one DOM builder of the form, and small helpers around it.
//!
//! Everything the form shows is made here from tag names, attributes and
//! text: never `innerHTML`, never a `style` attribute, never an inline
//! handler, so the form runs under a strict Content-Security-Policy and no
//! server text can become markup.

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue, UnwrapThrowExt};
use web_sys::{CustomEvent, CustomEventInit, Document, Element, EventTarget, HtmlElement};

/// `<tag attr=value ...>text</tag>`; `text` may be empty.
pub(super) fn el(doc: &Document, tag: &str, attrs: &[(&str, &str)], text: &str) -> Element {
    let e = doc.create_element(tag).unwrap_throw();
    for (name, value) in attrs {
        e.set_attribute(name, value).unwrap_throw();
    }
    if !text.is_empty() {
        e.set_text_content(Some(text));
    }
    e
}

/// Appends each of `children` to `parent`; returns `parent`.
pub(super) fn add(parent: &Element, children: &[&Element]) {
    for child in children {
        parent.append_child(child).unwrap_throw();
    }
}

/// Sets (or, with `None`, removes) an attribute.
pub(super) fn attr(e: &Element, name: &str, value: Option<&str>) {
    match value {
        Some(v) => e.set_attribute(name, v).unwrap_throw(),
        None => e.remove_attribute(name).unwrap_throw(),
    }
}

/// The first element under `root` matching `selector`.
pub(super) fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

/// The `value` property of an `<input>` or `<textarea>` under `root`.
pub(super) fn value(root: &Element, selector: &str) -> String {
    find(root, selector)
        .and_then(|e| Reflect::get(&e, &JsValue::from_str("value")).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Sets the `value` property of an `<input>` or `<textarea>` under `root`.
pub(super) fn set_value(root: &Element, selector: &str, v: &str) {
    if let Some(e) = find(root, selector) {
        let _ = Reflect::set(&e, &JsValue::from_str("value"), &JsValue::from_str(v));
    }
}

/// Moves keyboard focus to `e` (an element the form made, so always an
/// `HTMLElement`).
pub(super) fn focus(e: &Element) {
    if let Some(h) = e.dyn_ref::<HtmlElement>() {
        let _ = h.focus();
    }
}

/// A plain object `{k: v, ...}`; `None` values become `null`.
pub(super) fn object(fields: &[(&str, Option<&str>)]) -> Object {
    let o = Object::new();
    for (k, v) in fields {
        let v = v.map_or(JsValue::NULL, JsValue::from_str);
        let _ = Reflect::set(&o, &JsValue::from_str(k), &v);
    }
    o
}

/// Dispatches `CustomEvent(name, { detail, bubbles, composed })` on `target`.
pub(super) fn dispatch(target: &EventTarget, name: &str, detail: &JsValue) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(ev) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = target.dispatch_event(&ev);
    }
}

/// Reads a string property of a JS object.
pub(super) fn get_str(obj: &JsValue, key: &str) -> Option<String> {
    Reflect::get(obj, &JsValue::from_str(key)).ok()?.as_string()
}

/// Reads a non-negative number property of a JS object.
pub(super) fn get_num(obj: &JsValue, key: &str) -> Option<f64> {
    Reflect::get(obj, &JsValue::from_str(key))
        .ok()?
        .as_f64()
        .filter(|n| *n >= 0.0)
}
