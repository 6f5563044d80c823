import { loggablePath, plainlyHarmless } from './request-hygiene';
import { redactSecrets } from '../core/common/secret-redaction';

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

describe('plainlyHarmless (the fast path of loggablePath)', () => {
  /** A small seeded generator, so a failure names a path that fails again. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
  }
  const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  // Pieces near every edge of what redaction matches: typed prefixes, schemes, Sanctum ids,
  // runs just under and over the 16-character bound, and the separators a path may hold.
  const PIECES = [
    'sk_live_',
    'sk_test_',
    'ut_',
    'kgp_',
    'Bearer',
    'Basic',
    '12',
    '_',
    '/',
    '-',
    '.',
    '~',
    '+',
    '=',
    ':',
    '@',
    '!',
    ',',
    ';',
    '(',
    '"',
    "'",
  ];

  it('is true only where redaction would change nothing', () => {
    const next = random(20261207);
    let harmless = 0;
    let redacted = 0;
    for (let n = 0; n < 20_000; n++) {
      let path = '/api/v1/';
      const pieces = 1 + Math.floor(next() * 8);
      for (let p = 0; p < pieces; p++) {
        if (next() < 0.5) path += PIECES[Math.floor(next() * PIECES.length)];
        else {
          const length = 1 + Math.floor(next() * 24);
          for (let c = 0; c < length; c++) path += ALNUM[Math.floor(next() * ALNUM.length)];
        }
      }
      if (plainlyHarmless(path)) {
        harmless++;
        expect(redactSecrets(path)).toBe(path);
        expect(loggablePath(path)).toBe(path);
      } else if (redactSecrets(path) !== path) redacted++;
    }
    // Both sides were exercised: the check above is not vacuous.
    expect(harmless).toBeGreaterThan(2_000);
    expect(redacted).toBeGreaterThan(2_000);
  });

  it('sends to the full redaction whatever it cannot judge by looking', () => {
    for (const path of [
      '/a%5Fb',
      '/a b',
      '/a|b',
      '/a\u200bb',
      '/caf\u00e9',
      `/${'a'.repeat(16)}`,
      `/${'a_'.repeat(8)}`,
    ])
      expect(plainlyHarmless(path)).toBe(false);
    // The shortest run redaction matches: a typed prefix and 17 more (20 characters).
    expect(redactSecrets(`/ut_${'a'.repeat(17)}`)).not.toBe(`/ut_${'a'.repeat(17)}`);
    expect(plainlyHarmless(`/ut_${'a'.repeat(17)}`)).toBe(false);
    expect(plainlyHarmless(`/${'a'.repeat(15)}/${'b'.repeat(15)}`)).toBe(true);
    expect(plainlyHarmless('/api/v1/api-keys/6812fc29-85dd-47b3-8837-bc5b4857f49d')).toBe(true);
  });
});
