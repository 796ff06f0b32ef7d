//! The zero of every run of Unicode decimal digits (general category Nd).
//!
//! Provenance: generated once with Python 3.11.7, whose `unicodedata` module
//! implements Unicode 14.0.0. Every Nd character in that version belongs to a run
//! of ten consecutive code points holding the values 0 to 9 in order (the
//! generator asserts it), so the zeros alone describe all 660 of them. Digits
//! added to Unicode after 14.0.0 are not in this table: an answer typed with them
//! is simply wrong. To regenerate, run:
//!
//! ```text
//! import sys, unicodedata
//! nd = [c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Nd"]
//! zeros = [c for c in nd if unicodedata.digit(chr(c)) == 0]
//! assert all(unicodedata.digit(chr(z + i)) == i for z in zeros for i in range(10))
//! assert len(nd) == 10 * len(zeros)
//! for z in zeros: print("    '\\u{%04X}', // %s" % (z, unicodedata.name(chr(z))))
//! ```

/// Code points of the digit zero of each Nd run, ascending (Unicode 14.0.0).
pub(super) const ND_ZEROS: [char; 66] = [
    '\u{0030}',  // DIGIT ZERO
    '\u{0660}',  // ARABIC-INDIC DIGIT ZERO
    '\u{06F0}',  // EXTENDED ARABIC-INDIC DIGIT ZERO
    '\u{07C0}',  // NKO DIGIT ZERO
    '\u{0966}',  // DEVANAGARI DIGIT ZERO
    '\u{09E6}',  // BENGALI DIGIT ZERO
    '\u{0A66}',  // GURMUKHI DIGIT ZERO
    '\u{0AE6}',  // GUJARATI DIGIT ZERO
    '\u{0B66}',  // ORIYA DIGIT ZERO
    '\u{0BE6}',  // TAMIL DIGIT ZERO
    '\u{0C66}',  // TELUGU DIGIT ZERO
    '\u{0CE6}',  // KANNADA DIGIT ZERO
    '\u{0D66}',  // MALAYALAM DIGIT ZERO
    '\u{0DE6}',  // SINHALA LITH DIGIT ZERO
    '\u{0E50}',  // THAI DIGIT ZERO
    '\u{0ED0}',  // LAO DIGIT ZERO
    '\u{0F20}',  // TIBETAN DIGIT ZERO
    '\u{1040}',  // MYANMAR DIGIT ZERO
    '\u{1090}',  // MYANMAR SHAN DIGIT ZERO
    '\u{17E0}',  // KHMER DIGIT ZERO
    '\u{1810}',  // MONGOLIAN DIGIT ZERO
    '\u{1946}',  // LIMBU DIGIT ZERO
    '\u{19D0}',  // NEW TAI LUE DIGIT ZERO
    '\u{1A80}',  // TAI THAM HORA DIGIT ZERO
    '\u{1A90}',  // TAI THAM THAM DIGIT ZERO
    '\u{1B50}',  // BALINESE DIGIT ZERO
    '\u{1BB0}',  // SUNDANESE DIGIT ZERO
    '\u{1C40}',  // LEPCHA DIGIT ZERO
    '\u{1C50}',  // OL CHIKI DIGIT ZERO
    '\u{A620}',  // VAI DIGIT ZERO
    '\u{A8D0}',  // SAURASHTRA DIGIT ZERO
    '\u{A900}',  // KAYAH LI DIGIT ZERO
    '\u{A9D0}',  // JAVANESE DIGIT ZERO
    '\u{A9F0}',  // MYANMAR TAI LAING DIGIT ZERO
    '\u{AA50}',  // CHAM DIGIT ZERO
    '\u{ABF0}',  // MEETEI MAYEK DIGIT ZERO
    '\u{FF10}',  // FULLWIDTH DIGIT ZERO
    '\u{104A0}', // OSMANYA DIGIT ZERO
    '\u{10D30}', // HANIFI ROHINGYA DIGIT ZERO
    '\u{11066}', // BRAHMI DIGIT ZERO
    '\u{110F0}', // SORA SOMPENG DIGIT ZERO
    '\u{11136}', // CHAKMA DIGIT ZERO
    '\u{111D0}', // SHARADA DIGIT ZERO
    '\u{112F0}', // KHUDAWADI DIGIT ZERO
    '\u{11450}', // NEWA DIGIT ZERO
    '\u{114D0}', // TIRHUTA DIGIT ZERO
    '\u{11650}', // MODI DIGIT ZERO
    '\u{116C0}', // TAKRI DIGIT ZERO
    '\u{11730}', // AHOM DIGIT ZERO
    '\u{118E0}', // WARANG CITI DIGIT ZERO
    '\u{11950}', // DIVES AKURU DIGIT ZERO
    '\u{11C50}', // BHAIKSUKI DIGIT ZERO
    '\u{11D50}', // MASARAM GONDI DIGIT ZERO
    '\u{11DA0}', // GUNJALA GONDI DIGIT ZERO
    '\u{16A60}', // MRO DIGIT ZERO
    '\u{16AC0}', // TANGSA DIGIT ZERO
    '\u{16B50}', // PAHAWH HMONG DIGIT ZERO
    '\u{1D7CE}', // MATHEMATICAL BOLD DIGIT ZERO
    '\u{1D7D8}', // MATHEMATICAL DOUBLE-STRUCK DIGIT ZERO
    '\u{1D7E2}', // MATHEMATICAL SANS-SERIF DIGIT ZERO
    '\u{1D7EC}', // MATHEMATICAL SANS-SERIF BOLD DIGIT ZERO
    '\u{1D7F6}', // MATHEMATICAL MONOSPACE DIGIT ZERO
    '\u{1E140}', // NYIAKENG PUACHUE HMONG DIGIT ZERO
    '\u{1E2F0}', // WANCHO DIGIT ZERO
    '\u{1E950}', // ADLAM DIGIT ZERO
    '\u{1FBF0}', // SEGMENTED DIGIT ZERO
];
