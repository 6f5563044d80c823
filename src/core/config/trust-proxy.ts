import * as ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';
import { ConfigError } from './config-error';

/**
 * Which proxies stand in front of us (TRUST_PROXY): none; a number of hops (`true` = 1: the
 * immediate peer is the proxy); or the proxies' own addresses and CIDR ranges.
 */
export type TrustProxy =
  | { mode: 'none' }
  | { mode: 'hops'; hops: number }
  | { mode: 'addresses'; ranges: ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>; source: string };

const EXPECTED =
  'false, true (one proxy hop), a hop count such as 2, or a comma list of proxy addresses and CIDR ranges';

export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = raw?.trim().toLowerCase() ?? '';
  if (['', 'false', 'no', 'off', '0'].includes(value)) return { mode: 'none' };
  if (['true', 'yes', 'on'].includes(value)) return { mode: 'hops', hops: 1 };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) throw new ConfigError('TRUST_PROXY', EXPECTED, value);
    return { mode: 'hops', hops };
  }
  const ranges = value.split(',').map((entry) => {
    const range = parseRange(entry.trim());
    if (!range) throw new ConfigError('TRUST_PROXY', EXPECTED, entry.trim());
    return range;
  });
  return { mode: 'addresses', ranges, source: value };
}

function parseRange(entry: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | null {
  const [address, bits] = entry.split('/');
  if (isIP(address) === 0 || address.includes('%')) return null;
  try {
    if (bits !== undefined) return ipaddr.parseCIDR(entry);
    const parsed = ipaddr.process(address);
    return [parsed, parsed.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return null;
  }
}

/** Is `ip` (already normalised) one of the trusted proxies? */
export function isTrustedProxy(trust: TrustProxy, ip: string): boolean {
  if (trust.mode !== 'addresses') return trust.mode === 'hops';
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.process(ip);
  } catch {
    return false;
  }
  return trust.ranges.some(
    ([range, bits]) => range.kind() === address.kind() && address.match([range, bits] as never),
  );
}
