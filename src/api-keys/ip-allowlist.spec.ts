import { compileAllowlist, ipAllowed, normalizeAllowlistEntry } from './ip-allowlist';

describe('ip allowlist', () => {
  it('normalises IPs and CIDR ranges and refuses garbage', () => {
    expect(normalizeAllowlistEntry('10.1.2.3/8')).toBe('10.0.0.0/8');
    expect(normalizeAllowlistEntry('2001:DB8::1/32')).toBe('2001:db8::/32');
    expect(normalizeAllowlistEntry('::ffff:192.168.1.7')).toBe('192.168.1.7');
    for (const bad of [
      '10.0.0.0/33',
      'localhost',
      '1.2.3',
      '',
      7,
      '10.0.0.1/',
      'fe80::1%eth0',
      'fe80::%25lo/64',
    ]) {
      expect(normalizeAllowlistEntry(bad)).toBeNull();
    }
  });

  it('matches IPv4, IPv6 and IPv4-mapped IPv6 clients', () => {
    const ranges = compileAllowlist(['10.0.0.0/8', '2001:db8::/32', '192.168.1.7']);
    expect(ipAllowed(ranges, '10.9.9.9')).toBe(true);
    expect(ipAllowed(ranges, '::ffff:10.9.9.9')).toBe(true);
    expect(ipAllowed(ranges, '2001:db8:1::5')).toBe(true);
    expect(ipAllowed(ranges, '192.168.1.7')).toBe(true);
    expect(ipAllowed(ranges, '192.168.1.8')).toBe(false);
    expect(ipAllowed(ranges, '2001:db9::1')).toBe(false);
    expect(ipAllowed([], '8.8.8.8')).toBe(true);
  });
});
