#!/usr/bin/env sh
# Keygate's main calls with curl: create a key, call the API with it, verify it, rotate it, revoke it.
#   KEYGATE_URL    the tenant's base URL, e.g. http://acme.localhost:3000 (curl resolves *.localhost)
#   KEYGATE_TOKEN  a credential that may manage keys, e.g. the owner token of `tenants:create --json`
# Each step prints one line: `<step>: <what came back>`.
set -eu
: "${KEYGATE_URL:?set KEYGATE_URL, e.g. http://acme.localhost:3000}"
: "${KEYGATE_TOKEN:?set KEYGATE_TOKEN to a token that holds api-keys:*}"

# The first "name":"value" of a JSON body (no jq needed).
field() { printf '%s' "$1" | grep -o "\"$2\":\"[^\"]*\"" | head -n 1 | cut -d '"' -f 4; }

# 1. Create a key (the plaintext `key` is in this answer only).
created=$(curl -fsS -X POST "$KEYGATE_URL/api/v1/api-keys" \
  -H "Authorization: Bearer $KEYGATE_TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"curl example","scopes":["keys:verify","api-keys:read"]}')
id=$(field "$created" id)
key=$(field "$created" key)
echo "create: $id $(field "$created" prefix)"

# 2. Call the API with it (Bearer; `X-API-Key: $key` works too).
me=$(curl -fsS "$KEYGATE_URL/api/v1/auth/me" -H "X-API-Key: $key")
echo "call: $(field "$me" key_id)"

# 3. Verify a key presented to your service (here the key verifies itself; it holds keys:verify).
verified=$(curl -fsS -X POST "$KEYGATE_URL/api/v1/keys/verify" \
  -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d "{\"key\":\"$key\",\"scopes\":[\"api-keys:read\"]}")
echo "verify: $(field "$verified" code)"

# 4. Rotate it: a new key with the same settings; grace 0 retires the old one at once.
rotated=$(curl -fsS -X POST "$KEYGATE_URL/api/v1/api-keys/$id/rotate" \
  -H "Authorization: Bearer $KEYGATE_TOKEN" -H 'Content-Type: application/json' \
  -d '{"grace_period_seconds":0}')
new_id=$(field "$rotated" id)
new_key=$(field "$rotated" key)
echo "rotate: $new_id"

# 5. Revoke the new key; it stops working at once.
curl -fsS -o /dev/null -X POST "$KEYGATE_URL/api/v1/api-keys/$new_id/revoke" -H "Authorization: Bearer $KEYGATE_TOKEN"
status=$(curl -sS -o /dev/null -w '%{http_code}' "$KEYGATE_URL/api/v1/auth/me" -H "Authorization: Bearer $new_key")
echo "revoke: $new_id then $status"
