//! The form's own texts in en, de, es, id and zh, and the message for every
//! error code the form can show.
//!
//! Each text holds its five translations in the order of [`Locale::ALL`]. Messages of
//! the library's own errors (identifiers, passwords, flow rules) are not
//! repeated here: [`error_message`] takes them from the library, so the form
//! says exactly what the server would say. German uses "Sie"; Spanish uses
//! "tú", as the identifier messages do.

use crate::flow::FlowError;
use crate::identifier::ErrorKind;
use crate::password::PasswordError;
use crate::Locale;

/// One text in every locale, in the order of [`Locale::ALL`], separated by
/// `|`: one string per text rather than five keeps the tables small.
pub(super) type Text = &'static str;

/// A [`Text`] from its five translations (en, de, es, id, zh).
macro_rules! text {
    ($en:literal, $de:literal, $es:literal, $id:literal, $zh:literal $(,)?) => {
        concat!($en, "|", $de, "|", $es, "|", $id, "|", $zh)
    };
}

/// `text` in `locale`.
pub(super) fn tr(locale: Locale, text: &Text) -> &'static str {
    let i = Locale::ALL.iter().position(|l| *l == locale).unwrap_or(0);
    text.split('|').nth(i).unwrap_or(text)
}

/// `template` with its one `{name}` placeholder replaced by `value`.
///
/// Cut at the braces rather than with `str::replace`, whose substring
/// search would add a few KB to the browser build.
pub(super) fn fill(template: &str, value: &str) -> String {
    let mut out = String::with_capacity(template.len() + value.len());
    match template.split_once('{') {
        Some((head, rest)) => {
            out.push_str(head);
            out.push_str(value);
            out.push_str(rest.split_once('}').map_or("", |(_, tail)| tail));
        }
        None => out.push_str(template),
    }
    out
}

/// The message for an error `code`: the library's own message for
/// identifier, password and flow codes, else the form's table. `None` for a
/// code nobody knows (the caller then shows the server's message).
pub(super) fn error_message(locale: Locale, code: &str) -> Option<&'static str> {
    if let Some(kind) = ErrorKind::ALL.iter().find(|k| k.code() == code) {
        return Some(kind.message(locale));
    }
    if let Some(err) = PasswordError::ALL.iter().find(|e| e.code() == code) {
        return Some(err.message(locale));
    }
    if let Some(err) = FlowError::ALL.iter().find(|e| e.code() == code) {
        return Some(err.message(locale));
    }
    ERRORS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, text)| tr(locale, text))
}

// --- Error codes the library has no message for: the server's own codes and
// the form's client-side codes.

