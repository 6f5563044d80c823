import { loggablePath, plainlyHarmless, redactedPath } from './request-hygiene';
import { redactSecrets } from '../core/common/secret-redaction';

const HEX64 = 'a3f1'.repeat(16);
const SANCTUM = '12|Abcdefghij0123456789ABCDEFGHIJabcdefghij';

describe('loggablePath', () => {
  it('redacts keys of every format in logged paths, escaped or not', () => {
    expect(loggablePath(`/api/v1/x/${HEX64}?q=1`)).toBe('/api/v1/x/[redacted]');
    expect(loggablePath(`/api/v1/x/${SANCTUM.replace('|', '%7C')}`)).toBe('/api/v1/x/[redacted]');
    expect(loggablePath(`/api/v1/x/%E0%A4%A/${SANCTUM.replace('|', '%7C')}`)).toBe('/api/v1/x/%A/[redacted]');
    expect(loggablePath('/api/v1/api-keys/6812fc29-85dd-47b3-8837-bc5b4857f49d')).toBe(
      '/api/v1/api-keys/6812fc29-85dd-47b3-8837-bc5b4857f49d',
    );
  });

  it('sees an escaped key even when another escape in the path is broken (found by an attack pass)', () => {
    const key = `sk_live_${'A'.repeat(16)}_${'b'.repeat(38)}`;
    const escaped = key.replace(/_/g, '%5F');
    const kept = `sk_live_${'A'.repeat(16)}_[redacted]`; // the public prefix stays, as in every log line
    expect(loggablePath(`/api/v1/api-keys/%zz/${escaped}`)).toBe(`/api/v1/api-keys/%zz/${kept}`);
    expect(loggablePath(`/api/v1/api-keys/${escaped}%`)).toBe(`/api/v1/api-keys/${kept}`);
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

describe('loggablePath against the second attack pass', () => {
  const base62 = (n: number, seed = 7) =>
    Array.from(
      { length: n },
      (_, i) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[(i * 31 + seed) % 62],
    ).join('');
  const keys = {
    native: `sk_live_${base62(16)}_${base62(38, 3)}`,
    user: `ut_${base62(16)}_${base62(38, 5)}`,
    platform: `kgp_${base62(16)}_${base62(38, 9)}`,
    sanctum: `42|${base62(40)}`,
    hex64: 'a3f1'.repeat(16),
    voltis: '0f9e'.repeat(40),
    oldSk: `sk_live_${base62(16, 11)}`,
    unkey: `uk_${base62(22, 13)}`,
  };
  /** Every secret character of `key` (all but a native key's public prefix) is absent from `out`. */
  const hidden = (key: string, out: string) => {
    const secret = /^(sk_live|sk_test|ut|kgp)_[A-Za-z0-9]{16}_/.test(key)
      ? key.slice(key.lastIndexOf('_') + 1)
      : key;
    // No 8 characters of the secret in a row survive, wherever they are.
    for (let i = 0; i + 8 <= secret.length; i++) expect(out).not.toContain(secret.slice(i, i + 8));
  };
  const split = (key: string, every: number, by: string) =>
    key.match(new RegExp(`.{1,${every}}`, 'g'))!.join(by);

  it('sees through escaped invisible characters, escaped once, twice or three times, and beside a broken escape', () => {
    const separators = [
      '%E2%80%8B',
      '%25E2%2580%258B',
      '%2525E2%252580%25258B',
      '%2500',
      '%25C2%25AD',
      '%25EF%25BB%25BF',
    ];
    for (const key of Object.values(keys))
      for (const by of separators) {
        hidden(key, loggablePath(`/v1/${split(key, 12, by)}`));
        hidden(key, loggablePath(`/%FF/v1/${split(key, 12, by)}`));
      }
  });

  it("lets no tail of a key's secret through after a character that ends a word", () => {
    for (const by of ['&', "'", '"', '#', '%3F', '%20', '%26', '%27', ' '])
      for (const key of [keys.native, keys.user, keys.platform]) {
        const out = loggablePath(`/v1/${key.slice(0, 26)}${by}${key.slice(26, 40)}${by}${key.slice(40)}`);
        hidden(key, out);
        expect(out).toContain(`${key.slice(0, key.lastIndexOf('_'))}_[redacted]`);
      }
  });

  it('redacts short and dashed credentials: 16-character old keys, short Sanctum secrets, session cookies, typed tokens', () => {
    // A typed prefix and 16 takes the rest of the path with it (the key's `_` may have become a `/`).
    expect(loggablePath(`/v1/${keys.oldSk}/x`)).toBe('/v1/[redacted]');
    for (const key of [`7|${base62(8)}`, keys.unkey, 'Qk3-9xZ_aB7cD2eF-gH4iJ6kL8mN0pQ1rS3tU5vW7x'])
      expect(loggablePath(`/v1/${key}/x`)).toBe('/v1/[redacted]/x');
    // Our own ids (a prefix and a ULID) and UUIDs stay readable.
    const id = '6812fc29-85dd-47b3-8837-bc5b4857f49d';
    expect(loggablePath(`/api/v1/workspaces/${id}/api-keys/${id}`)).toBe(
      `/api/v1/workspaces/${id}/api-keys/${id}`,
    );
    const ours = '/api/v1/workspaces/ws_01M98GWVWAS7MKJF0RYXRGA1CH/api-keys/key_01M98GWVWAG6KDFSEMEHM0VSSF';
    expect(loggablePath(ours)).toBe(ours);
  });

  it('sees through invisible characters written as HTML entities, backslash escapes or quoted-printable', () => {
    for (const by of [
      '&#8203;',
      '&#x200B;',
      '&ZeroWidthSpace;',
      '&shy;',
      '\\u200b',
      '\\xE2\\x80\\x8B',
      '=E2=80=8B',
      '%26%238203%3B',
    ])
      for (const key of Object.values(keys)) hidden(key, loggablePath(`/api/v1/${split(key, 12, by)}`));
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
    '&#8203;',
    '\\u200b',
    '=E2',
    '&',
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

  it('is true only where the full work would change nothing', () => {
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
        expect(redactedPath(path)).toBe(path);
      } else if (redactedPath(path) !== path) redacted++;
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
    // A UUID is a dashed run of 36: the full work looks at it, and keeps it.
    expect(plainlyHarmless('/api/v1/api-keys/6812fc29-85dd-47b3-8837-bc5b4857f49d')).toBe(false);
    expect(plainlyHarmless('/api/v1/api-keys/6812fc29-85dd/47b3-8837-bc5b4857f49d')).toBe(true);
  });
});
