//! The e-mails, localised: a subject, a plain-text part and an HTML part
//! for each [`Purpose`], in every [`Locale`].
//!
//! What an e-mail may show: the code (for [`Purpose::Code`]) and the
//! recipient *masked* ([`resetflow::protocol::mask_email`]). Never the full
//! address, an account ID or any other identifier in the clear: an e-mail is
//! copied to mail servers, previews and backups the account owner does not
//! control. No links, no remote images, no tracking: nothing in it calls
//! home. The HTML part escapes everything it inserts.

use std::fmt;

use resetflow::Locale;

use crate::store::Purpose;

/// A rendered e-mail.
#[derive(Clone, PartialEq, Eq)]
pub struct Email {
    /// The subject line (no code in it: subjects show on lock screens).
    pub subject: String,
    /// The `text/plain` part.
    pub text: String,
    /// The `text/html` part.
    pub html: String,
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Email")
            .field("subject", &self.subject)
            .field("text", &"<redacted>")
            .field("html", &"<redacted>")
            .finish()
    }
}

/// The sentences of one locale; `{to}` stands for the masked recipient.
struct Strings {
    code_subject: &'static str,
    code_intro: &'static str,
    code_expiry: &'static str,
    code_ignore: &'static str,
    changed_subject: &'static str,
    changed_body: &'static str,
    changed_action: &'static str,
    footer: &'static str,
}