const NETWORK: Text = text!(
    "The connection failed. Check your network and try again.",
    "Die Verbindung ist fehlgeschlagen. Prüfen Sie Ihr Netzwerk und versuchen Sie es erneut.",
    "Falló la conexión. Comprueba tu red e inténtalo de nuevo.",
    "Koneksi gagal. Periksa jaringan Anda dan coba lagi.",
    "连接失败，请检查网络后重试。",
);
const RATE: Text = text!(
    "Too many requests. Please wait, then try again.",
    "Zu viele Anfragen. Bitte warten Sie und versuchen Sie es dann erneut.",
    "Demasiadas solicitudes. Espera y vuelve a intentarlo.",
    "Terlalu banyak permintaan. Harap tunggu, lalu coba lagi.",
    "请求过多，请稍候再试。",
);
const NOT_FOUND: Text = text!(
    "This recovery was not found. Please start again.",
    "Diese Wiederherstellung wurde nicht gefunden. Bitte beginnen Sie neu.",
    "No se encontró esta recuperación. Vuelve a empezar.",
    "Pemulihan ini tidak ditemukan. Silakan mulai lagi.",
    "未找到此恢复流程，请重新开始。",
);
const CONFLICT: Text = text!(
    "Another request changed this recovery. Please try again.",
    "Eine andere Anfrage hat diese Wiederherstellung geändert. Bitte versuchen Sie es erneut.",
    "Otra solicitud cambió esta recuperación. Inténtalo de nuevo.",
    "Permintaan lain mengubah pemulihan ini. Silakan coba lagi.",
    "另一个请求更改了此恢复流程，请重试。",
);
const BAD_REQUEST: Text = text!(
    "The recovery service did not understand the request. Please reload the page.",
    "Der Wiederherstellungsdienst hat die Anfrage nicht verstanden. Bitte laden Sie die Seite neu.",
    "El servicio de recuperación no entendió la solicitud. Vuelve a cargar la página.",
    "Layanan pemulihan tidak memahami permintaan ini. Silakan muat ulang halaman.",
    "恢复服务无法理解此请求，请刷新页面。",
);
const FORBIDDEN: Text = text!(
    "This page may not use the recovery service.",
    "Diese Seite darf den Wiederherstellungsdienst nicht nutzen.",
    "Esta página no puede usar el servicio de recuperación.",
    "Halaman ini tidak diizinkan memakai layanan pemulihan.",
    "此页面无权使用恢复服务。",
);
const INTERNAL: Text = text!(
    "Something went wrong on our side. Please try again.",
    "Bei uns ist etwas schiefgegangen. Bitte versuchen Sie es erneut.",
    "Algo salió mal por nuestra parte. Inténtalo de nuevo.",
    "Terjadi kesalahan di pihak kami. Silakan coba lagi.",
    "我们这边出了点问题，请重试。",
);
const CONTACT_INVALID: Text = text!(
    "Enter a phone number or an e-mail address.",
    "Geben Sie eine Telefonnummer oder eine E-Mail-Adresse ein.",
    "Introduce un número de teléfono o un correo electrónico.",
    "Masukkan nomor telepon atau alamat email.",
    "请输入手机号码或电子邮件地址。",
);
const LOGIN_FAILED: Text = text!(
    "The identifier or the password is wrong.",
    "Kennung oder Passwort ist falsch.",
    "El identificador o la contraseña no son correctos.",
    "Pengenal atau kata sandi salah.",
    "账号或密码错误。",
);
const CAPTCHA_REQUIRED: Text = text!(
    "Type the digits you see in the image.",
    "Geben Sie die Ziffern ein, die Sie im Bild sehen.",
    "Escribe los dígitos que ves en la imagen.",
    "Ketik angka yang Anda lihat pada gambar.",
    "请输入图片中的数字。",
);
const CODE_REQUIRED: Text = text!(
    "Type the code we sent you.",
    "Geben Sie den Code ein, den wir Ihnen gesendet haben.",
    "Escribe el código que te enviamos.",
    "Ketik kode yang kami kirim kepada Anda.",
    "请输入我们发送给您的验证码。",
);
const CHANNEL_REQUIRED: Text = text!(
    "Choose where the code should go.",
    "Wählen Sie, wohin der Code gesendet werden soll.",
    "Elige adónde enviamos el código.",
    "Pilih ke mana kode akan dikirim.",
    "请选择验证码的发送方式。",
);

/// Codes without a library message, with their text.
const ERRORS: [(&str, &Text); 17] = [
    ("captcha.unavailable", &CAPTCHA_UNAVAILABLE),
    ("network.failed", &NETWORK),
    ("rate.limited", &RATE),
    ("flow.not_found", &NOT_FOUND),
    ("flow.conflict", &CONFLICT),
    ("request.invalid_json", &BAD_REQUEST),
    ("request.unsupported_media_type", &BAD_REQUEST),
    ("request.not_found", &BAD_REQUEST),
    ("request.method_not_allowed", &BAD_REQUEST),
    ("request.invalid_query", &BAD_REQUEST),
    ("request.origin_forbidden", &FORBIDDEN),
    ("internal", &INTERNAL),
    ("review.contact_invalid", &CONTACT_INVALID),
    ("login.failed", &LOGIN_FAILED),
    ("captcha.required", &CAPTCHA_REQUIRED),
    ("code.required", &CODE_REQUIRED),
    ("channel.required", &CHANNEL_REQUIRED),
];

