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

/**
 * The scopes allowed by both sets: a token's abilities within its user's permissions. Runs on
 * every request of a user token, so it stays linear in what it returns: `*` on either side is
 * the other side, and entries another entry covers are found by looking up the three scopes that
 * could cover them (`*`, `resource:*`, `*:action`), not by comparing every pair (which a tenant
 * with 200 custom scopes turned into seconds of CPU for everyone).
 *
 * Past MAX_PAIRS pairs (200 abilities like `rN:*` against 400 permissions like `*:aN` meet in
 * 80,000 scopes) it keeps only the entries of each side the other side covers whole: never more
 * than the exact answer, so a pathological token holds less, never more, and costs little.
 */
export const MAX_PAIRS = 2_500;

export function intersectScopes(a: readonly string[], b: readonly string[]): string[] {
  if (a.includes('*')) return withoutCovered(new Set(b));
  if (b.includes('*')) return withoutCovered(new Set(a));
  if (a.length * b.length > MAX_PAIRS) {
    const setA = new Set(a);
    const setB = new Set(b);
    return withoutCovered(
      new Set([...a.filter((x) => coveredBySet(setB, x)), ...b.filter((y) => coveredBySet(setA, y))]),
    );
  }
  const out = new Set<string>();
  for (const x of a) {
    for (const y of b) {
      const meet = meetOf(x, y);
      if (meet) out.add(meet);
    }
  }
  return withoutCovered(out);
}

/** `coveredByAny` in constant time: the only scopes that can cover `wanted` are looked up. */
function coveredBySet(set: ReadonlySet<string>, wanted: string): boolean {
  if (set.has('*') || set.has(wanted)) return true;
  const [resource, action] = split(wanted);
  if (action === '') return false;
  return (action !== '*' && set.has(`${resource}:*`)) || (resource !== '*' && set.has(`*:${action}`));
}

/** Drops entries that another entry covers, so `provided_scopes` stays readable. */
function withoutCovered(set: ReadonlySet<string>): string[] {
  if (set.has('*')) return ['*'];
  const kept: string[] = [];
  for (const scope of set) {
    const [resource, action] = split(scope);
    const covered =
      action !== '' &&
      ((action !== '*' && resource !== '*' && set.has(`${resource}:*`)) ||
        (resource !== '*' && action !== '*' && set.has(`*:${action}`)));
    if (!covered) kept.push(scope);
  }
  return kept.sort();
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
