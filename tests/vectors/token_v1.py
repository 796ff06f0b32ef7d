#!/usr/bin/env python3
"""Writes tests/vectors/token_v1.txt: expected challenge tokens (format v1).

An implementation independent of the Rust code: only the Python standard
library (hmac, hashlib, base64, unicodedata), with HKDF written out from
RFC 5869 and checked against the RFC's test case 1 before it is used.

    python3 tests/vectors/token_v1.py > tests/vectors/token_v1.txt
"""
import base64
import hashlib
import hmac
import sys
import unicodedata


def hkdf_extract(salt: bytes, ikm: bytes) -> bytes:
    # RFC 5869 2.2: an absent salt is HashLen zero bytes.
    return hmac.new(salt or b"\x00" * 32, ikm, hashlib.sha256).digest()


def hkdf_expand(prk: bytes, info: bytes, length: int) -> bytes:
    # RFC 5869 2.3: T(i) = HMAC(PRK, T(i-1) | info | i).
    okm, t, i = b"", b"", 1
    while len(okm) < length:
        t = hmac.new(prk, t + info + bytes([i]), hashlib.sha256).digest()
        okm += t
        i += 1
    return okm[:length]


RFC5869_TC1 = dict(
    ikm=bytes.fromhex("0b" * 22),
    salt=bytes.fromhex("000102030405060708090a0b0c"),
    info=bytes.fromhex("f0f1f2f3f4f5f6f7f8f9"),
    l=42,
    prk=bytes.fromhex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"),
    okm=bytes.fromhex(
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
    ),
)
_prk = hkdf_extract(RFC5869_TC1["salt"], RFC5869_TC1["ikm"])
assert _prk == RFC5869_TC1["prk"]
assert hkdf_expand(_prk, RFC5869_TC1["info"], RFC5869_TC1["l"]) == RFC5869_TC1["okm"]


def normalise(answer: str) -> str:
    # Spaces dropped, every decimal digit (category Nd) read as ASCII.
    out = []
    for c in answer:
        if c.isspace():
            continue
        if unicodedata.category(c) == "Nd":
            c = str(unicodedata.decimal(c))
        out.append(c)
    return "".join(out)


def token(master: bytes, purpose: str, nonce: bytes, issued_at: int, ttl: int, answer: str):
    prk = hkdf_extract(b"", master)
    kid = hkdf_expand(prk, b"resetflow/token/v1/key-id", 4)
    k_mac = hkdf_expand(prk, b"resetflow/token/v1/mac/" + purpose.encode(), 32)
    k_answer = hkdf_expand(prk, b"resetflow/token/v1/answer/" + purpose.encode(), 32)
    expires = (issued_at + ttl).to_bytes(8, "big")
    tag2 = hmac.new(k_answer, nonce + expires + normalise(answer).encode(), hashlib.sha256).digest()
    tag1 = hmac.new(k_mac, b"\x01" + kid + nonce + expires + tag2, hashlib.sha256).digest()
    body = kid + nonce + expires + tag2 + tag1
    text = "v1." + base64.urlsafe_b64encode(body).decode().rstrip("=")
    return dict(prk=prk, kid=kid, k_mac=k_mac, k_answer=k_answer, tag2=tag2, tag1=tag1, token=text)


CASES = [
    dict(
        name="captcha-basic",
        master=bytes(range(32)),
        purpose="captcha",
        nonce=bytes(range(0xA0, 0xB0)),
        issued_at=1_700_000_000,
        ttl=300,
        answer="482913",
        accept=["482913", "48 29 13", "４８２９１３", "٤٨٢٩١٣", "४८२९१३", " 4\u30008 2 9 1 3 "],
        reject=["482914", "48291", "4829130", "482913a", "", "４８２９１４"],
    ),
    dict(
        name="reset-code-long-key",
        master=b"resetflow vector master secret, 64 bytes long, not for use!!!!!",
        purpose="reset-code",
        nonce=bytes.fromhex("00ff00ff00ff00ff00ff00ff00ff00ff"),
        issued_at=1_234_567_890,
        ttl=600,
        answer="0042",
        accept=["0042", "۰۰۴۲", "০০৪২"],
        reject=["42", "00042", "0O42"],
    ),
    dict(
        name="captcha-issued-wide",
        master=bytes([0x5A]) * 32,
        purpose="captcha",
        nonce=bytes(16),
        issued_at=0,
        ttl=1,
        answer="１２３ ４５６",
        accept=["123456", "१२३४५६"],
        reject=["１２３ ４５６７"],
    ),
    dict(
        name="letters-kept",
        master=bytes(range(100, 148)),
        purpose="captcha",
        nonce=bytes.fromhex("0123456789abcdeffedcba9876543210"),
        issued_at=4_000_000_000,
        ttl=86_400,
        answer="7a9",
        accept=["7a9", "７ a ٩"],
        reject=["7A9", "7９", "7ａ9"],
    ),
]


def main(out=sys.stdout):
    w = out.write
    w("# Challenge token test vectors, format v1.\n")
    w("# Produced by tests/vectors/token_v1.py (Python %s, standard library only:\n" % sys.version.split()[0])
    w("# hmac, hashlib, base64; HKDF-SHA256 written from RFC 5869 and checked there\n")
    w("# against RFC 5869 test case 1, which is also given below). Not produced by\n")
    w("# the Rust code under test. Bytes are hex; `answer` is the answer issued,\n")
    w("# `accept`/`reject` are answers typed at verification. Times are unix seconds.\n\n")
    tc = RFC5869_TC1
    w("[hkdf rfc5869-test-case-1]\n")
    for k in ("ikm", "salt", "info"):
        w("%s = %s\n" % (k, tc[k].hex()))
    w("l = %d\n" % tc["l"])
    w("prk = %s\nokm = %s\n\n" % (tc["prk"].hex(), tc["okm"].hex()))
    for c in CASES:
        t = token(c["master"], c["purpose"], c["nonce"], c["issued_at"], c["ttl"], c["answer"])
        w("[token %s]\n" % c["name"])
        w("master = %s\n" % c["master"].hex())
        w("purpose = %s\n" % c["purpose"])
        w("nonce = %s\n" % c["nonce"].hex())
        w("issued_at = %d\nttl = %d\nexpires_at = %d\n" % (c["issued_at"], c["ttl"], c["issued_at"] + c["ttl"]))
        w("answer = %s\n" % c["answer"])
        w("normalised = %s\n" % normalise(c["answer"]))
        for k in ("prk", "kid", "k_mac", "k_answer", "tag2", "tag1"):
            w("%s = %s\n" % (k, t[k].hex()))
        w("token = %s\n" % t["token"])
        for a in c["accept"]:
            w("accept = %s\n" % a)
        for a in c["reject"]:
            w("reject = %s\n" % a)
        w("\n")


if __name__ == "__main__":
    main()
