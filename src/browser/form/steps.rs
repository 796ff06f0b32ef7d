//! The markup of each step: one `<form class="rf-step" data-step=..>` with a
//! heading, its fields, the error line and its buttons.
//!
//! Rendering reads the state and builds elements; it changes nothing and
//! sends nothing. Which element gets focus on entering is returned with the
//! form.

use web_sys::Element;

use super::dom::{add, attr, el};
use super::i18n::*;
use super::Inner;

/// Builds one step form.
struct Builder<'a> {
    st: &'a Inner,
    form: Element,
    heading: Element,
}

impl<'a> Builder<'a> {
    fn new(st: &'a Inner, step: &str, title: &Text) -> Builder<'a> {
        let hid = st.id("h");
        let form = el(
            &st.doc,
            "form",
            &[
                ("class", "rf-step"),
                ("data-step", step),
                ("novalidate", ""),
                ("aria-labelledby", &hid),
            ],
            "",
        );
        let heading = el(
            &st.doc,
            "h2",
            &[("id", &hid), ("tabindex", "-1")],
            st.t(title),
        );
        add(&form, &[&heading]);
        Builder { st, form, heading }
    }

    /// A paragraph of `class`.
    fn p(&self, class: &str, text: &str) -> Element {
        let p = el(&self.st.doc, "p", &[("class", class)], text);
        add(&self.form, &[&p]);
        p
    }

    /// A labelled field (`<input>` or `<textarea>`) named `name`; returns
    /// the control. Every field is described by the step's error line.
    fn field(&self, tag: &str, name: &str, label: &Text, attrs: &[(&str, &str)]) -> Element {
        let id = self.st.id(name);
        let wrap = el(&self.st.doc, "div", &[("class", "rf-field")], "");
        let label = el(&self.st.doc, "label", &[("for", &id)], self.st.t(label));
        let control = el(
            &self.st.doc,
            tag,
            &[
                ("id", &id),
                ("name", name),
                ("aria-describedby", &self.st.id("err")),
            ],
            "",
        );
        for (k, v) in attrs {
            attr(&control, k, Some(v));
        }
        add(&wrap, &[&label, &control]);
        add(&self.form, &[&wrap]);
        control
    }

    /// `Attempts left: n` when the flow says how many.
    fn attempts(&self) {
        if let Some(n) = self.st.flow.as_ref().and_then(|f| f.attempts_left) {
            let text = fill(self.st.t(&ATTEMPTS), &(n as u32).to_string());
            self.p("rf-attempts", &text);
        }
    }

    /// A polite status line (`role="status"`), empty at first.
    fn status(&self) {
        let p = self.p("rf-status", "");
        attr(&p, "role", Some("status"));
    }

    /// The error line and the row of buttons: a submit button with `submit`
    /// (if any), then `(action, text)` buttons.
    fn finish(self, submit: Option<&Text>, buttons: &[(&str, &Text)]) -> (Element, Element) {
        let doc = &self.st.doc;
        let err = el(
            doc,
            "p",
            &[
                ("class", "rf-error"),
                ("id", &self.st.id("err")),
                ("role", "alert"),
                ("aria-live", "assertive"),
            ],
            "",
        );
        let row = el(doc, "div", &[("class", "rf-actions")], "");
        if let Some(text) = submit {
            let b = el(
                doc,
                "button",
                &[("type", "submit"), ("class", "rf-primary")],
                self.st.t(text),
            );
            add(&row, &[&b]);
        }
        for (action, text) in buttons {
            let b = el(
                doc,
                "button",
                &[("type", "button"), ("data-action", action)],
                "",
            );
            if *action == "resend" {
                add(
                    &b,
                    &[&el(
                        doc,
                        "span",
                        &[("data-countdown", ""), ("data-seconds", "0")],
                        self.st.t(text),
                    )],
                );
            } else {
                b.set_text_content(Some(self.st.t(text)));
            }
            add(&row, &[&b]);
        }
        add(&self.form, &[&err, &row]);
        (self.form, self.heading)
    }
}

/// The form of `step` and the element to focus on entering it.
pub(super) fn render(st: &Inner, step: &str) -> (Element, Element) {
    let doc = &st.doc;
    match step {
        "identifier" => {
            let b = Builder::new(st, step, &IDENT_TITLE);
            b.p("rf-intro", st.t(&IDENT_INTRO));
            let kind_id = st.id("kind");
            let input = b.field(
                "input",
                "identifier",
                &IDENT_LABEL,
                &[
                    ("type", "text"),
                    ("autocomplete", "username"),
                    ("autocapitalize", "none"),
                    ("spellcheck", "false"),
                    ("required", ""),
                    ("maxlength", "320"),
                ],
            );
            attr(&input, "value", Some(&st.typed));
            let describedby = st.id("err") + " " + &kind_id;
            attr(&input, "aria-describedby", Some(&describedby));
            let out = el(
                doc,
                "output",
                &[
                    ("class", "rf-kind"),
                    ("id", &kind_id),
                    ("for", &st.id("identifier")),
                    ("data-kind", ""),
                ],
                "",
            );
            if let Some(wrap) = input.parent_element() {
                add(&wrap, &[&out]);
            }
            let (form, _) = b.finish(Some(&CONTINUE), &[]);
            (form, input)
        }
        "captcha" => {
            let b = Builder::new(st, step, &CAPTCHA_TITLE);
            b.p("rf-intro", st.t(&CAPTCHA_INTRO));
            let box_ = el(doc, "div", &[("class", "rf-captcha-box")], "");
            let img = el(
                doc,
                "img",
                &[
                    ("class", "rf-captcha"),
                    ("alt", st.t(&CAPTCHA_ALT)),
                    ("width", "160"),
                    ("height", "60"),
                    ("src", &st.captcha_url()),
                ],
                "",
            );
            let new = el(
                doc,
                "button",
                &[("type", "button"), ("data-action", "new-image")],
                st.t(&NEW_IMAGE),
            );
            add(&box_, &[&img, &new]);
            add(&b.form, &[&box_]);
            let input = b.field(
                "input",
                "answer",
                &CAPTCHA_LABEL,
                &[
                    ("type", "text"),
                    ("inputmode", "numeric"),
                    ("autocomplete", "off"),
                    ("spellcheck", "false"),
                    ("required", ""),
                    ("maxlength", "16"),
                ],
            );
            b.attempts();
            let (form, _) = b.finish(Some(&CHECK), &[]);
            (form, input)
        }
        "channel" => {
            let b = Builder::new(st, step, &CHANNEL_TITLE);
            let set = el(doc, "fieldset", &[("class", "rf-choices")], "");
            add(&set, &[&el(doc, "legend", &[], st.t(&CHANNEL_LEGEND))]);
            let (channels, current) = match &st.flow {
                Some(f) => (&f.channels[..], f.code_channel.as_deref()),
                None => (&[][..], None),
            };
            let mut first: Option<Element> = None;
            for (i, ch) in channels.iter().enumerate() {
                let id = st.id(&("ch".to_owned() + &i.to_string()));
                let label = el(doc, "label", &[("class", "rf-choice"), ("for", &id)], "");
                let radio = el(
                    doc,
                    "input",
                    &[
                        ("type", "radio"),
                        ("name", "channel"),
                        ("id", &id),
                        ("value", &ch.id),
                    ],
                    "",
                );
                let via = if ch.kind == "sms" {
                    &VIA_SMS
                } else {
                    &VIA_EMAIL
                };
                let text = el(doc, "span", &[], &fill(st.t(via), &ch.to));
                add(&label, &[&radio, &text]);
                if current == Some(ch.id.as_str()) {
                    attr(&label, "data-current", Some(""));
                    add(
                        &label,
                        &[&el(doc, "span", &[("class", "rf-note")], st.t(&CURRENT))],
                    );
                } else if first.is_none() {
                    attr(&radio, "checked", Some(""));
                    first = Some(radio.clone());
                }
                add(&set, &[&label]);
            }
            add(&b.form, &[&set]);
            let heading = b.heading.clone();
            // Reached by "Not working?": a way back to typing the code.
            let buttons: &[(&str, &Text)] = if current.is_some() {
                &[("review", &NONE_WORK), ("back", &BACK)]
            } else {
                &[("review", &NONE_WORK)]
            };
            let (form, _) = b.finish(Some(&SEND_CODE), buttons);
            let focus = first
                .or_else(|| super::dom::find(&form, "[name=channel]"))
                .unwrap_or(heading);
            (form, focus)
        }
        "code" => {
            let b = Builder::new(st, step, &CODE_TITLE);
            let to = st
                .flow
                .as_ref()
                .and_then(|f| {
                    let id = f.code_channel.as_deref();
                    f.channels
                        .iter()
                        .find(|c| Some(c.id.as_str()) == id)
                        .or(f.channels.first())
                })
                .map(|c| c.to.as_str())
                .unwrap_or("");
            b.p("rf-intro", &fill(st.t(&CODE_INTRO), to));
            let input = b.field(
                "input",
                "code",
                &CODE_LABEL,
                &[
                    ("type", "text"),
                    ("inputmode", "numeric"),
                    ("autocomplete", "one-time-code"),
                    ("spellcheck", "false"),
                    ("required", ""),
                    ("maxlength", "6"),
                ],
            );
            b.attempts();
            b.status();
            let (form, _) = b.finish(
                Some(&VERIFY),
                &[("resend", &RESEND), ("not-working", &NOT_WORKING)],
            );
            (form, input)
        }
        "password" => {
            let b = Builder::new(st, step, &PW_TITLE);
            b.p("rf-intro", st.t(&PW_INTRO));
            let pw_attrs = [
                ("type", "password"),
                ("autocomplete", "new-password"),
                ("required", ""),
                ("maxlength", "4096"),
            ];
            let input = b.field("input", "password", &PW_LABEL, &pw_attrs);
            let hints_id = st.id("hints");
            let label_id = st.id("strength");
            let describedby = st.id("err") + " " + &label_id + " " + &hints_id;
            attr(&input, "aria-describedby", Some(&describedby));
            let toggle = el(
                doc,
                "button",
                &[
                    ("type", "button"),
                    ("class", "rf-toggle"),
                    ("data-action", "toggle-visibility"),
                    ("aria-pressed", "false"),
                ],
                st.t(&SHOW),
            );
            let meter_box = el(doc, "div", &[("class", "rf-meter")], "");
            let label = el(doc, "span", &[("id", &label_id)], st.t(&STRENGTH));
            add(
                &label,
                &[&el(doc, "span", &[("class", "rf-strength-text")], "")],
            );
            let meter = el(
                doc,
                "meter",
                &[
                    ("class", "rf-strength"),
                    ("min", "0"),
                    ("max", "4"),
                    ("low", "2"),
                    ("high", "3"),
                    ("optimum", "4"),
                    ("value", "0"),
                    ("aria-labelledby", &label_id),
                ],
                "",
            );
            add(&meter_box, &[&label, &meter]);
            let hints = el(doc, "ul", &[("class", "rf-hints"), ("id", &hints_id)], "");
            if let Some(wrap) = input.parent_element() {
                add(&wrap, &[&toggle, &meter_box, &hints]);
            }
            b.field("input", "confirm", &PW_CONFIRM, &pw_attrs);
            let (form, _) = b.finish(Some(&SET_PW), &[]);
            (form, input)
        }
        "review" => {
            let b = Builder::new(st, step, &REVIEW_TITLE);
            b.p("rf-intro", st.t(&REVIEW_INTRO));
            let input = b.field(
                "input",
                "contact",
                &CONTACT_LABEL,
                &[
                    ("type", "text"),
                    ("autocomplete", "email"),
                    ("spellcheck", "false"),
                    ("required", ""),
                    ("maxlength", "320"),
                ],
            );
            b.field(
                "textarea",
                "message",
                &MESSAGE_LABEL,
                &[("rows", "4"), ("required", ""), ("maxlength", "2000")],
            );
            let (form, _) = b.finish(Some(&SEND_REVIEW), &[("back", &BACK)]);
            (form, input)
        }
        "review_pending" => {
            let b = Builder::new(st, step, &PENDING_TITLE);
            b.p("rf-intro", st.t(&PENDING_TEXT));
            b.status();
            b.finish(None, &[("refresh", &CHECK_STATUS)])
        }
        "done" => {
            let b = Builder::new(st, step, &DONE_TITLE);
            b.p("rf-intro", st.t(&DONE_TEXT));
            b.finish(None, &[])
        }
        "locked" => {
            let b = Builder::new(st, step, &LOCKED_TITLE);
            b.p("rf-intro", st.t(&LOCKED_TEXT));
            b.finish(None, &[("restart", &RESTART)])
        }
        _ => {
            let b = Builder::new(st, "expired", &EXPIRED_TITLE);
            b.p("rf-intro", st.t(&EXPIRED_TEXT));
            b.finish(None, &[("restart", &RESTART)])
        }
    }
}
