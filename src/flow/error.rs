use core::fmt;

use crate::protocol::Step;
use crate::Locale;

/// Why a flow refused an event, or why a counted answer was wrong.
///
/// Every variant has a stable [`code`](FlowError::code) for the error body
/// of the HTTP contract. None carries a secret: the flow never sees one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FlowError {
    /// `flow.expired`: the flow outlived its lifetime. Checked before
    /// anything else, in every state.
    Expired,
    /// `flow.completed`: the password was already reset with this flow.
    Completed,
    /// `flow.locked`: too many wrong captcha answers.
    Locked,
    /// `flow.revoked`: another flow of the same account completed.
    Revoked,
    /// `review.denied`: an operator denied the manual review.
    ReviewDenied,
    /// `flow.wrong_step`: the event does not belong to the flow's step.
    WrongStep {
        /// The step the flow is at.
        step: Step,
    },
    /// `captcha.mismatch`: a wrong captcha answer (counted).
    CaptchaMismatch,
    /// `channel.unknown`: the channel id is not one of this flow's.
    UnknownChannel,
    /// `code.cooldown`: a code was sent less than the cooldown ago.
    Cooldown {
        /// Whole seconds until a send is allowed (at least 1); the value for
        /// the `Retry-After` header.
        retry_after_secs: u64,
    },
    /// `code.send_limit`: this flow sent as many codes as it may.
    SendLimit,
    /// `code.mismatch`: a wrong code (counted).
    CodeMismatch,
    /// `code.expired`: the code is older than its validity.
    CodeExpired,
    /// `code.attempts_exhausted`: too many wrong codes; this code is dead
    /// and only a new send leads on.
    CodeAttemptsExhausted,
    /// `review.contact_required`: the review request has no contact.
    ReviewContactRequired,
    /// `review.message_required`: the review request has no message.
    ReviewMessageRequired,
    /// `review.message_too_long`: the review message is over the limit.
    ReviewMessageTooLong,
}

impl FlowError {
    /// Every variant, with placeholder fields; for exhaustive tests and for
    /// servers that build tables of messages.
    pub const ALL: [FlowError; 16] = [
        FlowError::Expired,
        FlowError::Completed,
        FlowError::Locked,
        FlowError::Revoked,
        FlowError::ReviewDenied,
        FlowError::WrongStep {
            step: Step::Captcha,
        },
        FlowError::CaptchaMismatch,
        FlowError::UnknownChannel,
        FlowError::Cooldown {
            retry_after_secs: 1,
        },
        FlowError::SendLimit,
        FlowError::CodeMismatch,
        FlowError::CodeExpired,
        FlowError::CodeAttemptsExhausted,
        FlowError::ReviewContactRequired,
        FlowError::ReviewMessageRequired,
        FlowError::ReviewMessageTooLong,
    ];

