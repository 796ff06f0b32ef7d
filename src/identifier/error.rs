//! Why an identifier was rejected: stable codes and localised messages.

use core::fmt;

use super::phone::{PhoneError, UnknownRegion};
use crate::Locale;

/// The error of [`parse`](super::parse) and [`Identifier::parse`](super::Identifier::parse):
/// which rule the input broke.
///
/// It never carries the input itself, so it is safe to log. Its
/// [`code`](IdentifierError::code) is stable across releases and meant for
/// programs; its [`message`](IdentifierError::message) is meant for the person
/// who typed the input. [`Display`](fmt::Display) gives the English message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IdentifierError {
    kind: ErrorKind,
}

impl IdentifierError {
    /// The rule the input broke.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable error code, such as `"email.invalid_domain"`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The message for the person who typed the input, in `locale`.
    pub fn message(&self, locale: Locale) -> &'static str {
        self.kind.message(locale)
    }
}

impl From<ErrorKind> for IdentifierError {
    fn from(kind: ErrorKind) -> IdentifierError {
        IdentifierError { kind }
    }
}

impl From<PhoneError> for IdentifierError {
    fn from(err: PhoneError) -> IdentifierError {
        ErrorKind::from(err).into()
    }
}

impl From<UnknownRegion> for IdentifierError {
    fn from(_: UnknownRegion) -> IdentifierError {
        ErrorKind::UnknownRegion.into()
    }
}

impl fmt::Display for IdentifierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message(Locale::En))
    }
}

impl std::error::Error for IdentifierError {}

#[cfg(feature = "serde")]
impl serde::Serialize for IdentifierError {
    /// Serialises as `{"code": .., "message": ..}` with the English message,
    /// the error shape of the resetflow HTTP API.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("IdentifierError", 2)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", self.message(Locale::En))?;
        s.end()
    }
}

/// Each rule an identifier can break. Codes are stable; new kinds may be added.
///
/// The codes fall in four families: `identifier.*` for input that is no
/// identifier at all, `email.*`, `phone.*` and `account_id.*` once the kind was
/// detected, and `region.unknown` for a region code with no numbering plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `identifier.empty`: nothing but white space was entered.
    Empty,
    /// `identifier.too_long`: longer than [`MAX_INPUT_CHARS`](super::MAX_INPUT_CHARS)
    /// after trimming; rejected before any other processing.
    TooLong,
    /// `identifier.unrecognized`: no `@`, no leading `+`, and not made of digits
    /// and phone punctuation, so neither an e-mail address, a phone number nor
    /// an account ID.
    Unrecognized,
    /// `email.missing_local`: nothing before the `@`.
    EmailMissingLocal,
    /// `email.invalid_local`: the part before the `@` has a character outside
    /// the WHATWG set `A-Z a-z 0-9 . ! # $ % & ' * + / = ? ^ _ ` { | } ~ -`
    /// (this includes a second `@`, spaces, quotes and non-ASCII letters).
    EmailInvalidLocal,
    /// `email.local_too_long`: the part before the `@` is over 64 octets
    /// (RFC 5321, section 4.5.3.1.1).
    EmailLocalTooLong,
    /// `email.missing_domain`: nothing after the `@`.
    EmailMissingDomain,
    /// `email.invalid_domain`: the domain is not a sequence of dot-separated
    /// labels of letters, digits and inner hyphens, or IDNA (UTS #46) rejects it.
    EmailInvalidDomain,
    /// `email.domain_too_long`: the domain is over 253 octets in its ASCII
    /// (punycode) form (RFC 1035 and RFC 5321, section 4.5.3.1.2).
    EmailDomainTooLong,
    /// `email.label_too_long`: a label of the domain is over 63 octets in its
    /// ASCII (punycode) form (RFC 1035, section 2.3.4).
    EmailLabelTooLong,
    /// `email.too_long`: the address is over 254 octets in its ASCII form, so it
    /// does not fit the 256-octet SMTP path (RFC 5321, section 4.5.3.1.3).
    EmailTooLong,
    /// `phone.invalid_characters`: see [`PhoneError::InvalidCharacters`].
    PhoneInvalidCharacters,
    /// `phone.missing_region`: a national number without a default region.
    PhoneMissingRegion,
    /// `phone.invalid_country_code`: no country has this calling code.
    PhoneInvalidCountryCode,
    /// `phone.too_short`: too few digits for the numbering plan.
    PhoneTooShort,
    /// `phone.too_long`: too many digits for the numbering plan.
    PhoneTooLong,
    /// `phone.invalid`: right length, but no valid number of its region.
    PhoneInvalid,
    /// `account_id.too_short`: fewer digits than the
    /// [`AccountIdRule`](super::AccountIdRule) allows.
    AccountIdTooShort,
    /// `account_id.too_long`: more digits than the
    /// [`AccountIdRule`](super::AccountIdRule) allows.
    AccountIdTooLong,
    /// `account_id.invalid_prefix`: the digits do not begin with the prefix the
    /// [`AccountIdRule`](super::AccountIdRule) requires.
    AccountIdInvalidPrefix,
    /// `region.unknown`: a region code with no known numbering plan.
    UnknownRegion,
    /// `email.idna_unavailable`: the domain is not ASCII (or has an `xn--`
    /// label), and this build has no UTS #46 to read it: a native build
    /// without the `idna` feature.
    EmailIdnaUnavailable,
}

