import { DNS_LABEL } from '../core/common/dns-label';

export type HostTarget = { type: 'platform' } | { type: 'tenant'; slug: string } | { type: 'unknown' };

/**
 * `acme.localhost` under BASE_DOMAIN `localhost` → tenant `acme`; the bare base domain is the
 * platform API; anything else (other domains, IPs, nested labels) belongs to nobody.
 */
export function classifyHost(host: string, baseDomain: string): HostTarget {
  if (host === baseDomain) return { type: 'platform' };
  const suffix = `.${baseDomain}`;
  if (!host.endsWith(suffix)) return { type: 'unknown' };
  const label = host.slice(0, -suffix.length);
  return DNS_LABEL.test(label) ? { type: 'tenant', slug: label } : { type: 'unknown' };
}