    /// The stable, machine-readable code, e.g. `captcha.mismatch`.
    pub const fn code(&self) -> &'static str {
        match self {
            FlowError::Expired => "flow.expired",
            FlowError::Completed => "flow.completed",
            FlowError::Locked => "flow.locked",
            FlowError::Revoked => "flow.revoked",
            FlowError::ReviewDenied => "review.denied",
            FlowError::WrongStep { .. } => "flow.wrong_step",
            FlowError::CaptchaMismatch => "captcha.mismatch",
            FlowError::UnknownChannel => "channel.unknown",
            FlowError::Cooldown { .. } => "code.cooldown",
            FlowError::SendLimit => "code.send_limit",
            FlowError::CodeMismatch => "code.mismatch",
            FlowError::CodeExpired => "code.expired",
            FlowError::CodeAttemptsExhausted => "code.attempts_exhausted",
            FlowError::ReviewContactRequired => "review.contact_required",
            FlowError::ReviewMessageRequired => "review.message_required",
            FlowError::ReviewMessageTooLong => "review.message_too_long",
        }
    }

    /// The user-facing message in `locale`, for the `message` field of the
    /// error body. Static text: numbers such as the seconds to wait travel
    /// in their own fields (`Retry-After`, `retry_after`).
    pub const fn message(&self, locale: Locale) -> &'static str {
        let l = match locale {
            Locale::En => 0,
            Locale::De => 1,
            Locale::Es => 2,
            Locale::Id => 3,
            Locale::Zh => 4,
        };
        MESSAGES[self.index()][l]
    }

    /// The position of the variant in [`FlowError::ALL`] and `MESSAGES`.
    const fn index(&self) -> usize {
        match self {
            FlowError::Expired => 0,
            FlowError::Completed => 1,
            FlowError::Locked => 2,
            FlowError::Revoked => 3,
            FlowError::ReviewDenied => 4,
            FlowError::WrongStep { .. } => 5,
            FlowError::CaptchaMismatch => 6,
            FlowError::UnknownChannel => 7,
            FlowError::Cooldown { .. } => 8,
            FlowError::SendLimit => 9,
            FlowError::CodeMismatch => 10,
            FlowError::CodeExpired => 11,
            FlowError::CodeAttemptsExhausted => 12,
            FlowError::ReviewContactRequired => 13,
            FlowError::ReviewMessageRequired => 14,
            FlowError::ReviewMessageTooLong => 15,
        }
    }

    /// For [`FlowError::Cooldown`], the seconds for `Retry-After`.
    pub const fn retry_after_secs(&self) -> Option<u64> {
        match self {
            FlowError::Cooldown { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }

    /// Whether the flow can never go on (expired, completed, locked,
    /// revoked, denied): the client should offer to start again.
    pub const fn is_final(&self) -> bool {
        matches!(
            self,
            FlowError::Expired
                | FlowError::Completed
                | FlowError::Locked
                | FlowError::Revoked
                | FlowError::ReviewDenied
        )
    }
}

impl fmt::Display for FlowError {
    /// An English message for logs and developers; user-facing text is
    /// chosen by [`code`](FlowError::code) and locale.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlowError::Expired => f.write_str("this recovery has expired; please start again"),
            FlowError::Completed => f.write_str("this recovery is already complete"),
            FlowError::Locked => {
                f.write_str("too many wrong answers; this recovery is locked, please start again")
            }
            FlowError::Revoked => {
                f.write_str("this recovery was cancelled because the account was recovered")
            }
            FlowError::ReviewDenied => f.write_str("the manual review was denied"),
            FlowError::WrongStep { step } => {
                write!(
                    f,
                    "this action does not belong to the current step ({step})"
                )
            }
            FlowError::CaptchaMismatch => {
                f.write_str("the digits do not match the image; try the new image")
            }
            FlowError::UnknownChannel => f.write_str("unknown channel"),
            FlowError::Cooldown { retry_after_secs } => {
                write!(
                    f,
                    "please wait {retry_after_secs} s before requesting another code"
                )
            }
            FlowError::SendLimit => f.write_str("no more codes can be sent for this recovery"),
            FlowError::CodeMismatch => f.write_str("the code is not correct"),
            FlowError::CodeExpired => f.write_str("the code has expired; request a new one"),
            FlowError::CodeAttemptsExhausted => {
                f.write_str("too many wrong codes; request a new one")
            }
            FlowError::ReviewContactRequired => f.write_str("a contact is required"),
            FlowError::ReviewMessageRequired => f.write_str("a description is required"),
            FlowError::ReviewMessageTooLong => f.write_str("the description is too long"),
        }
    }
}

impl std::error::Error for FlowError {}

