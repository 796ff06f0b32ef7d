"""A real SMTP server for the delivery tests (aiosmtpd), on a free loopback port.

    python3 smtp_sink.py OUT_DIR [--starttls CERT KEY] [--implicit-tls CERT KEY]
                         [--auth USER:PASSWORD] [--reject-rcpt]

Prints "READY <port>" once it accepts connections. Each message received is
saved as OUT_DIR/<n>.eml (the raw bytes) and OUT_DIR/<n>.json: the envelope,
whether the session was encrypted, the login used, and the message parsed by
Python's own `email` package (headers, and each MIME part decoded), so the
tests check what a mail client would see, independently of the sender's
library. With --starttls, STARTTLS is required before MAIL; with --auth, a
login with exactly USER:PASSWORD is required (over TLS only). With
--reject-rcpt every recipient gets "550 5.1.1 mailbox unavailable".
"""

import argparse
import logging
import json
import os
import socket
import ssl
import sys
import threading
import time
from email import policy
from email.parser import BytesParser

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, out_dir, reject_rcpt):
        self.out_dir = out_dir
        self.reject_rcpt = reject_rcpt
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject_rcpt:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        parts = []
        for part in msg.walk():
            if part.is_multipart():
                continue
            parts.append({
                "content_type": part.get_content_type(),
                "charset": part.get_content_charset(),
                "transfer_encoding": part.get("Content-Transfer-Encoding"),
                "body": part.get_content(),
            })
        login = session.auth_data
        login = login.login.decode() if isinstance(login, LoginPassword) else None
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": (session.ssl is not None
                    or server.transport.get_extra_info("ssl_object") is not None),
            "login": login,
            "headers": {k: str(v) for k, v in msg.items()},
            "content_type": msg.get_content_type(),
            "parts": parts,
        }
        with self.lock:
            self.count += 1
            n = self.count
        with open(os.path.join(self.out_dir, f"{n}.eml"), "wb") as f:
            f.write(raw)
        tmp = os.path.join(self.out_dir, f"{n}.json.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.replace(tmp, os.path.join(self.out_dir, f"{n}.json"))
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out_dir")
    p.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--implicit-tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--auth")
    p.add_argument("--reject-rcpt", action="store_true")
    a = p.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    kwargs = {}
    if a.starttls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(*a.starttls)
        kwargs.update(tls_context=ctx, require_starttls=True)
    if a.auth:
        user, password = a.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login.decode() == user
                  and auth_data.password.decode() == password)
            return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=True)
    ssl_context = None
    if a.implicit_tls:
        ssl_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ssl_context.load_cert_chain(*a.implicit_tls)

    handler = Sink(a.out_dir, a.reject_rcpt)
    for _ in range(20):
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port,
                                ssl_context=ssl_context, server_hostname="localhost",
                                ready_timeout=10, **kwargs)
        try:
            controller.start()
            break
        except OSError:
            time.sleep(0.1)
    else:
        sys.exit("no free port")
    print(f"READY {port}", flush=True)
    try:
        # Runs until the test kills it, or its standard input closes.
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