fn strings(locale: Locale) -> &'static Strings {
    match locale {
        Locale::De => &Strings {
            code_subject: "Ihr Bestätigungscode",
            code_intro: "Mit diesem Code setzen Sie das Passwort Ihres Kontos ({to}) zurück:",
            code_expiry: "Er ist 10 Minuten gültig. Geben Sie ihn niemandem weiter: Wir fragen \
                          nie danach.",
            code_ignore: "Falls Sie ihn nicht angefordert haben, ignorieren Sie diese E-Mail: \
                          Ihr Passwort bleibt unverändert.",
            changed_subject: "Ihr Passwort wurde geändert",
            changed_body: "Das Passwort Ihres Kontos ({to}) wurde soeben geändert; alle offenen \
                           Sitzungen wurden abgemeldet.",
            changed_action: "Falls Sie das nicht waren, starten Sie sofort eine \
                             Kontowiederherstellung.",
            footer: "Diese Nachricht wurde automatisch versandt; Antworten werden nicht gelesen.",
        },
        Locale::Es => &Strings {
            code_subject: "Su código de verificación",
            code_intro: "Use este código para restablecer la contraseña de su cuenta ({to}):",
            code_expiry: "Caduca en 10 minutos. No lo comparta: nunca se lo pediremos.",
            code_ignore: "Si no lo ha solicitado, ignore este correo: su contraseña no cambia.",
            changed_subject: "Su contraseña ha cambiado",
            changed_body: "La contraseña de su cuenta ({to}) acaba de cambiar y se han cerrado \
                           todas las sesiones abiertas.",
            changed_action: "Si no fue usted, inicie de inmediato una recuperación de la cuenta.",
            footer: "Este mensaje se envió automáticamente; las respuestas no se leen.",
        },
        Locale::Id => &Strings {
            code_subject: "Kode verifikasi Anda",
            code_intro: "Gunakan kode ini untuk mengatur ulang kata sandi akun Anda ({to}):",
            code_expiry: "Berlaku 10 menit. Jangan bagikan kepada siapa pun: kami tidak akan \
                          pernah memintanya.",
            code_ignore: "Jika Anda tidak memintanya, abaikan email ini: kata sandi Anda tidak \
                          berubah.",
            changed_subject: "Kata sandi Anda telah diubah",
            changed_body: "Kata sandi akun Anda ({to}) baru saja diubah, dan semua sesi yang \
                           terbuka telah dikeluarkan.",
            changed_action: "Jika ini bukan Anda, segera mulai pemulihan akun.",
            footer: "Pesan ini dikirim secara otomatis; balasan tidak dibaca.",
        },
        Locale::Zh => &Strings {
            code_subject: "您的验证码",
            code_intro: "请使用此验证码重置您账户（{to}）的密码：",
            code_expiry: "验证码 10 分钟内有效。请勿告诉任何人：我们绝不会向您索要。",
            code_ignore: "如果这不是您本人的请求，请忽略此邮件：您的密码不会改变。",
            changed_subject: "您的密码已更改",
            changed_body: "您账户（{to}）的密码刚刚被更改，所有已登录的会话均已退出。",
            changed_action: "如果不是您本人操作，请立即开始账户恢复。",
            footer: "此邮件由系统自动发送，回复不会被阅读。",
        },
        _ => &Strings {
            code_subject: "Your verification code",
            code_intro: "Use this code to reset the password of your account ({to}):",
            code_expiry: "It expires in 10 minutes. Never share it: we will never ask you for it.",
            code_ignore: "If you did not ask for it, ignore this e-mail: your password stays as \
                          it is.",
            changed_subject: "Your password was changed",
            changed_body: "The password of your account ({to}) was just changed, and every open \
                           session was signed out.",
            changed_action: "If this was not you, start an account recovery at once.",
            footer: "This message was sent automatically; replies are not read.",
        },
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The e-mail for `purpose` in `locale`, to the recipient shown as
/// `masked_to` (already masked by the caller); `code` is shown for
/// [`Purpose::Code`] and ignored otherwise.
pub fn email(purpose: Purpose, locale: Locale, masked_to: &str, code: &str) -> Email {
    let s = strings(locale);
    let fill = |t: &str| t.replace("{to}", masked_to);
    let lang = locale.as_str();
    let p = |t: &str| format!("<p>{}</p>\n", escape_html(t));
    let (subject, text, body) = match purpose {
        Purpose::Code => {
            let intro = fill(s.code_intro);
            let text = format!(
                "{intro}\n\n    {code}\n\n{}\n\n{}\n\n-- \n{}\n",
                s.code_expiry, s.code_ignore, s.footer
            );
            let body = format!(
                "{}<p style=\"font-size:28px;font-weight:bold;letter-spacing:6px;\
                 font-family:monospace\">{}</p>\n{}{}",
                p(&intro),
                escape_html(code),
                p(s.code_expiry),
                p(s.code_ignore),
            );
            (s.code_subject, text, body)
        }
        Purpose::PasswordChanged => {
            let changed = fill(s.changed_body);
            let text = format!("{changed}\n\n{}\n\n-- \n{}\n", s.changed_action, s.footer);
            let body = format!("{}{}", p(&changed), p(s.changed_action));
            (s.changed_subject, text, body)
        }
    };
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n</head>\n<body style=\"font-family:sans-serif;color:#222\">\n\
         {body}<hr>\n<p style=\"color:#666;font-size:12px\">{footer}</p>\n</body>\n</html>\n",
        title = escape_html(subject),
        footer = escape_html(s.footer),
    );
    Email {
        subject: subject.to_owned(),
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_and_purpose_has_its_own_text() {
        let mut subjects = std::collections::BTreeSet::new();
        for locale in Locale::ALL {
            for purpose in [Purpose::Code, Purpose::PasswordChanged] {
                let e = email(purpose, locale, "j•••@example.com", "123456");
                assert!(subjects.insert(e.subject.clone()), "{locale:?} {purpose:?}");
                assert!(e.text.contains("j•••@example.com"));
                assert!(e.html.contains("j•••@example.com"));
                assert!(e.html.contains(&format!("lang=\"{}\"", locale.as_str())));
                assert_eq!(
                    e.text.contains("123456"),
                    purpose == Purpose::Code,
                    "{locale:?} {purpose:?}"
                );
                assert!(!e.subject.contains("123456"));
            }
        }
    }

    #[test]
    fn html_escapes_what_it_inserts() {
        let e = email(Purpose::Code, Locale::En, "<b>&\"x'@y", "<i>");
        assert!(
            e.html.contains("(&lt;b&gt;&amp;&quot;x&#39;@y)"),
            "{}",
            e.html
        );
        assert!(e.html.contains("&lt;i&gt;"));
        assert!(!e.html.contains("<i>") && !e.html.contains("<b>"));
    }

    #[test]
    fn nothing_calls_home() {
        for locale in Locale::ALL {
            for purpose in [Purpose::Code, Purpose::PasswordChanged] {
                let e = email(purpose, locale, "j•••@example.com", "123456");
                for needle in ["http", "<img", "<a ", "src=", "url("] {
                    assert!(!e.html.contains(needle), "{needle} in {locale:?}");
                }
            }
        }
    }
}
