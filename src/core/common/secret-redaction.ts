/**
 * Keys and credentials must never reach a log line or an error body, even when a caller puts one
 * where it does not belong (a key pasted as a scope name, a token in a request id). Everything
 * that writes free text a caller could have influenced passes it through here.
 */

/**
 * In free text: a whole key (its public prefix is kept, the rest goes), anything else shaped like
 * a key beyond a bare prefix, a key without its type prefix, a Bearer or Basic value (of a
 * credential's length: "Basic plan" is prose), and the
 * imported formats' credentials (a Sanctum `id|secret`, 32 or more hex characters in a row).
 */
const SECRET_LIKE =
  /\b((?:sk_live|sk_test|ut|kgp)_[A-Za-z0-9]{16})_[A-Za-z0-9_]+|(?:sk_live|sk_test|ut|kgp)_[A-Za-z0-9_]{17,}|[A-Za-z0-9]{16}_[A-Za-z0-9]{38}|\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=|-]{8,}|\b\d+\|[A-Za-z0-9]{20,}|[0-9a-f]{32,}/gi;

/** `text` with every key and credential value in it replaced. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_LIKE, (match, prefix: string | undefined, scheme: string | undefined) =>
    prefix ? `${prefix}_[redacted]` : scheme ? `${scheme} [redacted]` : '[redacted]',
  );
}

/** The same, through every string of a JSON-like value (a 422's `errors` map). */
export function redactSecretsDeep<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactSecretsDeep(item)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        redactSecrets(k),
        redactSecretsDeep(v),
      ]),
    ) as T;
  return value;
}
