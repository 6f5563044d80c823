import { legacyCandidates, legacyDisplayPrefix, legacyKeyId } from './legacy-shapes';

const HEX = 'ab12'.repeat(16);

describe('legacyCandidates', () => {
  it('finds nothing for a tenant without imports, whatever the value', () => {
    for (const value of ['7|abcdef', HEX, `sk_live_${'a'.repeat(32)}`])
      expect(legacyCandidates(value, null, {})).toEqual([]);
    expect(legacyCandidates('ff'.repeat(80), 'client-1', {})).toEqual([]);
  });

  it('reads each format only where the tenant imported it', () => {
    expect(legacyCandidates('7|abcdef', null, { sanctum: {} })).toEqual([{ format: 'sanctum', lookup: '7' }]);
    expect(legacyCandidates('7|abcdef', null, { 'hex-bcrypt': { prefixLengths: [8] } })).toEqual([]);
    expect(legacyCandidates(HEX, null, { 'hex-bcrypt': { prefixLengths: [8, 12] } })).toEqual([
      { format: 'hex-bcrypt', lookup: HEX.slice(0, 8) },
      { format: 'hex-bcrypt', lookup: HEX.slice(0, 12) },
    ]);
    const old = `sk_test_${'Q'.repeat(32)}`;
    expect(legacyCandidates(old, null, { 'prefixed-bcrypt': { prefixLengths: [16] } })).toEqual([
      { format: 'prefixed-bcrypt', lookup: old.slice(0, 16) },
    ]);
  });

  it('takes a Voltis token only beside a ClientID, and nothing else beside one', () => {
    const formats = { voltis: { sealedKey: 'v1.x' }, sanctum: {} };
    expect(legacyCandidates('ff'.repeat(80), 'client-1', formats)).toEqual([
      { format: 'voltis', lookup: 'client-1' },
    ]);
    expect(legacyCandidates('ff'.repeat(80), null, formats)).toEqual([]);
    expect(legacyCandidates('7|abcdef', 'client-1', formats)).toEqual([]);
  });

  it('refuses shapes that are not the old systems’', () => {
    const formats = {
      sanctum: {},
      'hex-bcrypt': { prefixLengths: [8] },
      'prefixed-bcrypt': { prefixLengths: [16] },
    };
    for (const value of [
      'x|abc',
      '7|',
      HEX.slice(1),
      `${HEX}0`,
      'sk_live_short',
      `sk_live_${'a'.repeat(16)}_${'b'.repeat(38)}`,
    ])
      expect(legacyCandidates(value, null, formats)).toEqual([]);
  });
});

describe('legacyKeyId', () => {
  it('is 32 characters, never a native key id, and differs between tenants and formats', () => {
    const a = legacyKeyId('ten_a', { format: 'sanctum', lookup: '7' });
    expect(a).toMatch(/^lg[0-9a-f]{30}$/);
    expect(legacyKeyId('ten_b', { format: 'sanctum', lookup: '7' })).not.toBe(a);
    expect(legacyKeyId('ten_a', { format: 'voltis', lookup: '7' })).not.toBe(a);
    expect(legacyKeyId('ten_a', { format: 'sanctum', lookup: '7' })).toBe(a);
  });

  it('shows what the old system showed', () => {
    expect(legacyDisplayPrefix({ format: 'sanctum', lookup: '7' })).toBe('7|');
    expect(legacyDisplayPrefix({ format: 'voltis', lookup: 'c1' })).toBe('voltis:c1');
    expect(legacyDisplayPrefix({ format: 'hex-bcrypt', lookup: 'ab12ab12' })).toBe('ab12ab12');
  });
});
