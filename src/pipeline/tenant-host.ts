export type HostTarget = { type: 'platform' } | { type: 'tenant'; slug: string } | { type: 'unknown' };

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * `acme.localhost` under BASE_DOMAIN `localhost` → tenant `acme`; the bare base domain is the
 * platform API; anything else (other domains, IPs, nested labels) belongs to nobody.
 */
export function classifyHost(host: string, baseDomain: string): HostTarget {
  if (host === baseDomain) return { type: 'platform' };
  const suffix = `.${baseDomain}`;
  if (!host.endsWith(suffix)) return { type: 'unknown' };
  const label = host.slice(0, -suffix.length);
  return LABEL.test(label) ? { type: 'tenant', slug: label } : { type: 'unknown' };
}
