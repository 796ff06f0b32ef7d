"""Starts COUNT recovery flows on the server at URL and prints their ids,
one per line (for tools/bench/captcha.lua).

    python3 tools/bench/make_flows.py http://127.0.0.1:8080 1000 > ids.txt
"""
import http.client
import json
import sys
import urllib.parse

url, count = urllib.parse.urlparse(sys.argv[1]), int(sys.argv[2])
conn = http.client.HTTPConnection(url.hostname, url.port)
for n in range(count):
    body = json.dumps({"identifier": f"captcha{n}@example.com"})
    conn.request("POST", "/api/recovery/flows", body, {"Content-Type": "application/json"})
    res = conn.getresponse()
    data = res.read()
    if res.status != 201:
        sys.exit(f"flow start answered {res.status}: {data!r}")
    print(json.loads(data)["id"])
