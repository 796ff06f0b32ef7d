//! A cheap strength estimate for the form, recomputed on every keystroke.
//!
//! It is deliberately simple and says so: a bits-of-guessing estimate that
//! counts each character as drawn at random from the character classes the
//! password uses, then takes back what the predictable parts are worth. It
//! knows the common-password list and mechanical patterns, not words, names
//! or dates, so it overrates a password like `hellothere`. It decides
//! nothing: [`Policy::check`](super::Policy::check) does.

use super::{
    contains, contains_identifier, is_common_folded, is_invalid_char, unicode, MAX_INPUT_BYTES,
    MAX_LEN, MIN_LEN,
};
use crate::Locale;

/// Score thresholds in estimated bits: below the first is 0, at or above the
/// last is 4. 40 bits is about a trillion guesses, out of reach of online
/// guessing many times over; 80 bits resists offline cracking of a fast hash.
const SCORE_BITS: [f64; 4] = [28.0, 40.0, 60.0, 80.0];

/// Below this many characters the form suggests a longer password.
const HINT_LONGER_BELOW: usize = 12;

/// Below this many characters the form suggests mixing character classes;
/// past it, length does the work.
const HINT_MIX_BELOW: usize = 16;

/// What a whole common-list entry found inside a password is worth, in bits:
/// about log2 of the 30,000 entries of the source list.
const COMMON_ENTRY_BITS: f64 = 15.0;

/// Keyboard rows (QWERTY, QWERTZ, AZERTY and the digit row); four or more
/// neighbouring keys in either direction count as a pattern.
const KEYBOARD_ROWS: [&str; 7] = [
    "1234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "qwertzuiop",
    "yxcvbnm",
    "azertyuiop",
];

/// A strength estimate: a score from 0 (guessed at once) to 4 (strong) and
/// hints on how to improve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Strength {
    score: u8,
    hints: Vec<Hint>,
}

impl Strength {
    /// 0 to 4. 0: refused by the policy or guessed almost at once; 1: weak;
    /// 2: fair; 3: good; 4: strong.
    pub fn score(&self) -> u8 {
        self.score
    }

    /// What would make the password stronger, in a fixed order (the order of
    /// [`Hint::ALL`]), without repeats. Empty for a strong password.
    pub fn hints(&self) -> &[Hint] {
        &self.hints
    }
}

/// A suggestion shown beside the password field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Hint {
    /// The password is in the common list, or is an entry with digits or
    /// symbols stuck on its ends.
    Common,
    /// The password contains an account identifier.
    Identifier,
    /// Shorter than 12 characters.
    Longer,
    /// Fewer than three character classes (lower case, upper case, digits,
    /// symbols and others) and shorter than 16 characters.
    Mix,
    /// Contains repeats, sequences or keyboard rows.
    CommonPattern,
}

impl Hint {
    /// Every hint, in the order [`Strength::hints`] lists them.
    pub const ALL: [Hint; 5] = [
        Hint::Common,
        Hint::Identifier,
        Hint::Longer,
        Hint::Mix,
        Hint::CommonPattern,
    ];

    /// The stable code, e.g. `"password.hint.longer"`.
    pub const fn code(self) -> &'static str {
        match self {
            Hint::Common => "password.hint.common",
            Hint::Identifier => "password.hint.identifier",
            Hint::Longer => "password.hint.longer",
            Hint::Mix => "password.hint.mix",
            Hint::CommonPattern => "password.hint.common_pattern",
        }
    }

    /// The hint for a person, in `locale`.
    pub const fn message(self, locale: Locale) -> &'static str {
        use Hint::*;
        use Locale::*;
        match (self, locale) {
            (Common, En) => "This is a common password, or one with small changes. Choose something less predictable.",
            (Common, De) => "Dies ist ein verbreitetes Passwort oder eine leichte Abwandlung davon. Wählen Sie etwas weniger Vorhersehbares.",
            (Common, Es) => "Es una contraseña común o una pequeña variación de una. Elige algo menos previsible.",
            (Common, Id) => "Ini kata sandi umum atau variasi kecilnya. Pilih yang kurang mudah ditebak.",
            (Common, Zh) => "这是常见密码或其简单变体，请选择更难预测的密码。",

            (Identifier, En) => "Do not use your e-mail address, phone number or account ID.",
            (Identifier, De) => "Verwenden Sie nicht Ihre E-Mail-Adresse, Telefonnummer oder Konto-ID.",
            (Identifier, Es) => "No uses tu correo electrónico, número de teléfono ni ID de cuenta.",
            (Identifier, Id) => "Jangan gunakan alamat email, nomor telepon, atau ID akun Anda.",
            (Identifier, Zh) => "请勿使用您的电子邮件地址、手机号码或账号 ID。",

            (Longer, En) => "Longer is stronger: 12 characters or more, for example a few unrelated words.",
            (Longer, De) => "Länger ist sicherer: 12 Zeichen oder mehr, etwa ein paar Wörter ohne Zusammenhang.",
            (Longer, Es) => "Más larga es más segura: 12 caracteres o más, por ejemplo varias palabras sin relación.",
            (Longer, Id) => "Makin panjang makin kuat: 12 karakter atau lebih, misalnya beberapa kata yang tidak berhubungan.",
            (Longer, Zh) => "越长越安全：建议 12 个字符以上，例如几个互不相关的词。",

            (Mix, En) => "Mix in capitals, digits or symbols.",
            (Mix, De) => "Mischen Sie Großbuchstaben, Ziffern oder Sonderzeichen hinein.",
            (Mix, Es) => "Combina mayúsculas, números o símbolos.",
            (Mix, Id) => "Tambahkan huruf kapital, angka, atau simbol.",
            (Mix, Zh) => "混合使用大写字母、数字或符号。",

            (CommonPattern, En) => "Avoid repeats, sequences and keyboard rows such as aaa, 1234 or qwerty.",
            (CommonPattern, De) => "Vermeiden Sie Wiederholungen, Folgen und Tastaturreihen wie aaa, 1234 oder qwertz.",
            (CommonPattern, Es) => "Evita repeticiones, secuencias y filas del teclado como aaa, 1234 o qwerty.",
            (CommonPattern, Id) => "Hindari pengulangan, urutan, dan deretan keyboard seperti aaa, 1234, atau qwerty.",
            (CommonPattern, Zh) => "避免重复、连续字符和键盘顺序，例如 aaa、1234 或 qwerty。",
        }
    }
}

