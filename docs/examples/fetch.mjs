// Keygate's main calls with fetch (Node 20+): create a key, call the API with it, verify it,
// rotate it, revoke it.
//   KEYGATE_URL    the tenant's base URL, e.g. http://acme.localhost:3000
//   KEYGATE_TOKEN  a credential that may manage keys, e.g. the owner token of `tenants:create --json`
// Each step prints one line: `<step>: <what came back>`.
import dns from 'node:dns';

const base = process.env.KEYGATE_URL;
const token = process.env.KEYGATE_TOKEN;
if (!base || !token) {
  console.error('set KEYGATE_URL (e.g. http://acme.localhost:3000) and KEYGATE_TOKEN');
  process.exit(2);
}

// *.localhost is loopback (RFC 6761), as curl and browsers know; Node asks DNS and fails. Only
// needed for local tenant hosts; @keygate/client does this for you.
const lookup = dns.lookup;
dns.lookup = (host, options, callback) => {
  if (typeof options === 'function') [callback, options] = [options, {}];
  if (!/(^|\.)localhost\.?$/i.test(host)) return lookup(host, options, callback);
  return options?.all
    ? callback(null, [{ address: '127.0.0.1', family: 4 }])
    : callback(null, '127.0.0.1', 4);
};

async function keygate(method, path, credential, body) {
  const response = await fetch(new URL(path, base), {
    method,
    headers: {
      authorization: `Bearer ${credential}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok)
    throw Object.assign(new Error(json?.message ?? response.statusText), {
      status: response.status,
      body: json,
    });
  return json;
}

// 1. Create a key (the plaintext `key` is in this answer only).
const created = await keygate('POST', '/api/v1/api-keys', token, {
  name: 'fetch example',
  scopes: ['keys:verify', 'api-keys:read'],
});
console.log(`create: ${created.id} ${created.prefix}`);

// 2. Call the API with it.
const me = await keygate('GET', '/api/v1/auth/me', created.key);
console.log(`call: ${me.key_id}`);

// 3. Verify a key presented to your service (here the key verifies itself; it holds keys:verify).
const verified = await keygate('POST', '/api/v1/keys/verify', created.key, {
  key: created.key,
  scopes: ['api-keys:read'],
});
console.log(`verify: ${verified.code}`);

// 4. Rotate it: a new key with the same settings; grace 0 retires the old one at once.
const rotated = await keygate('POST', `/api/v1/api-keys/${created.id}/rotate`, token, {
  grace_period_seconds: 0,
});
console.log(`rotate: ${rotated.id}`);

// 5. Revoke the new key; it stops working at once.
await keygate('POST', `/api/v1/api-keys/${rotated.id}/revoke`, token);
const status = await keygate('GET', '/api/v1/auth/me', rotated.key).then(
  () => 200,
  (error) => error.status,
);
console.log(`revoke: ${rotated.id} then ${status}`);
