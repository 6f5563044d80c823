/**
 * Scope strings: `resource:action`, with `*` for either part (`*`, `invoices:*`, `*:read`).
 * A bare name without a colon (`view_all_locations`) is a permission that only `*` covers.
 */
const PART = /^(\*|[a-z0-9][a-z0-9_-]{0,62})$/;

/** `Invoices.Create` → `invoices:create`; `*` → `*`. Returns null for anything malformed. */
export function normalizeScope(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const trimmed = raw.trim().toLowerCase();
  if (trimmed === '*' || trimmed === '*:*') return '*';
  const colon = trimmed.includes(':') ? trimmed : trimmed.replace('.', ':');
  const parts = colon.split(':');
  if (parts.length === 1) return PART.test(parts[0]) && parts[0] !== '*' ? parts[0] : null;
  if (parts.length !== 2 || !PART.test(parts[0]) || !PART.test(parts[1])) return null;
  return colon;
}

function split(scope: string): [string, string] {
  if (scope === '*') return ['*', '*'];
  const i = scope.indexOf(':');
  return i < 0 ? [scope, ''] : [scope.slice(0, i), scope.slice(i + 1)];
}

/** True when holding `granted` is enough for `wanted` (each part is `*` or equal). */
export function covers(granted: string, wanted: string): boolean {
  if (granted === '*') return true;
  const [gr, ga] = split(granted);
  const [wr, wa] = split(wanted);
  // A bare permission (`view_all_locations`) is covered by itself or `*`, never by `x:*`.
  if (wa === '' || ga === '') return granted === wanted;
  return (gr === '*' || gr === wr) && (ga === '*' || ga === wa);
}

export function coveredByAny(granted: readonly string[], wanted: string): boolean {
  return granted.some((g) => covers(g, wanted));
}

/** The scopes allowed by both sets: a token's abilities within its user's permissions. */
export function intersectScopes(a: readonly string[], b: readonly string[]): string[] {
  const out = new Set<string>();
  for (const x of a) {
    for (const y of b) {
      const meet = meetOf(x, y);
      if (meet) out.add(meet);
    }
  }
  // Drop entries that another entry already covers, so `provided_scopes` stays readable.
  const all = [...out];
  return all.filter((s) => !all.some((o) => o !== s && covers(o, s))).sort();
}

function meetOf(x: string, y: string): string | null {
  if (covers(x, y)) return y;
  if (covers(y, x)) return x;
  const [xr, xa] = split(x);
  const [yr, ya] = split(y);
  if (xa === '' || ya === '') return null;
  const resource = xr === '*' ? yr : yr === '*' ? xr : xr === yr ? xr : null;
  const action = xa === '*' ? ya : ya === '*' ? xa : xa === ya ? xa : null;
  return resource && action ? `${resource}:${action}` : null;
}