impl ErrorKind {
    /// Every kind, for tables and tests. New kinds are appended.
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::Empty,
        ErrorKind::TooLong,
        ErrorKind::Unrecognized,
        ErrorKind::EmailMissingLocal,
        ErrorKind::EmailInvalidLocal,
        ErrorKind::EmailLocalTooLong,
        ErrorKind::EmailMissingDomain,
        ErrorKind::EmailInvalidDomain,
        ErrorKind::EmailDomainTooLong,
        ErrorKind::EmailLabelTooLong,
        ErrorKind::EmailTooLong,
        ErrorKind::PhoneInvalidCharacters,
        ErrorKind::PhoneMissingRegion,
        ErrorKind::PhoneInvalidCountryCode,
        ErrorKind::PhoneTooShort,
        ErrorKind::PhoneTooLong,
        ErrorKind::PhoneInvalid,
        ErrorKind::AccountIdTooShort,
        ErrorKind::AccountIdTooLong,
        ErrorKind::AccountIdInvalidPrefix,
        ErrorKind::UnknownRegion,
        ErrorKind::EmailIdnaUnavailable,
    ];

    /// The stable error code, such as `"phone.too_short"`.
    pub const fn code(self) -> &'static str {
        match self {
            ErrorKind::Empty => "identifier.empty",
            ErrorKind::TooLong => "identifier.too_long",
            ErrorKind::Unrecognized => "identifier.unrecognized",
            ErrorKind::EmailMissingLocal => "email.missing_local",
            ErrorKind::EmailInvalidLocal => "email.invalid_local",
            ErrorKind::EmailLocalTooLong => "email.local_too_long",
            ErrorKind::EmailMissingDomain => "email.missing_domain",
            ErrorKind::EmailInvalidDomain => "email.invalid_domain",
            ErrorKind::EmailDomainTooLong => "email.domain_too_long",
            ErrorKind::EmailLabelTooLong => "email.label_too_long",
            ErrorKind::EmailTooLong => "email.too_long",
            ErrorKind::PhoneInvalidCharacters => "phone.invalid_characters",
            ErrorKind::PhoneMissingRegion => "phone.missing_region",
            ErrorKind::PhoneInvalidCountryCode => "phone.invalid_country_code",
            ErrorKind::PhoneTooShort => "phone.too_short",
            ErrorKind::PhoneTooLong => "phone.too_long",
            ErrorKind::PhoneInvalid => "phone.invalid",
            ErrorKind::AccountIdTooShort => "account_id.too_short",
            ErrorKind::AccountIdTooLong => "account_id.too_long",
            ErrorKind::AccountIdInvalidPrefix => "account_id.invalid_prefix",
            ErrorKind::UnknownRegion => "region.unknown",
            ErrorKind::EmailIdnaUnavailable => "email.idna_unavailable",
        }
    }

    /// The message for the person who typed the input, in `locale`.
    ///
    /// German uses the formal "Sie", Spanish the informal "tú", as is usual in
    /// sign-in forms of each language.
    pub const fn message(self, locale: Locale) -> &'static str {
        let [en, de, es, id, zh] = self.texts();
        match locale {
            Locale::En => en,
            Locale::De => de,
            Locale::Es => es,
            Locale::Id => id,
            Locale::Zh => zh,
        }
    }

    /// The messages in the order of [`Locale::ALL`]: en, de, es, id, zh.
    const fn texts(self) -> [&'static str; 5] {
        match self {
            ErrorKind::Empty => [
                "Enter your e-mail address, phone number or account ID.",
                "Geben Sie Ihre E-Mail-Adresse, Telefonnummer oder Konto-ID ein.",
                "Introduce tu correo electrónico, número de teléfono o ID de cuenta.",
                "Masukkan alamat email, nomor telepon, atau ID akun Anda.",
                "请输入邮箱地址、电话号码或账号 ID。",
            ],
            ErrorKind::TooLong => [
                "This entry is too long to be an e-mail address, phone number or account ID.",
                "Die Eingabe ist zu lang für eine E-Mail-Adresse, Telefonnummer oder Konto-ID.",
                "El texto es demasiado largo para ser un correo electrónico, un número de teléfono o un ID de cuenta.",
                "Isian ini terlalu panjang untuk alamat email, nomor telepon, atau ID akun.",
                "输入内容过长，不可能是邮箱地址、电话号码或账号 ID。",
            ],
            ErrorKind::Unrecognized => [
                "This is not an e-mail address, phone number or account ID.",
                "Dies ist weder eine E-Mail-Adresse noch eine Telefonnummer oder Konto-ID.",
                "No es un correo electrónico, un número de teléfono ni un ID de cuenta.",
                "Ini bukan alamat email, nomor telepon, atau ID akun.",
                "这不是邮箱地址、电话号码或账号 ID。",
            ],
            ErrorKind::EmailMissingLocal => [
                "Enter the part of the e-mail address before the @.",
                "Geben Sie den Teil der E-Mail-Adresse vor dem @ ein.",
                "Introduce la parte del correo electrónico antes de la @.",
                "Masukkan bagian alamat email sebelum tanda @.",
                "请输入邮箱地址中 @ 前面的部分。",
            ],
            ErrorKind::EmailInvalidLocal => [
                "The part of the e-mail address before the @ contains characters that are not allowed.",
                "Der Teil der E-Mail-Adresse vor dem @ enthält unzulässige Zeichen.",
                "La parte del correo electrónico antes de la @ contiene caracteres no permitidos.",
                "Bagian alamat email sebelum tanda @ berisi karakter yang tidak diizinkan.",
                "邮箱地址中 @ 前面的部分包含不允许使用的字符。",
            ],
            ErrorKind::EmailLocalTooLong => [
                "The part of the e-mail address before the @ is too long (at most 64 characters).",
                "Der Teil der E-Mail-Adresse vor dem @ ist zu lang (höchstens 64 Zeichen).",
                "La parte del correo electrónico antes de la @ es demasiado larga (64 caracteres como máximo).",
                "Bagian alamat email sebelum tanda @ terlalu panjang (maksimal 64 karakter).",
                "邮箱地址中 @ 前面的部分过长（最多 64 个字符）。",
            ],
            ErrorKind::EmailMissingDomain => [
                "Enter the domain after the @, such as example.com.",
                "Geben Sie die Domain nach dem @ ein, zum Beispiel example.com.",
                "Introduce el dominio después de la @, por ejemplo example.com.",
                "Masukkan domain setelah tanda @, misalnya example.com.",
                "请输入 @ 后面的域名，例如 example.com。",
            ],
            ErrorKind::EmailInvalidDomain => [
                "The domain after the @ is not valid.",
                "Die Domain nach dem @ ist ungültig.",
                "El dominio después de la @ no es válido.",
                "Domain setelah tanda @ tidak valid.",
                "@ 后面的域名无效。",
            ],
            ErrorKind::EmailDomainTooLong => [
                "The domain after the @ is too long.",
                "Die Domain nach dem @ ist zu lang.",
                "El dominio después de la @ es demasiado largo.",
                "Domain setelah tanda @ terlalu panjang.",
                "@ 后面的域名过长。",
            ],
            ErrorKind::EmailLabelTooLong => [
                "A part of the domain between two dots is too long (at most 63 characters).",
                "Ein Teil der Domain zwischen zwei Punkten ist zu lang (höchstens 63 Zeichen).",
                "Una parte del dominio entre dos puntos es demasiado larga (63 caracteres como máximo).",
                "Salah satu bagian domain di antara dua titik terlalu panjang (maksimal 63 karakter).",
                "域名中两个点之间的某一部分过长（最多 63 个字符）。",
            ],
            ErrorKind::EmailTooLong => [
                "This e-mail address is too long.",
                "Diese E-Mail-Adresse ist zu lang.",
                "Este correo electrónico es demasiado largo.",
                "Alamat email ini terlalu panjang.",
                "该邮箱地址过长。",
            ],
            ErrorKind::PhoneInvalidCharacters => [
                "The phone number contains characters that are not allowed.",
                "Die Telefonnummer enthält unzulässige Zeichen.",
                "El número de teléfono contiene caracteres no permitidos.",
                "Nomor telepon berisi karakter yang tidak diizinkan.",
                "电话号码包含不允许使用的字符。",
            ],
            ErrorKind::PhoneMissingRegion => [
                "Enter the phone number with its country code, starting with +.",
                "Geben Sie die Telefonnummer mit Ländervorwahl ein, beginnend mit +.",
                "Introduce el número de teléfono con el prefijo del país, empezando por +.",
                "Masukkan nomor telepon beserta kode negaranya, diawali dengan +.",
                "请输入带国家/地区代码的电话号码，以 + 开头。",
            ],
            ErrorKind::PhoneInvalidCountryCode => [
                "The country code of this phone number is not valid.",
                "Die Ländervorwahl dieser Telefonnummer ist ungültig.",
                "El prefijo de país de este número de teléfono no es válido.",
                "Kode negara pada nomor telepon ini tidak valid.",
                "该电话号码的国家/地区代码无效。",
            ],
            ErrorKind::PhoneTooShort => [
                "This phone number is too short.",
                "Diese Telefonnummer ist zu kurz.",
                "Este número de teléfono es demasiado corto.",
                "Nomor telepon ini terlalu pendek.",
                "该电话号码过短。",
            ],
            ErrorKind::PhoneTooLong => [
                "This phone number is too long.",
                "Diese Telefonnummer ist zu lang.",
                "Este número de teléfono es demasiado largo.",
                "Nomor telepon ini terlalu panjang.",
                "该电话号码过长。",
            ],
            ErrorKind::PhoneInvalid => [
                "This is not a valid phone number.",
                "Dies ist keine gültige Telefonnummer.",
                "No es un número de teléfono válido.",
                "Ini bukan nomor telepon yang valid.",
                "这不是有效的电话号码。",
            ],
            ErrorKind::AccountIdTooShort => [
                "This account ID is too short.",
                "Diese Konto-ID ist zu kurz.",
                "Este ID de cuenta es demasiado corto.",
                "ID akun ini terlalu pendek.",
                "该账号 ID 过短。",
            ],
            ErrorKind::AccountIdTooLong => [
                "This account ID is too long.",
                "Diese Konto-ID ist zu lang.",
                "Este ID de cuenta es demasiado largo.",
                "ID akun ini terlalu panjang.",
                "该账号 ID 过长。",
            ],
            ErrorKind::AccountIdInvalidPrefix => [
                "This account ID does not start with the expected digits.",
                "Diese Konto-ID beginnt nicht mit den erwarteten Ziffern.",
                "Este ID de cuenta no empieza por los dígitos esperados.",
                "ID akun ini tidak diawali dengan angka yang seharusnya.",
                "该账号 ID 的开头数字不正确。",
            ],
            ErrorKind::UnknownRegion => [
                "This country or region is not supported.",
                "Dieses Land bzw. diese Region wird nicht unterstützt.",
                "No se admite este país o región.",
                "Negara atau wilayah ini tidak didukung.",
                "不支持该国家/地区。",
            ],
            ErrorKind::EmailIdnaUnavailable => [
                "Domains with international characters cannot be checked here. Use another e-mail address.",
                "Domains mit internationalen Zeichen können hier nicht geprüft werden. Verwenden Sie eine andere E-Mail-Adresse.",
                "Aquí no se pueden comprobar dominios con caracteres internacionales. Usa otro correo electrónico.",
                "Domain dengan karakter internasional tidak dapat diperiksa di sini. Gunakan alamat email lain.",
                "此处无法检查含国际化字符的域名，请使用其他邮箱地址。",
            ],
        }
    }
}