const CAPTCHA_UNAVAILABLE: Text = text!(
    "The image could not be loaded. Try again.",
    "Das Bild konnte nicht geladen werden. Versuchen Sie es erneut.",
    "No se pudo cargar la imagen. Inténtalo de nuevo.",
    "Gambar tidak dapat dimuat. Coba lagi.",
    "图片无法加载，请重试。",
);

/// The text shown for a code no table knows and without a server message.
pub(super) const UNKNOWN_ERROR: Text = INTERNAL;

// --- Step texts.

pub(super) const IDENT_TITLE: Text = text!(
    "Reset your password",
    "Passwort zurücksetzen",
    "Restablece tu contraseña",
    "Atur ulang kata sandi",
    "重置密码",
);
pub(super) const IDENT_INTRO: Text = text!(
    "Enter the e-mail address, phone number or account ID of your account.",
    "Geben Sie die E-Mail-Adresse, Telefonnummer oder Konto-ID Ihres Kontos ein.",
    "Introduce el correo electrónico, el número de teléfono o el ID de tu cuenta.",
    "Masukkan alamat email, nomor telepon, atau ID akun Anda.",
    "请输入您账号的电子邮件地址、手机号码或账号 ID。",
);
pub(super) const IDENT_LABEL: Text = text!(
    "E-mail, phone number or account ID",
    "E-Mail, Telefonnummer oder Konto-ID",
    "Correo electrónico, teléfono o ID de cuenta",
    "Email, nomor telepon, atau ID akun",
    "电子邮件、手机号码或账号 ID",
);
pub(super) const KIND_EMAIL: Text = text!(
    "E-mail address",
    "E-Mail-Adresse",
    "Correo electrónico",
    "Alamat email",
    "电子邮件地址",
);
pub(super) const KIND_PHONE: Text = text!(
    "Phone number",
    "Telefonnummer",
    "Número de teléfono",
    "Nomor telepon",
    "手机号码",
);
pub(super) const KIND_ACCOUNT: Text = text!(
    "Account ID",
    "Konto-ID",
    "ID de cuenta",
    "ID akun",
    "账号 ID",
);
pub(super) const CONTINUE: Text = text!("Continue", "Weiter", "Continuar", "Lanjutkan", "继续",);

pub(super) const CAPTCHA_TITLE: Text = text!(
    "Type the digits in the image",
    "Ziffern im Bild eingeben",
    "Escribe los dígitos de la imagen",
    "Ketik angka pada gambar",
    "输入图片中的数字",
);
pub(super) const CAPTCHA_INTRO: Text = text!(
    "This shows us that a person is asking.",
    "So sehen wir, dass ein Mensch fragt.",
    "Así sabemos que lo pide una persona.",
    "Ini menunjukkan bahwa yang meminta adalah manusia.",
    "这可以证明是真人在操作。",
);
pub(super) const CAPTCHA_ALT: Text = text!(
    "Image code: the digits to type",
    "Bildcode: die einzugebenden Ziffern",
    "Código en imagen: los dígitos que debes escribir",
    "Kode gambar: angka yang harus diketik",
    "图片验证码：需要输入的数字",
);
pub(super) const CAPTCHA_LABEL: Text = text!(
    "Digits in the image",
    "Ziffern im Bild",
    "Dígitos de la imagen",
    "Angka pada gambar",
    "图片中的数字",
);
pub(super) const NEW_IMAGE: Text = text!(
    "New image",
    "Neues Bild",
    "Otra imagen",
    "Gambar baru",
    "换一张",
);
pub(super) const CHECK: Text = text!("Check", "Prüfen", "Comprobar", "Periksa", "验证",);
pub(super) const ATTEMPTS: Text = text!(
    "Attempts left: {n}",
    "Verbleibende Versuche: {n}",
    "Intentos restantes: {n}",
    "Sisa percobaan: {n}",
    "剩余尝试次数：{n}",
);

