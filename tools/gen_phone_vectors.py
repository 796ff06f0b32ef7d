#!/usr/bin/env python3
"""Generate tests/vectors/phone_numbers.tsv: phone parsing verdicts of the
reference implementation, PyPI `phonenumbers` (the Python port of Google's
libphonenumber), for tests/phone_vectors.rs to compare against.

Usage:
    pip install phonenumbers==9.0.43
    python3 tools/gen_phone_vectors.py > tests/vectors/phone_numbers.tsv

For every region (and non-geographic calling code) it takes the example
number of each number type and writes it in several ways a person types it
(E.164, international and national format, bare national number, dialled
from abroad with an IDD, with the calling code but no '+', in full-width or
Arabic-Indic digits), plus systematic perturbations (a digit changed, a digit
added, a digit removed). The verdict of each input is the reference's:

    phonenumbers.parse(input, region)      -> NumberParseException?
    is_possible_number_with_reason(n)      -> length verdict
    is_valid_number(n)                     -> pattern verdict

mapped to resetflow's error codes by `verdict()` below. Inputs that use
features resetflow leaves out on purpose (letters, extensions, RFC 3966
parameters) are never generated; the Rust unit tests cover them.
"""
import random
import sys

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType, PhoneMetadata
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE, ValidationResult

EXPECTED_VERSION = "9.0.43"

TYPE_NAMES = {
    PhoneNumberType.FIXED_LINE: "fixed_line",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.PREMIUM_RATE: "premium_rate",
    PhoneNumberType.SHARED_COST: "shared_cost",
    PhoneNumberType.VOIP: "voip",
    PhoneNumberType.PERSONAL_NUMBER: "personal_number",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.UAN: "uan",
    PhoneNumberType.VOICEMAIL: "voicemail",
}

DESCS = [
    "fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost",
    "personal_number", "voip", "pager", "uan", "voicemail",
]

# Regions a number is dialled from, with their different IDD prefixes
# (00, 011, 010, 0011, 810, 001/008..., 00/09 ...).
DIAL_FROM = ["DE", "US", "JP", "AU", "RU", "SG", "BR", "KR", "CN", "FR", "CO", "UZ", "NG", "IN"]

PLUS_CHARS = "+\uff0b"


def verdict(inp, region):
    """The reference's verdict as (code, e164, region, type)."""
    try:
        n = phonenumbers.parse(inp, region)
    except NumberParseException as e:
        t = e.error_type
        if t == NumberParseException.INVALID_COUNTRY_CODE:
            stripped = inp.lstrip()
            if region is None and not (stripped[:1] in PLUS_CHARS):
                return ("phone.missing_region", "", "", "")
            return ("phone.invalid_country_code", "", "", "")
        if t in (NumberParseException.TOO_SHORT_AFTER_IDD, NumberParseException.TOO_SHORT_NSN):
            return ("phone.too_short", "", "", "")
        if t == NumberParseException.TOO_LONG:
            return ("phone.too_long", "", "", "")
        if t == NumberParseException.NOT_A_NUMBER:
            # libphonenumber wants two digits, or three after a '+', before
            # it calls a string a number at all: too short, for resetflow.
            digits = sum(1 for c in inp if c.isdecimal())
            return ("phone.too_short" if digits < 3 else "phone.invalid_characters", "", "", "")
        raise
    reason = phonenumbers.is_possible_number_with_reason(n)
    if reason == ValidationResult.TOO_SHORT:
        return ("phone.too_short", "", "", "")
    if reason == ValidationResult.TOO_LONG:
        return ("phone.too_long", "", "", "")
    if reason == ValidationResult.INVALID_LENGTH:
        return ("phone.invalid", "", "", "")
    if reason == ValidationResult.INVALID_COUNTRY_CODE:
        return ("phone.invalid_country_code", "", "", "")
    if not phonenumbers.is_valid_number(n):
        return ("phone.invalid", "", "", "")
    e164 = phonenumbers.format_number(n, PhoneNumberFormat.E164)
    rc = phonenumbers.region_code_for_number(n) or ""
    if rc == "001":
        rc = ""
    return ("ok", e164, rc, TYPE_NAMES[phonenumbers.number_type(n)])