/// Estimates the strength of `password` for the form.
///
/// `identifiers` are the account's identifiers as for
/// [`Policy::check`](super::Policy::check). The input is attacker
/// controlled: it is cut at [`MAX_INPUT_BYTES`] and at [`MAX_LEN`] + 1
/// characters after NFKC, so the work per call is bounded (O(n²) in those
/// 129 characters at worst). Never panics.
///
/// How the score comes about:
///
/// 1. Score 0 if [`Policy::check`](super::Policy::check) would refuse the
///    password for its length, characters, the common list or an identifier
///    (with a hint for the last three that the user can act on).
/// 2. Otherwise each character is worth log2 of the size of the character
///    classes in use (lower case 26, upper case 26, digits 10, ASCII symbols
///    and space 33, anything else 100), except predictable ones, worth nothing:
///    the third and later characters of a run of one character (`aaa`) or of
///    steps of one code point (`abc`, `321`), the third and later keys of
///    four or more neighbours on a keyboard row (`qwer`), and everything
///    after the first period of a repeated block (`abcabc`). A common-list
///    entry found after stripping digits and symbols from both ends
///    (`password123!`) is worth 15 bits in all.
/// 3. The bits map to a score at 28, 40, 60 and 80 bits.
pub fn estimate(password: &str, identifiers: &[&str]) -> Strength {
    let cut = floor_char_boundary(password, MAX_INPUT_BYTES);
    // Where this build cannot normalise (see `unicode`), the estimate is
    // made on the text as typed, and scores 0: `Policy::check` refuses it.
    let typed = password.get(..cut).unwrap_or_default();
    let nfkc = unicode::nfkc(typed, MAX_LEN + 1);
    let unnormalisable = nfkc.is_none();
    let normalised = nfkc.unwrap_or_else(|| typed.chars().take(MAX_LEN + 1).collect());
    let folded = unicode::lowercase(&normalised);
    let chars: Vec<char> = normalised.chars().collect();
    let lower = unicode::lowercase_chars(&chars);

    let mut hints = Vec::new();
    let mut refused = false;

    // The common list holds only entries the length rule lets through, so an
    // entry stripped of its padding can be looked up the same way.
    let core = folded.trim_matches(|c: char| !unicode::is_alphabetic(c));
    let exact_common = is_common_folded(&folded);
    let padded_common = !exact_common && core.len() < folded.len() && is_common_folded(core);
    if exact_common || padded_common {
        hints.push(Hint::Common);
        refused |= exact_common;
    }
    if contains_identifier(&folded, identifiers) {
        hints.push(Hint::Identifier);
        refused = true;
    }
    if chars.len() < HINT_LONGER_BELOW {
        hints.push(Hint::Longer);
    }
    // Whatever `check` refuses scores 0, hint or not.
    refused |= unnormalisable
        || chars.len() < MIN_LEN
        || chars.len() > MAX_LEN
        || cut < password.len()
        || chars.iter().any(|&c| is_invalid_char(c));

    let classes = Classes::of(&chars);
    if classes.count() < 3 && chars.len() < HINT_MIX_BELOW {
        hints.push(Hint::Mix);
    }

    // Pattern analysis runs on the lower-cased characters, so `Aaa` and
    // `QWER` are seen as patterns too. Lower-casing can change the length
    // (`İ` is two characters in lower case), so use its own indices.
    let predictable = predictable(&lower);
    if predictable.iter().any(|&p| p) {
        hints.push(Hint::CommonPattern);
    }

    let score = if refused {
        0
    } else {
        let per_char = classes.pool().log2();
        // A predictable character is worth nothing: a guesser who tries
        // runs and rows gets it with the ones before it.
        let free = predictable.iter().filter(|&&p| !p).count();
        let mut bits = free as f64 * per_char;
        if padded_common {
            // Replace what the entry's characters were worth by what picking
            // one entry from the list is worth.
            let entry_len = core.chars().count() as f64;
            bits = (bits - entry_len * per_char).max(0.0) + COMMON_ENTRY_BITS;
        }
        SCORE_BITS.iter().filter(|&&t| bits >= t).count() as u8
    };
    Strength { score, hints }
}