pub(super) const CHANNEL_TITLE: Text = text!(
    "Where should we send the code?",
    "Wohin sollen wir den Code senden?",
    "¿Adónde enviamos el código?",
    "Ke mana kode dikirim?",
    "验证码发送到哪里？",
);
pub(super) const CHANNEL_LEGEND: Text = text!(
    "Choose a phone number or e-mail address you can reach now.",
    "Wählen Sie eine Telefonnummer oder E-Mail-Adresse, die Sie jetzt erreichen.",
    "Elige un teléfono o un correo al que tengas acceso ahora.",
    "Pilih nomor telepon atau email yang bisa Anda akses sekarang.",
    "请选择您现在能接收消息的手机号码或电子邮件地址。",
);
pub(super) const VIA_SMS: Text = text!(
    "SMS to {to}",
    "SMS an {to}",
    "SMS a {to}",
    "SMS ke {to}",
    "短信发送至 {to}",
);
pub(super) const VIA_EMAIL: Text = text!(
    "E-mail to {to}",
    "E-Mail an {to}",
    "Correo a {to}",
    "Email ke {to}",
    "邮件发送至 {to}",
);
pub(super) const CURRENT: Text = text!(
    "the code went here",
    "der Code ging hierhin",
    "el código se envió aquí",
    "kode dikirim ke sini",
    "验证码已发送至此",
);
pub(super) const SEND_CODE: Text = text!(
    "Send code",
    "Code senden",
    "Enviar código",
    "Kirim kode",
    "发送验证码",
);
pub(super) const NONE_WORK: Text = text!(
    "I can reach none of these",
    "Ich erreiche keine davon",
    "No tengo acceso a ninguno",
    "Saya tidak bisa mengakses semuanya",
    "以上都无法使用",
);

pub(super) const CODE_TITLE: Text = text!(
    "Enter the code",
    "Code eingeben",
    "Introduce el código",
    "Masukkan kode",
    "输入验证码",
);
pub(super) const CODE_INTRO: Text = text!(
    "We sent a 6-digit code to {to}. It is valid for 10 minutes.",
    "Wir haben einen 6-stelligen Code an {to} gesendet. Er gilt 10 Minuten.",
    "Enviamos un código de 6 dígitos a {to}. Es válido durante 10 minutos.",
    "Kami mengirim kode 6 digit ke {to}. Kode berlaku 10 menit.",
    "我们已向 {to} 发送 6 位验证码，10 分钟内有效。",
);
pub(super) const CODE_LABEL: Text = text!(
    "6-digit code",
    "6-stelliger Code",
    "Código de 6 dígitos",
    "Kode 6 digit",
    "6 位验证码",
);
pub(super) const VERIFY: Text = text!("Verify", "Bestätigen", "Verificar", "Verifikasi", "验证",);
pub(super) const RESEND: Text = text!(
    "Resend code",
    "Code erneut senden",
    "Reenviar código",
    "Kirim ulang kode",
    "重新发送",
);
pub(super) const RESEND_IN: Text = text!(
    "Resend in {t}",
    "Erneut senden in {t}",
    "Reenviar en {t}",
    "Kirim ulang dalam {t}",
    "{t} 后可重新发送",
);
pub(super) const RESENT: Text = text!(
    "A new code is on its way.",
    "Ein neuer Code ist unterwegs.",
    "Un código nuevo está en camino.",
    "Kode baru sedang dikirim.",
    "新的验证码已发出。",
);
pub(super) const NOT_WORKING: Text = text!(
    "Not working?",
    "Funktioniert nicht?",
    "¿No funciona?",
    "Tidak berhasil?",
    "收不到？",
);