impl From<PhoneError> for ErrorKind {
    fn from(err: PhoneError) -> ErrorKind {
        // Exhaustive on purpose: a new phone error must get its own messages.
        match err {
            PhoneError::InvalidCharacters => ErrorKind::PhoneInvalidCharacters,
            PhoneError::MissingRegion => ErrorKind::PhoneMissingRegion,
            PhoneError::InvalidCountryCode => ErrorKind::PhoneInvalidCountryCode,
            PhoneError::TooShort => ErrorKind::PhoneTooShort,
            PhoneError::TooLong => ErrorKind::PhoneTooLong,
            PhoneError::Invalid => ErrorKind::PhoneInvalid,
        }
    }
}

impl fmt::Display for ErrorKind {
    /// Writes the stable code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for &kind in ErrorKind::ALL {
            let code = kind.code();
            assert!(seen.insert(code), "duplicate code {code}");
            let (family, name) = code.split_once('.').expect("family.name");
            assert!(["identifier", "email", "phone", "account_id", "region"].contains(&family));
            assert!(!name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
        }
    }

    #[test]
    fn every_kind_has_a_distinct_message_in_every_locale() {
        for locale in Locale::ALL {
            let mut seen = HashSet::new();
            for &kind in ErrorKind::ALL {
                let text = kind.message(locale);
                assert!(!text.trim().is_empty(), "{kind} has no {locale} message");
                assert_eq!(text, text.trim(), "{kind} {locale}: stray white space");
                assert!(
                    seen.insert(text),
                    "{kind} repeats a {locale} message: {text}"
                );
            }
        }
    }

    #[test]
    fn translations_differ_from_english() {
        // A copied English text in another locale is a missing translation.
        for &kind in ErrorKind::ALL {
            let en = kind.message(Locale::En);
            for locale in &Locale::ALL[1..] {
                assert_ne!(kind.message(*locale), en, "{kind} {locale} is untranslated");
            }
        }
    }

    #[test]
    fn chinese_messages_use_full_width_punctuation() {
        for &kind in ErrorKind::ALL {
            let zh = kind.message(Locale::Zh);
            assert!(zh.ends_with('。'), "{kind}: {zh}");
            assert!(!zh.contains(','), "{kind}: ASCII comma in {zh}");
        }
    }

    #[test]
    fn phone_codes_agree_with_the_phone_parser() {
        let all = [
            PhoneError::InvalidCharacters,
            PhoneError::MissingRegion,
            PhoneError::InvalidCountryCode,
            PhoneError::TooShort,
            PhoneError::TooLong,
            PhoneError::Invalid,
        ];
        for err in all {
            let code = err.code();
            assert_eq!(ErrorKind::from(err).code(), code);
        }
    }

    #[test]
    fn display_is_the_english_message_and_says_nothing_of_the_input() {
        let err = IdentifierError::from(ErrorKind::EmailInvalidDomain);
        assert_eq!(err.to_string(), "The domain after the @ is not valid.");
        assert_eq!(err.code(), "email.invalid_domain");
        assert_eq!(
            IdentifierError::from(UnknownRegion).code(),
            "region.unknown"
        );
    }
}