def fullwidth(s):
    return "".join(chr(ord(c) - ord("0") + 0xFF10) if c.isdigit() else ("\uff0b" if c == "+" else c) for c in s)


def arabic_indic(s):
    return "".join(chr(ord(c) - ord("0") + 0x0660) if c.isdigit() else c for c in s)


def bump(d):
    return str((int(d) + 1) % 10)


def cases():
    # Seeded, so that regenerating with the same release gives the same file.
    rng = random.Random(20261123)
    seq = 0
    for cc in sorted(COUNTRY_CODE_TO_REGION_CODE):
        for region in COUNTRY_CODE_TO_REGION_CODE[cc]:
            geo = region != "001"
            m = PhoneMetadata.metadata_for_region(region) if geo else PhoneMetadata.metadata_for_nongeo_region(cc)
            home = region if geo else None
            seen = set()
            for attr in DESCS:
                d = getattr(m, attr)
                if d is None or not d.example_number or d.example_number in seen:
                    continue
                nsn = d.example_number
                seen.add(nsn)
                seq += 1
                e164 = "+%d%s" % (cc, nsn)
                n = phonenumbers.parse(e164, None)
                intl = phonenumbers.format_number(n, PhoneNumberFormat.INTERNATIONAL)
                natl = phonenumbers.format_number(n, PhoneNumberFormat.NATIONAL)
                yield e164, None
                yield intl, None
                if home:
                    yield natl, home
                    yield nsn, home
                    yield "%d%s" % (cc, nsn), home
                frm = DIAL_FROM[seq % len(DIAL_FROM)]
                yield phonenumbers.format_out_of_country_calling_number(n, frm), frm
                # Perturbations: last digit changed, middle digit changed,
                # a digit added, a digit removed.
                yield "+%d%s" % (cc, nsn[:-1] + bump(nsn[-1])), None
                mid = len(nsn) // 2
                yield "+%d%s" % (cc, nsn[:mid] + bump(nsn[mid]) + nsn[mid + 1:]), None
                yield "+%d%s" % (cc, nsn + "5"), None
                yield "+%d%s" % (cc, nsn[:-1]), None
                if home:
                    yield natl + "0", home
                    yield natl[:-1], home
                    yield "0" + nsn, home
                if attr in ("fixed_line", "mobile"):
                    yield "+%d%s" % (cc, nsn[1:]), None
                    yield "+%d%s" % (cc, nsn + "01"), None
                    yield "+%d%s" % (cc, bump(nsn[0]) + nsn[1:]), None
                # Random digits after the first half of the example (mostly
                # still the same number range, so often valid), and random
                # digits of the same length (mostly invalid): this exercises
                # the patterns far beyond the example numbers.
                keep = (len(nsn) + 1) // 2
                tail = "".join(rng.choice("0123456789") for _ in nsn[keep:])
                yield "+%d%s" % (cc, nsn[:keep] + tail), None
                rand = "".join(rng.choice("0123456789") for _ in nsn)
                yield ("+%d%s" % (cc, rand), None) if not home else (rand, home)
                if seq % 4 == 0:
                    yield fullwidth(intl), None
                if seq % 4 == 1 and home:
                    yield arabic_indic(natl), home
    # Edge cases around calling codes, IDDs and lengths.
    edges = [
        ("+0 30 123456", "DE"), ("+999 1234567", None), ("+1", None), ("+49", None),
        ("+49 3", None), ("+49 30", None), ("00", "DE"), ("0049", "DE"), ("00 49 30", "DE"),
        ("0049 0 30 123456", "DE"), ("+0049 30 123456", "DE"), ("+0049 30 123456", None),
        ("0030123456", "DE"), ("030 123456", None), ("30123456", None), ("12", "DE"),
        ("+49 151 2345678901234567", None), ("+49 1512345678901234567", "DE"),
        ("011 44 20 7946 0000", "US"), ("00 44 20 7946 0000", "US"), ("+44 020 7946 0000", None),
        ("+1 650 253 0000", "DE"), ("1 650 253 0000", "US"), ("650 253 0000", "CA"),
        ("253 0000", "US"), ("+1 253 0000", None), ("+7 700 123 4567", None), ("8 700 123 4567", "KZ"),
        ("+54 9 11 1234 5678", None), ("011 15 1234 5678", "AR"), ("0343 15 555 1212", "AR"),
        ("+39 06 6988 0000", None), ("+39 06 698 12345", None), ("+379 1234567", None),
        ("+800 1234 5678", None), ("+808 12345678", None), ("+882 1234 5678", None),
        ("+44 7911 123456", None), ("07911 123456", "GB"), ("07911 123456", "JE"),
        ("+44 1534 456789", None), ("01481 256789", "GG"), ("+262 269 61 12 34", None),
        ("+262 639 12 34 56", None), ("+61 8 9164 1234", None), ("+599 9 123 4567", None),
        ("+599 7 123 456", None), ("+358 18 123456", None), ("+590 590 27 12 34", None),
        ("+590 690 00 12 34", None), ("+47 79 12 34 56", None), ("+212 528 123456", None),
        ("+290 2 2158", None), ("+290 8 999", None), ("1800 123 456", "AU"), ("0011 49 30 123456", "AU"),
        ("810 49 30 123456", "RU"), ("8 800 555 35 35", "RU"), ("8 (495) 123-45-67", "RU"),
        ("010 81 3 1234 5678", "JP"), ("03-1234-5678", "JP"), ("00 55 11 91234 5678", "BR"),
        ("0 15 11 91234-5678", "BR"), ("(11) 91234-5678", "BR"), ("+86 10 1234 5678", "US"),
        ("010 1234 5678", "CN"), ("12593 010 1234 5678", "CN"),
        ("+49 (0) 30 123456", None), ("+49-30-123456", None), ("+49.30.123456", None),
        ("+49/30/123456", None), ("(030) 123456", "DE"), ("030/123456", "DE"),
        ("0151 23456789", "DE"), ("+49 151 23456789", None), ("0049 151 23456789", "DE"),
        ("49 151 23456789", "DE"), ("+1 (650) 253-0000", None), ("+1.650.253.0000", None),
        ("\uff0b\uff14\uff19\u3000\uff13\uff10\u3000\uff11\uff12\uff13\uff14\uff15\uff16", None),
        ("\u0660\u0663\u0660 \u0661\u0662\u0663\u0664\u0665\u0666", "DE"),
        ("\u0966\u0969\u0966 \u0967\u0968\u0969\u096a\u096b\u096c", "DE"),
    ]
    for e in edges:
        yield e