pub(super) const PW_TITLE: Text = text!(
    "Choose a new password",
    "Neues Passwort wählen",
    "Elige una contraseña nueva",
    "Pilih kata sandi baru",
    "设置新密码",
);
pub(super) const PW_INTRO: Text = text!(
    "At least 8 characters. After the change you are signed out everywhere.",
    "Mindestens 8 Zeichen. Nach der Änderung werden Sie überall abgemeldet.",
    "Al menos 8 caracteres. Tras el cambio se cerrarán todas tus sesiones.",
    "Minimal 8 karakter. Setelah diubah, Anda keluar dari semua perangkat.",
    "至少 8 个字符。更改后，您将在所有设备上退出登录。",
);
pub(super) const PW_LABEL: Text = text!(
    "New password",
    "Neues Passwort",
    "Contraseña nueva",
    "Kata sandi baru",
    "新密码",
);
pub(super) const PW_CONFIRM: Text = text!(
    "Repeat the new password",
    "Neues Passwort wiederholen",
    "Repite la contraseña nueva",
    "Ulangi kata sandi baru",
    "再次输入新密码",
);
pub(super) const SHOW: Text = text!(
    "Show passwords",
    "Passwörter anzeigen",
    "Mostrar contraseñas",
    "Tampilkan kata sandi",
    "显示密码",
);
pub(super) const STRENGTH: Text = text!(
    "Strength: ",
    "Stärke: ",
    "Seguridad: ",
    "Kekuatan: ",
    "强度：",
);
pub(super) const SCORES: [Text; 5] = [
    text!(
        "very weak",
        "sehr schwach",
        "muy débil",
        "sangat lemah",
        "很弱",
    ),
    text!("weak", "schwach", "débil", "lemah", "弱",),
    text!("fair", "mittel", "aceptable", "cukup", "一般",),
    text!("good", "gut", "buena", "baik", "良好",),
    text!("strong", "stark", "fuerte", "kuat", "强",),
];
pub(super) const SET_PW: Text = text!(
    "Set password",
    "Passwort festlegen",
    "Guardar contraseña",
    "Simpan kata sandi",
    "设置密码",
);

pub(super) const REVIEW_TITLE: Text = text!(
    "Ask for a manual review",
    "Manuelle Prüfung anfragen",
    "Solicita una revisión manual",
    "Minta peninjauan manual",
    "申请人工审核",
);
pub(super) const REVIEW_INTRO: Text = text!(
    "An operator checks your request and answers within one working day.",
    "Ein Mitglied unseres Teams prüft Ihre Anfrage und antwortet innerhalb eines Werktags.",
    "Una persona de nuestro equipo revisará tu solicitud y responderá en un día laborable.",
    "Petugas kami memeriksa permintaan Anda dan menjawab dalam satu hari kerja.",
    "工作人员会审核您的申请，并在一个工作日内答复。",
);
pub(super) const CONTACT_LABEL: Text = text!(
    "A phone number or e-mail address we can reach you at",
    "Eine Telefonnummer oder E-Mail-Adresse, unter der wir Sie erreichen",
    "Un teléfono o correo en el que podamos contactarte",
    "Nomor telepon atau email yang bisa kami hubungi",
    "可以联系到您的手机号码或电子邮件地址",
);
pub(super) const MESSAGE_LABEL: Text = text!(
    "What happened, and how can we tell it is your account?",
    "Was ist passiert, und woran erkennen wir, dass es Ihr Konto ist?",
    "¿Qué pasó y cómo podemos saber que la cuenta es tuya?",
    "Apa yang terjadi, dan bagaimana kami tahu ini akun Anda?",
    "发生了什么？我们如何确认这是您的账号？",
);
pub(super) const SEND_REVIEW: Text = text!(
    "Ask for review",
    "Prüfung anfragen",
    "Solicitar revisión",
    "Kirim permintaan",
    "提交审核申请",
);
pub(super) const BACK: Text = text!("Back", "Zurück", "Volver", "Kembali", "返回",);

