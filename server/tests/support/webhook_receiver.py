"""A real HTTP receiver of the SMS webhook, on a free loopback port.

    python3 webhook_receiver.py SECRET LOG_FILE [--fail-first N] [--tls CERT KEY]

Prints "READY <port>" once it listens. For every POST it checks the request
the way a gateway must, with Python's own `hmac`: the Resetflow-Timestamp
within 300 seconds of its clock, and Resetflow-Signature equal to
"v1=" + hex(HMAC-SHA256(SECRET, "<timestamp>.<raw body>")), compared in
constant time. A request that fails is answered 401. A valid one is answered
500 while --fail-first lasts (to exercise retries), else with the status
named by a path /status/NNN, else 200. Each request appends one JSON line to
LOG_FILE: {"status", "reason", "path", "headers" (names in lower case),
"body"}. With --tls it speaks HTTPS with that certificate.
"""

import hashlib
import hmac
import json
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE = 300


def main():
    secret = sys.argv[1].encode()
    log_file = sys.argv[2]
    fail_first = 0
    if "--fail-first" in sys.argv:
        fail_first = int(sys.argv[sys.argv.index("--fail-first") + 1])
    state = {"fail_left": fail_first}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            ts = self.headers.get("Resetflow-Timestamp", "")
            sig = self.headers.get("Resetflow-Signature", "")
            status, reason = 200, "accepted"
            if not ts.isdigit() or abs(time.time() - int(ts)) > TOLERANCE:
                status, reason = 401, "stale or missing timestamp"
            else:
                mac = hmac.new(secret, ts.encode() + b"." + body, hashlib.sha256)
                if not hmac.compare_digest("v1=" + mac.hexdigest(), sig):
                    status, reason = 401, "bad signature"
            with lock:
                if status == 200 and state["fail_left"] > 0:
                    state["fail_left"] -= 1
                    status, reason = 500, "failing on purpose"
                elif status == 200 and self.path.startswith("/status/"):
                    status = int(self.path.rsplit("/", 1)[1])
                    reason = "status asked by the path"
                try:
                    parsed = json.loads(body)
                except ValueError:
                    parsed = None
                with open(log_file, "a", encoding="utf-8") as f:
                    f.write(json.dumps({
                        "status": status,
                        "reason": reason,
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": parsed,
                    }, ensure_ascii=False) + "\n")
            answer = json.dumps({"result": reason}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if "--tls" in sys.argv:
        i = sys.argv.index("--tls")
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(sys.argv[i + 1], sys.argv[i + 2])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print(f"READY {server.server_address[1]}", flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # Runs until the test kills it, or its standard input closes.
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