/// User-facing messages: one row per variant in [`FlowError::ALL`] order,
/// columns en, de, es, id, zh.
const MESSAGES: [[&str; 5]; 16] = [
    [
        "This recovery has expired. Please start again.",
        "Diese Wiederherstellung ist abgelaufen. Bitte beginnen Sie erneut.",
        "Esta recuperación ha caducado. Vuelva a empezar.",
        "Pemulihan ini telah kedaluwarsa. Silakan mulai lagi.",
        "此次找回已过期，请重新开始。",
    ],
    [
        "This recovery is already complete.",
        "Diese Wiederherstellung ist bereits abgeschlossen.",
        "Esta recuperación ya se ha completado.",
        "Pemulihan ini sudah selesai.",
        "此次找回已完成。",
    ],
    [
        "Too many wrong answers. This recovery is locked; please start again.",
        "Zu viele falsche Eingaben. Diese Wiederherstellung ist gesperrt; bitte beginnen Sie erneut.",
        "Demasiadas respuestas incorrectas. Esta recuperación está bloqueada; vuelva a empezar.",
        "Terlalu banyak jawaban salah. Pemulihan ini dikunci; silakan mulai lagi.",
        "错误次数过多，此次找回已锁定，请重新开始。",
    ],
    [
        "This recovery was cancelled because the account has been recovered.",
        "Diese Wiederherstellung wurde abgebrochen, weil das Konto bereits wiederhergestellt wurde.",
        "Esta recuperación se canceló porque la cuenta ya se recuperó.",
        "Pemulihan ini dibatalkan karena akun telah dipulihkan.",
        "账号已被找回，此次找回已取消。",
    ],
    [
        "Your request for a manual review was denied.",
        "Ihre Anfrage auf manuelle Prüfung wurde abgelehnt.",
        "Su solicitud de revisión manual fue rechazada.",
        "Permintaan peninjauan manual Anda ditolak.",
        "您的人工审核申请已被拒绝。",
    ],
    [
        "This action does not fit the current step. Please reload the page.",
        "Diese Aktion passt nicht zum aktuellen Schritt. Bitte laden Sie die Seite neu.",
        "Esta acción no corresponde al paso actual. Recargue la página.",
        "Tindakan ini tidak sesuai dengan langkah saat ini. Silakan muat ulang halaman.",
        "此操作与当前步骤不符，请刷新页面。",
    ],
    [
        "The digits do not match the image. Please try the new image.",
        "Die Ziffern stimmen nicht mit dem Bild überein. Bitte versuchen Sie es mit dem neuen Bild.",
        "Los dígitos no coinciden con la imagen. Pruebe con la nueva imagen.",
        "Angka tidak cocok dengan gambar. Silakan coba gambar yang baru.",
        "数字与图片不符，请按新图片重试。",
    ],
    [
        "Please choose one of the offered ways to receive a code.",
        "Bitte wählen Sie einen der angebotenen Wege für den Code.",
        "Elija una de las vías ofrecidas para recibir el código.",
        "Silakan pilih salah satu cara yang tersedia untuk menerima kode.",
        "请选择所提供的接收验证码的方式之一。",
    ],
    [
        "Please wait a moment before requesting another code.",
        "Bitte warten Sie einen Moment, bevor Sie einen weiteren Code anfordern.",
        "Espere un momento antes de pedir otro código.",
        "Silakan tunggu sebentar sebelum meminta kode lain.",
        "请稍候再获取新的验证码。",
    ],
    [
        "No more codes can be sent for this recovery.",
        "Für diese Wiederherstellung können keine weiteren Codes gesendet werden.",
        "No se pueden enviar más códigos para esta recuperación.",
        "Tidak ada lagi kode yang dapat dikirim untuk pemulihan ini.",
        "此次找回无法再发送验证码。",
    ],
    [
        "The code is not correct.",
        "Der Code ist nicht korrekt.",
        "El código no es correcto.",
        "Kode tidak benar.",
        "验证码不正确。",
    ],
    [
        "The code has expired. Please request a new one.",
        "Der Code ist abgelaufen. Bitte fordern Sie einen neuen an.",
        "El código ha caducado. Pida uno nuevo.",
        "Kode telah kedaluwarsa. Silakan minta kode baru.",
        "验证码已过期，请重新获取。",
    ],
    [
        "Too many wrong codes. Please request a new one.",
        "Zu viele falsche Codes. Bitte fordern Sie einen neuen an.",
        "Demasiados códigos incorrectos. Pida uno nuevo.",
        "Terlalu banyak kode yang salah. Silakan minta kode baru.",
        "验证码错误次数过多，请重新获取。",
    ],
    [
        "Please enter a phone number or e-mail address where we can reach you.",
        "Bitte geben Sie eine Telefonnummer oder E-Mail-Adresse an, unter der wir Sie erreichen.",
        "Indique un número de teléfono o un correo electrónico donde podamos contactarle.",
        "Silakan masukkan nomor telepon atau alamat email yang dapat kami hubungi.",
        "请填写我们可以联系到您的手机号或邮箱。",
    ],
    [
        "Please describe why you cannot use any of the offered ways.",
        "Bitte beschreiben Sie, warum Sie keinen der angebotenen Wege nutzen können.",
        "Describa por qué no puede usar ninguna de las vías ofrecidas.",
        "Silakan jelaskan mengapa Anda tidak dapat menggunakan cara mana pun yang tersedia.",
        "请说明您为何无法使用所提供的任何方式。",
    ],
    [
        "The description is too long.",
        "Die Beschreibung ist zu lang.",
        "La descripción es demasiado larga.",
        "Deskripsi terlalu panjang.",
        "描述过长。",
    ],
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_follows_all() {
        for (i, e) in FlowError::ALL.iter().enumerate() {
            assert_eq!(e.index(), i, "{e:?}");
        }
    }

    #[test]
    fn every_error_has_a_distinct_message_in_every_locale() {
        for locale in Locale::ALL {
            let mut seen = std::collections::BTreeSet::new();
            for e in FlowError::ALL {
                let m = e.message(locale);
                assert!(!m.trim().is_empty(), "{e:?} {locale}");
                assert!(seen.insert(m), "{locale}: duplicate message {m}");
            }
        }
        // Spot checks against the table, one per language.
        assert_eq!(
            FlowError::CodeMismatch.message(Locale::De),
            "Der Code ist nicht korrekt."
        );
        assert_eq!(
            FlowError::Cooldown {
                retry_after_secs: 9
            }
            .message(Locale::En),
            "Please wait a moment before requesting another code."
        );
        assert_eq!(
            FlowError::CodeMismatch.message(Locale::Zh),
            "验证码不正确。"
        );
    }
}
