"""Schemathesis hooks for tools/schemathesis.sh: live flows instead of 404s.

Random flow ids only ever reach `flow.not_found`. Before most calls to a
`/flows/{id}...` operation this hook walks a fresh flow to the step that
operation expects (or, now and then, to another step) through the public
API and the dev outbox, and puts its id into the request; bodies that carry
a captcha answer, a channel, a code or a password get the real one (or a
good new password) about half of the time, so the success answers are checked against their schemas too.
Review decisions get a real pending review. The rest of each request stays
as schemathesis generated it, valid or not.

Environment (set by tools/schemathesis.sh):
  RESETFLOW_ADDR         host:port of the dev server
  RESETFLOW_ACCOUNTS     comma-separated `id:email:phone` of accounts added
  RESETFLOW_ADMIN_TOKEN  the admin bearer token
  SEED                   seed of the choices made here
"""

import itertools
import json
import os
import random
import threading
import time
import urllib.error
import urllib.request

import schemathesis

BASE = "http://" + os.environ["RESETFLOW_ADDR"]
PREFIX = "/api/recovery"
ADMIN = os.environ["RESETFLOW_ADMIN_TOKEN"]
# Each typed identifier has its own hourly budget of 5 sends, so every
# account gives three: its e-mail, its phone, its account ID.
_identities = []
for entry in os.environ["RESETFLOW_ACCOUNTS"].split(","):
    account_id, email, phone = entry.split(":")
    _identities += [(email, "email", email), (phone, "sms", phone), (account_id, "email", email)]
IDENTITIES = itertools.cycle(_identities)
UNKNOWN = (f"nobody{n}@example.org" for n in itertools.count())
SERIAL = itertools.count()
RNG = random.Random(int(os.environ.get("SEED", "0")))
# One setup at a time: codes are told apart by counting the outbox.
LOCK = threading.Lock()

STEPS = ["captcha", "channel", "code", "password", "review_pending"]
# The step each operation expects, by (method, path template).
WANTED = {
    ("GET", PREFIX + "/flows/{id}"): None,  # any
    ("GET", PREFIX + "/flows/{id}/captcha"): "captcha",
    ("POST", PREFIX + "/flows/{id}/captcha"): "captcha",
    ("POST", PREFIX + "/flows/{id}/code"): "channel",
    ("POST", PREFIX + "/flows/{id}/code/verify"): "code",
    ("POST", PREFIX + "/flows/{id}/password"): "password",
    ("POST", PREFIX + "/flows/{id}/review"): "channel",
}
BODY_KEY = {"captcha": "answer", "channel": "channel", "code": "code", "password": "password"}


class SetupError(Exception):
    pass


def call(method, path, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(BASE + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=10) as res:
            status, raw = res.status, res.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, None


def outbox():
    status, entries = call("GET", "/dev/outbox")
    if status != 200:
        raise SetupError(f"/dev/outbox answered {status}")
    return entries


def secrets(kind, to):
    return [e["secret"] for e in outbox() if e["kind"] == kind and e["to"] == to and e["secret"]]


def wait_for(fetch, what):
    for _ in range(500):
        found = fetch()
        if found is not None:
            return found
        time.sleep(0.01)
    raise SetupError(f"{what} never reached the dev outbox")


def flow_at(step):
    """A new flow at `step` (or as far as it got), with the secrets of its step."""
    known = step in ("code", "password") or RNG.random() < 0.75
    identifier, kind, address = next(IDENTITIES) if known else (next(UNKNOWN), "email", None)
    status, flow = call("POST", PREFIX + "/flows", {"identifier": identifier, "locale": RNG.choice(["en", "de", "zh"])})
    if status != 201:
        raise SetupError(f"start answered {status}: {flow}")
    fid = flow["id"]
    answer = wait_for(lambda: (secrets("captcha", fid) or [None])[-1], "the captcha answer")
    if step == "captcha":
        return fid, {"answer": answer}
    status, flow = call("POST", f"{PREFIX}/flows/{fid}/captcha", {"answer": answer})
    if status != 200:
        raise SetupError(f"captcha answered {status}: {flow}")
    channels = [c["id"] for c in flow["channels"]]
    chosen = next((c["id"] for c in flow["channels"] if c["kind"] == kind), channels[0])
    if step == "channel":
        return fid, {"channel": RNG.choice(channels)}
    if step == "review_pending":
        status, flow = call("POST", f"{PREFIX}/flows/{fid}/review",
                            {"contact": "helper@example.net", "message": "I lost my phone."})
        if status != 200:
            raise SetupError(f"review answered {status}: {flow}")
        return fid, {}
    before = len(secrets(kind, address))
    status, flow = call("POST", f"{PREFIX}/flows/{fid}/code", {"channel": chosen})
    if status == 429:
        # This identifier's hourly sends are spent: a flow at `channel` it is.
        return fid, {"channel": chosen}
    if status != 200:
        raise SetupError(f"send answered {status}: {flow}")
    code = wait_for(lambda: (lambda s: s[-1] if len(s) > before else None)(secrets(kind, address)), "the code")
    if step == "code":
        return fid, {"code": code, "channel": chosen}
    status, flow = call("POST", f"{PREFIX}/flows/{fid}/code/verify", {"code": code})
    if status != 200:
        # Another request sent this address a code meanwhile: stay at `code`.
        return fid, {"code": code}
    return fid, {"password": f"Quiet-Lantern-{next(SERIAL)}-Ridge"}


def pending_review():
    fid, _ = flow_at("review_pending")
    status, reviews = call("GET", "/api/admin/reviews?status=pending", token=ADMIN)
    if status != 200:
        raise SetupError(f"review list answered {status}")
    return next(r["id"] for r in reviews if r["flow_id"] == fid)


@schemathesis.hook
def before_call(context, case, **kwargs):
    key = (case.method.upper(), case.path)
    # A sixth of the calls keep what was generated (unknown or malformed ids).
    if RNG.random() < 1 / 6:
        return
    if key in WANTED:
        step = WANTED[key]
        if step is None or RNG.random() < 0.15:
            step = RNG.choice(STEPS)
        with LOCK:
            fid, known = flow_at(step)
        case.path_parameters["id"] = fid
        body_key = BODY_KEY.get(step)
        if (
            isinstance(case.body, dict)
            and body_key in case.body
            and body_key in known
            and RNG.random() < 0.5
        ):
            case.body[body_key] = known[body_key]
            if body_key == "password" and "confirm" in case.body:
                case.body["confirm"] = known[body_key]
    elif case.path.startswith("/api/admin/reviews/{review}"):
        with LOCK:
            case.path_parameters["review"] = pending_review()