def main():
    version = phonenumbers.__version__
    if version != EXPECTED_VERSION and "--any-version" not in sys.argv:
        raise SystemExit("phonenumbers %s installed, %s expected" % (version, EXPECTED_VERSION))
    w = sys.stdout.write
    w("# Phone parsing vectors: generated by tools/gen_phone_vectors.py, do not edit.\n")
    w("# Reference: PyPI phonenumbers %s (Python port of Google's libphonenumber);\n" % version)
    w("# each verdict is what parse + is_possible_number_with_reason + is_valid_number say,\n")
    w("# mapped to resetflow error codes (see the generator's docstring).\n")
    w("# Columns: input, default region (- for none), verdict (ok or error code),\n")
    w("# E.164, region of the number (- for none / non-geographic), number type.\n")
    seen = set()
    count = 0
    for inp, region in cases():
        if (inp, region) in seen:
            continue
        seen.add((inp, region))
        if "\t" in inp or "\n" in inp:
            raise SystemExit("unexpected whitespace in %r" % inp)
        code, e164, rc, typ = verdict(inp, region)
        w("\t".join([inp, region or "-", code, e164 or "-", rc or "-", typ or "-"]) + "\n")
        count += 1
    sys.stderr.write("%d vectors\n" % count)


if __name__ == "__main__":
    main()