/// The character classes a password uses.
#[derive(Clone, Copy, Default)]
struct Classes {
    lower: bool,
    upper: bool,
    digit: bool,
    symbol: bool,
    other: bool,
}

impl Classes {
    fn of(chars: &[char]) -> Classes {
        let mut c = Classes::default();
        for &ch in chars {
            match ch {
                'a'..='z' => c.lower = true,
                'A'..='Z' => c.upper = true,
                '0'..='9' => c.digit = true,
                ' '..='~' => c.symbol = true,
                _ => c.other = true,
            }
        }
        c
    }

    fn count(self) -> usize {
        [self.lower, self.upper, self.digit, self.symbol, self.other]
            .into_iter()
            .filter(|&b| b)
            .count()
    }

    /// The number of characters an attacker would try per position.
    fn pool(self) -> f64 {
        let sizes = [
            (self.lower, 26.0),
            (self.upper, 26.0),
            (self.digit, 10.0),
            (self.symbol, 33.0),
            (self.other, 100.0),
        ];
        sizes
            .into_iter()
            .filter(|&(used, _)| used)
            .map(|(_, n)| n)
            .sum::<f64>()
            .max(1.0)
    }
}

/// Which characters continue a pattern; see [`estimate`] for the patterns.
fn predictable(chars: &[char]) -> Vec<bool> {
    let n = chars.len();
    let mut out = vec![false; n];

    for i in 2..n {
        let (a, b, c) = (chars[i - 2] as i64, chars[i - 1] as i64, chars[i] as i64);
        let repeat = a == b && b == c;
        let step = c - b == b - a && (c - b).abs() == 1;
        if repeat || step {
            out[i] = true;
        }
    }

    for start in 0..n.saturating_sub(3) {
        let window: String = chars[start..start + 4].iter().collect();
        let reversed: String = window.chars().rev().collect();
        if KEYBOARD_ROWS
            .iter()
            .any(|row| contains(row, &window) || contains(row, &reversed))
        {
            out[start + 2] = true;
            out[start + 3] = true;
        }
    }

    // The shortest period p < n with chars[i] == chars[i - p] throughout:
    // everything after the first block is a copy.
    if let Some(p) = (1..n).find(|&p| (p..n).all(|i| chars[i] == chars[i - p])) {
        if p <= n / 2 {
            out[p..].iter_mut().for_each(|x| *x = true);
        }
    }
    out
}

/// The largest index at most `max` that is a char boundary of `s`.
fn floor_char_boundary(s: &str, max: usize) -> usize {
    if max >= s.len() {
        return s.len();
    }
    (0..=max)
        .rev()
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        predictable(&chars)
            .into_iter()
            .map(|p| if p { '^' } else { '.' })
            .collect()
    }

    #[test]
    fn patterns_are_marked_where_they_continue() {
        // Hand-marked: '^' under each character that a guesser gets for free.
        assert_eq!(marks("xaaaay"), "...^^.");
        assert_eq!(marks("abcd9"), "..^^.");
        assert_eq!(marks("k4321"), "...^^");
        assert_eq!(marks("acegi"), ".....");
        assert_eq!(marks("zqwerz"), "...^^.");
        assert_eq!(marks("lkjh"), "..^^");
        assert_eq!(marks("abxabxabx"), "...^^^^^^");
        assert_eq!(marks("abxabxab"), "...^^^^^");
        assert_eq!(marks("tr9#kLm2"), "........");
        assert_eq!(marks(""), "");
        assert_eq!(marks("a"), ".");
    }

    #[test]
    fn pool_sizes_follow_classes() {
        let classes = |s: &str| Classes::of(&s.chars().collect::<Vec<_>>());
        assert_eq!(classes("abc").pool(), 26.0);
        assert_eq!(classes("aB1").pool(), 62.0);
        assert_eq!(classes("aB1 ").pool(), 95.0);
        assert_eq!(classes("密码").pool(), 100.0);
        assert_eq!(classes("aB1!密").count(), 5);
    }

    #[test]
    fn floor_char_boundary_never_splits() {
        let s = "aé密🙂";
        for max in 0..12 {
            let i = floor_char_boundary(s, max);
            assert!(i <= max.min(s.len()) && s.is_char_boundary(i));
        }
        assert_eq!(floor_char_boundary(s, 2), 1);
        assert_eq!(floor_char_boundary(s, 100), s.len());
    }
}
