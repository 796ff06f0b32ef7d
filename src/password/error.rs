use core::fmt;

use crate::Locale;

/// Why a new password was refused.
///
/// Each kind has a stable [`code`](PasswordError::code) for programs and a
/// localised [`message`](PasswordError::message) for people. Neither ever
/// contains the password.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PasswordError {
    /// Fewer than [`MIN_LEN`](super::MIN_LEN) characters after NFKC.
    TooShort,
    /// More than [`MAX_LEN`](super::MAX_LEN) characters after NFKC.
    TooLong,
    /// In the list of common passwords (compared case-insensitively).
    Common,
    /// Contains one of the account's identifiers, or a long enough part of one.
    ContainsIdentifier,
    /// The policy asks for a letter and a digit and one of them is missing.
    NeedsLettersAndDigits,
    /// The confirmation differs from the password.
    Mismatch,
    /// Contains a control character, a line or paragraph separator, or a
    /// Unicode noncharacter.
    InvalidCharacters,
    /// Not ASCII, and this build cannot normalise it: a native build without
    /// the `unicode-tables` feature. (Browser builds without it normalise
    /// through the JS host.)
    NormalisationUnavailable,
}

impl PasswordError {
    /// Every kind, in the order [`Policy::check`](super::Policy::check)
    /// tests for them.
    pub const ALL: [PasswordError; 8] = [
        PasswordError::TooLong,
        PasswordError::InvalidCharacters,
        PasswordError::NormalisationUnavailable,
        PasswordError::TooShort,
        PasswordError::NeedsLettersAndDigits,
        PasswordError::ContainsIdentifier,
        PasswordError::Common,
        PasswordError::Mismatch,
    ];

    /// The stable code, e.g. `"password.too_short"`.
    pub const fn code(self) -> &'static str {
        match self {
            PasswordError::TooShort => "password.too_short",
            PasswordError::TooLong => "password.too_long",
            PasswordError::Common => "password.common",
            PasswordError::ContainsIdentifier => "password.contains_identifier",
            PasswordError::NeedsLettersAndDigits => "password.needs_letters_and_digits",
            PasswordError::Mismatch => "password.mismatch",
            PasswordError::InvalidCharacters => "password.invalid_characters",
            PasswordError::NormalisationUnavailable => "password.normalisation_unavailable",
        }
    }

    /// The message for a person, in `locale`.
    pub const fn message(self, locale: Locale) -> &'static str {
        use Locale::*;
        use PasswordError::*;
        match (self, locale) {
            (TooShort, En) => "Use at least 8 characters.",
            (TooShort, De) => "Verwenden Sie mindestens 8 Zeichen.",
            (TooShort, Es) => "Usa al menos 8 caracteres.",
            (TooShort, Id) => "Gunakan minimal 8 karakter.",
            (TooShort, Zh) => "密码至少需要 8 个字符。",

            (TooLong, En) => "Use at most 128 characters.",
            (TooLong, De) => "Verwenden Sie höchstens 128 Zeichen.",
            (TooLong, Es) => "Usa como máximo 128 caracteres.",
            (TooLong, Id) => "Gunakan maksimal 128 karakter.",
            (TooLong, Zh) => "密码最多只能有 128 个字符。",

            (Common, En) => "This password is too common. Choose one that is harder to guess.",
            (Common, De) => {
                "Dieses Passwort ist zu verbreitet. Wählen Sie eines, das schwerer zu erraten ist."
            }
            (Common, Es) => "Esta contraseña es demasiado común. Elige una más difícil de adivinar.",
            (Common, Id) => "Kata sandi ini terlalu umum. Pilih yang lebih sulit ditebak.",
            (Common, Zh) => "此密码过于常见，请选择更难猜到的密码。",

            (ContainsIdentifier, En) => {
                "The password must not contain your e-mail address, phone number or account ID."
            }
            (ContainsIdentifier, De) => {
                "Das Passwort darf Ihre E-Mail-Adresse, Telefonnummer oder Konto-ID nicht enthalten."
            }
            (ContainsIdentifier, Es) => {
                "La contraseña no debe contener tu correo electrónico, número de teléfono ni ID de cuenta."
            }
            (ContainsIdentifier, Id) => {
                "Kata sandi tidak boleh memuat alamat email, nomor telepon, atau ID akun Anda."
            }
            (ContainsIdentifier, Zh) => "密码不能包含您的电子邮件地址、手机号码或账号 ID。",

            (NeedsLettersAndDigits, En) => "Use at least one letter and one digit.",
            (NeedsLettersAndDigits, De) => {
                "Verwenden Sie mindestens einen Buchstaben und eine Ziffer."
            }
            (NeedsLettersAndDigits, Es) => "Usa al menos una letra y un número.",
            (NeedsLettersAndDigits, Id) => "Gunakan setidaknya satu huruf dan satu angka.",
            (NeedsLettersAndDigits, Zh) => "密码需至少包含一个字母和一个数字。",

            (Mismatch, En) => "The two passwords do not match.",
            (Mismatch, De) => "Die beiden Passwörter stimmen nicht überein.",
            (Mismatch, Es) => "Las dos contraseñas no coinciden.",
            (Mismatch, Id) => "Kedua kata sandi tidak cocok.",
            (Mismatch, Zh) => "两次输入的密码不一致。",

            (InvalidCharacters, En) => {
                "The password contains characters that cannot be used, such as line breaks or control characters."
            }
            (InvalidCharacters, De) => {
                "Das Passwort enthält Zeichen, die nicht verwendet werden können, etwa Zeilenumbrüche oder Steuerzeichen."
            }
            (InvalidCharacters, Es) => {
                "La contraseña contiene caracteres no permitidos, como saltos de línea o caracteres de control."
            }
            (InvalidCharacters, Id) => {
                "Kata sandi berisi karakter yang tidak dapat digunakan, seperti baris baru atau karakter kontrol."
            }
            (InvalidCharacters, Zh) => "密码包含无法使用的字符，例如换行符或控制字符。",

            (NormalisationUnavailable, En) => {
                "Only letters, digits and symbols of the English keyboard can be used here."
            }
            (NormalisationUnavailable, De) => {
                "Hier können nur Buchstaben, Ziffern und Zeichen der englischen Tastatur verwendet werden."
            }
            (NormalisationUnavailable, Es) => {
                "Aquí solo se pueden usar letras, números y símbolos del teclado inglés."
            }
            (NormalisationUnavailable, Id) => {
                "Di sini hanya huruf, angka, dan simbol pada papan ketik bahasa Inggris yang dapat digunakan."
            }
            (NormalisationUnavailable, Zh) => "此处只能使用英文键盘上的字母、数字和符号。",
        }
    }
}

impl fmt::Display for PasswordError {
    /// The English message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message(Locale::En))
    }
}

impl std::error::Error for PasswordError {}
