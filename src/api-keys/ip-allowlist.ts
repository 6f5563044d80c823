import * as ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

/** Parses and matches IP allowlists (IPs and CIDR ranges, IPv4 and IPv6) with ipaddr.js. */
export type IpRange = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Canonical form of one entry (`10.0.0.0/8`, `2001:db8::/32`, `192.168.1.7`), or null if invalid. */
export function normalizeAllowlistEntry(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > 64) return null;
  const entry = raw.trim();
  try {
    // Strict dotted-quad / RFC 4291 forms only: ipaddr.js also takes legacy `1.2.3`, a trap here.
    // No IPv6 zone ids (`fe80::1%eth0`): a zone names an interface of the sender, not an address.
    if (entry.includes('%') || isIP(entry.split('/')[0]) === 0) return null;
    if (entry.includes('/')) {
      const [address, bits] = ipaddr.parseCIDR(entry);
      const host = unmap(address);
      const prefix = host.kind() !== address.kind() ? bits - 96 : bits;
      if (prefix < 0) return null;
      return `${networkAddress(host, prefix)}/${prefix}`;
    }
    return unmap(ipaddr.parse(entry)).toString();
  } catch {
    return null;
  }
}

export function compileAllowlist(entries: readonly string[]): IpRange[] {
  return entries.map((entry) => {
    if (entry.includes('/')) return ipaddr.parseCIDR(entry);
    const address = ipaddr.parse(entry);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  });
}

/** Empty allowlist = everyone. IPv4-mapped IPv6 clients match IPv4 rules. */
export function ipAllowed(ranges: readonly IpRange[], ip: string): boolean {
  if (ranges.length === 0) return true;
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = unmap(ipaddr.parse(ip));
  } catch {
    return false;
  }
  return ranges.some(
    ([range, bits]) => range.kind() === address.kind() && address.match([range, bits] as never),
  );
}

function unmap(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

function networkAddress(address: ipaddr.IPv4 | ipaddr.IPv6, bits: number): string {
  return address.kind() === 'ipv4'
    ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`).toString()
    : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${bits}`).toString();
}

/**
 * Is every address `inner` allows also allowed by `outer`? An empty list allows everywhere, so
 * only an empty `outer` contains an empty `inner`. Entries are canonical (as stored).
 */
export function allowlistWithin(inner: readonly string[], outer: readonly string[]): boolean {
  if (outer.length === 0) return true;
  if (inner.length === 0) return false;
  const ranges = compileAllowlist(outer);
  return compileAllowlist(inner).every(([address, bits]) =>
    ranges.some(
      ([range, rangeBits]) =>
        range.kind() === address.kind() && bits >= rangeBits && address.match([range, rangeBits] as never),
    ),
  );
}
