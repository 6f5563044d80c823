/**
 * Keygate's wildcard rule (`*`, `reports:*`, `*:read`; a bare permission only by itself or `*`),
 * applied here to the scopes Keygate returned, so that one cached answer serves every route.
 */
export function covers(granted: string, wanted: string): boolean {
  if (granted === '*') return true;
  const [gr, ga] = split(granted);
  const [wr, wa] = split(wanted);
  if (wa === '' || ga === '') return granted === wanted;
  return (gr === '*' || gr === wr) && (ga === '*' || ga === wa);
}

function split(scope: string): [string, string] {
  const i = scope.indexOf(':');
  return i < 0 ? [scope, ''] : [scope.slice(0, i), scope.slice(i + 1)];
}

/** `Reports.Read` → `reports:read`, as Keygate stores scopes. */
export function normalizeScope(scope: string): string {
  const lower = scope.trim().toLowerCase();
  return lower.includes(':') ? lower : lower.replace('.', ':');
}
