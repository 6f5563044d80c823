"""Keygate's main calls from Python: create a key, call the API with it, verify it, rotate it,
revoke it. Uses `requests` when installed, else the standard library (urllib).

  KEYGATE_URL    the tenant's base URL, e.g. http://acme.localhost:3000
  KEYGATE_TOKEN  a credential that may manage keys, e.g. the owner token of `tenants:create --json`

Each step prints one line: `<step>: <what came back>`.
"""
import json
import os
import socket
import sys

BASE = os.environ.get("KEYGATE_URL", "").rstrip("/")
TOKEN = os.environ.get("KEYGATE_TOKEN", "")
if not BASE or not TOKEN:
    sys.exit("set KEYGATE_URL (e.g. http://acme.localhost:3000) and KEYGATE_TOKEN")

# *.localhost is loopback (RFC 6761), as curl and browsers know; the resolver here asks DNS.
_getaddrinfo = socket.getaddrinfo


def _loopback_getaddrinfo(host, *args, **kwargs):
    if isinstance(host, str) and (host == "localhost" or host.rstrip(".").endswith(".localhost")):
        host = "127.0.0.1"
    return _getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _loopback_getaddrinfo

try:
    import requests

    def keygate(method, path, credential, body=None):
        response = requests.request(
            method, BASE + path, json=body, headers={"Authorization": "Bearer " + credential}, timeout=10
        )
        return response.status_code, (response.json() if response.content else None)

except ImportError:
    import urllib.error
    import urllib.request

    def keygate(method, path, credential, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(BASE + path, data=data, method=method)
        request.add_header("Authorization", "Bearer " + credential)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                text = response.read()
                return response.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as error:
            text = error.read()
            return error.code, (json.loads(text) if text else None)


def ok(result):
    status, body = result
    if status >= 400:
        sys.exit("Keygate answered %d: %s" % (status, body))
    return body


# 1. Create a key (the plaintext `key` is in this answer only).
created = ok(keygate("POST", "/api/v1/api-keys", TOKEN, {"name": "python example", "scopes": ["keys:verify", "api-keys:read"]}))
print("create: %s %s" % (created["id"], created["prefix"]))

# 2. Call the API with it.
me = ok(keygate("GET", "/api/v1/auth/me", created["key"]))
print("call: %s" % me["key_id"])

# 3. Verify a key presented to your service (here the key verifies itself; it holds keys:verify).
verified = ok(keygate("POST", "/api/v1/keys/verify", created["key"], {"key": created["key"], "scopes": ["api-keys:read"]}))
print("verify: %s" % verified["code"])

# 4. Rotate it: a new key with the same settings; grace 0 retires the old one at once.
rotated = ok(keygate("POST", "/api/v1/api-keys/%s/rotate" % created["id"], TOKEN, {"grace_period_seconds": 0}))
print("rotate: %s" % rotated["id"])

# 5. Revoke the new key; it stops working at once.
ok(keygate("POST", "/api/v1/api-keys/%s/revoke" % rotated["id"], TOKEN, {}))
status, _ = keygate("GET", "/api/v1/auth/me", rotated["key"])
print("revoke: %s then %d" % (rotated["id"], status))
