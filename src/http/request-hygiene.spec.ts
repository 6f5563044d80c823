import { loggablePath } from './request-hygiene';

const HEX64 = 'a3f1'.repeat(16);
const SANCTUM = '12|Abcdefghij0123456789ABCDEFGHIJabcdefghij';

describe('loggablePath', () => {
  it('redacts keys of every format in logged paths, escaped or not', () => {
    expect(loggablePath(`/api/v1/x/${HEX64}?q=1`)).toBe('/api/v1/x/[redacted]');
    expect(loggablePath(`/api/v1/x/${SANCTUM.replace('|', '%7C')}`)).toBe('/api/v1/x/[redacted]');
    expect(loggablePath(`/api/v1/x/%E0%A4%A/${SANCTUM.replace('|', '%7C')}`)).toBe(
      '/api/v1/x/%E0%A4%A/[redacted]',
    );
    expect(loggablePath('/api/v1/api-keys/6812fc29-85dd-47b3-8837-bc5b4857f49d')).toBe(
      '/api/v1/api-keys/6812fc29-85dd-47b3-8837-bc5b4857f49d',
    );
  });

  it('sees an escaped key even when another escape in the path is broken (found by an attack pass)', () => {
    const key = `sk_live_${'A'.repeat(16)}_${'b'.repeat(38)}`;
    const escaped = key.replace(/_/g, '%5F');
    const kept = `sk_live_${'A'.repeat(16)}_[redacted]`; // the public prefix stays, as in every log line
    expect(loggablePath(`/api/v1/api-keys/%zz/${escaped}`)).toBe(`/api/v1/api-keys/%zz/${kept}`);
    expect(loggablePath(`/api/v1/api-keys/${escaped}%`)).toBe(`/api/v1/api-keys/[redacted]`);
    // Escaped twice, cut from its prefix, or split by a byte a path may hold.
    expect(loggablePath(`/api/v1/api-keys/${key.replace(/_/g, '%255F')}`)).toBe(`/api/v1/api-keys/${kept}`);
    expect(loggablePath(`/api/v1/x/${'A'.repeat(16)}_${'b'.repeat(38)}`)).toBe('/api/v1/x/[redacted]');
    // Escaped deeper than the decoding goes (each level escapes the last one's `%`): the run goes whole.
    let deep = key.replace(/./g, (c) => `%${c.charCodeAt(0).toString(16)}`);
    for (let level = 1; level < 12; level++) {
      expect(loggablePath(`/api/v1/api-keys/${deep}`)).toMatch(
        /^\/api\/v1\/api-keys\/(sk_live_A{16}_)?\[redacted\]$/,
      );
      deep = deep.replace(/%/g, '%25');
    }
    expect(loggablePath('/api/v1/files/100%25done')).toBe('/api/v1/files/100%done');
    // A separator pasted into the secret does not let its tail through (found by an attack pass).
    for (const separator of ['-', '.', '/', ';', ',', '%5'])
      expect(loggablePath(`/x/${key.slice(0, -19)}${separator}${key.slice(-19)}`)).toBe(`/x/${kept}`);
    expect(loggablePath(`/api/v1/x/sk_live_${'A'.repeat(16)}%00_${'b'.repeat(38)}`)).not.toContain(
      'bbbbbbbb',
    );
    expect(loggablePath(`/api/v1/x/sk_live_${'A'.repeat(16)}/${'b'.repeat(38)}`)).not.toContain('bbbbbbbb');
  });

  it('leaves words that merely contain a short prefix alone', () => {
    expect(loggablePath('/api/v1/layout_settings/about_us/logout_all')).toBe(
      '/api/v1/layout_settings/about_us/logout_all',
    );
    expect(loggablePath(`/x/ut_${'a'.repeat(16)}_${'b'.repeat(38)}`)).toBe(
      `/x/ut_${'a'.repeat(16)}_[redacted]`,
    );
  });

  it('sees a key split by an invisible character or a control byte (found by an attack pass)', () => {
    for (const split of ['%E2%80%8B', '%00', '%09', '%C2%AD'])
      expect(
        loggablePath(
          `/api/v1/x/sk_live_ABCDEFGH${split}IJKLMNOP_abcdefghijklmnopqrs${split}tuvwxyz0123456789XY`,
        ),
      ).toBe('/api/v1/x/sk_live_ABCDEFGHIJKLMNOP_[redacted]');
  });
});