pub(super) const PENDING_TITLE: Text = text!(
    "Your request was received",
    "Ihre Anfrage ist eingegangen",
    "Hemos recibido tu solicitud",
    "Permintaan Anda sudah diterima",
    "已收到您的申请",
);
pub(super) const PENDING_TEXT: Text = text!(
    "We will answer within one working day at the contact you gave. Once approved, a code is sent there and you continue here.",
    "Wir antworten innerhalb eines Werktags über den angegebenen Kontakt. Nach der Freigabe senden wir dorthin einen Code, und Sie machen hier weiter.",
    "Te responderemos en un día laborable en el contacto que nos diste. Si se aprueba, te enviaremos allí un código y continuarás aquí.",
    "Kami akan menjawab dalam satu hari kerja melalui kontak yang Anda berikan. Jika disetujui, kode dikirim ke sana dan Anda lanjut di sini.",
    "我们会在一个工作日内通过您提供的联系方式答复。审核通过后，验证码将发送到该联系方式，您可在此继续。",
);
pub(super) const CHECK_STATUS: Text = text!(
    "Check status",
    "Status prüfen",
    "Comprobar estado",
    "Periksa status",
    "查看状态",
);
pub(super) const STILL_WAITING: Text = text!(
    "No answer yet.",
    "Noch keine Antwort.",
    "Aún no hay respuesta.",
    "Belum ada jawaban.",
    "尚未答复。",
);

pub(super) const DONE_TITLE: Text = text!(
    "Password changed",
    "Passwort geändert",
    "Contraseña cambiada",
    "Kata sandi diubah",
    "密码已更改",
);
pub(super) const DONE_TEXT: Text = text!(
    "You can now sign in with your new password. Every other session was signed out, and each of your contacts was told about the change.",
    "Sie können sich jetzt mit dem neuen Passwort anmelden. Alle anderen Sitzungen wurden beendet, und jeder Ihrer Kontakte wurde über die Änderung informiert.",
    "Ya puedes iniciar sesión con tu nueva contraseña. Se cerraron las demás sesiones y avisamos del cambio a cada uno de tus contactos.",
    "Sekarang Anda bisa masuk dengan kata sandi baru. Semua sesi lain telah diakhiri, dan setiap kontak Anda diberi tahu tentang perubahan ini.",
    "现在可以用新密码登录。其他所有会话均已退出，您的每个联系方式都已收到更改通知。",
);
pub(super) const LOCKED_TITLE: Text = text!(
    "This recovery is locked",
    "Diese Wiederherstellung ist gesperrt",
    "Esta recuperación está bloqueada",
    "Pemulihan ini dikunci",
    "此恢复流程已锁定",
);
pub(super) const LOCKED_TEXT: Text = text!(
    "For your safety it cannot go on. You can start a new one.",
    "Zu Ihrer Sicherheit kann sie nicht fortgesetzt werden. Sie können neu beginnen.",
    "Por tu seguridad no puede continuar. Puedes empezar de nuevo.",
    "Demi keamanan Anda, proses ini tidak dapat dilanjutkan. Anda bisa memulai lagi.",
    "为了您的安全，此流程无法继续。您可以重新开始。",
);
pub(super) const EXPIRED_TITLE: Text = text!(
    "This recovery has expired",
    "Diese Wiederherstellung ist abgelaufen",
    "Esta recuperación ha caducado",
    "Pemulihan ini sudah kedaluwarsa",
    "此恢复流程已过期",
);
pub(super) const EXPIRED_TEXT: Text = text!(
    "For your safety a recovery lasts 15 minutes. Please start again.",
    "Zu Ihrer Sicherheit gilt eine Wiederherstellung 15 Minuten. Bitte beginnen Sie neu.",
    "Por tu seguridad, una recuperación dura 15 minutos. Vuelve a empezar.",
    "Demi keamanan Anda, pemulihan berlaku 15 menit. Silakan mulai lagi.",
    "为了您的安全，恢复流程的有效期为 15 分钟。请重新开始。",
);
pub(super) const RESTART: Text = text!(
    "Start again",
    "Neu beginnen",
    "Empezar de nuevo",
    "Mulai lagi",
    "重新开始",
);
pub(super) const RETRY: Text = text!(
    "Try again",
    "Erneut versuchen",
    "Reintentar",
    "Coba lagi",
    "重试",
);
pub(super) const RETRY_IN: Text = text!(
    "Try again in {t}",
    "Erneut versuchen in {t}",
    "Reintentar en {t}",
    "Coba lagi dalam {t}",
    "{t} 后重试",
);
