import { redactSecrets } from './secret-redaction';

const HEX64 = 'a3f1'.repeat(16);
const SANCTUM = '12|Abcdefghij0123456789ABCDEFGHIJabcdefghij';

describe('secret redaction', () => {
  it('keeps a native key’s public prefix only', () => {
    const key = `sk_live_${'A'.repeat(16)}_${'b'.repeat(38)}`;
    expect(redactSecrets(`key=${key} end`)).toBe(`key=sk_live_${'A'.repeat(16)}_[redacted] end`);
  });

  it('redacts imported credentials: Sanctum id|secret and long hex', () => {
    expect(redactSecrets(`token ${SANCTUM} and ${HEX64}`)).toBe('token [redacted] and [redacted]');
    expect(redactSecrets('a uuid 6812fc29-85dd-47b3-8837-bc5b4857f49d stays')).toContain('6812fc29-85dd');
  });

  it('redacts Bearer and Basic values, not prose that starts with the word', () => {
    expect(redactSecrets('header Bearer abcdefgh12345678 sent')).toBe('header Bearer [redacted] sent');
    expect(redactSecrets('Basic dXNlcjpwYXNzd29yZA==')).toBe('Basic [redacted]');
    expect(redactSecrets('the Basic plan is free')).toBe('the Basic plan is free');
  });

  it('redacts keys a caller escaped, once or twice (a scope name quoted in a 422)', () => {
    const key = `sk_live_${'A'.repeat(16)}_${'b'.repeat(38)}`;
    for (const escaped of [key.replace(/_/g, '%5F'), key.replace(/_/g, '%255F')]) {
      const out = redactSecrets(`"${escaped}" is not a scope (resource:action)`);
      expect(out).toBe('"[redacted]" is not a scope (resource:action)');
    }
    expect(redactSecrets('100%25 of reports:read')).toBe('100%25 of reports:read');
  });

  it('sees a key with invisible characters pasted into it (found by an attack pass)', () => {
    const split = `sk_live_ABCDEFGH\u200bIJKLMNOP_abcdefghijklmnopqrs\u00adtuvwxyz0123456789XY`;
    expect(redactSecrets(`"${split}" is not a scope`)).toBe(
      // The closing quote goes with the secret: anything up to whitespace may be part of it.
      '"sk_live_ABCDEFGHIJKLMNOP_[redacted] is not a scope',
    );
    expect(redactSecrets(`a\u0000b ${split.replace('\u200b', '\u0000')}`)).not.toContain('tuvwxyz');
    expect(redactSecrets('line one\nline two\tand a tab')).toBe('line one\nline two\tand a tab');
  });

  it('holds against the second attack pass: other invisible characters, quotes in a secret, cookies', () => {
    const id = 'BfJoB19y0O4GG5sE';
    const secret = 'qtWC0EJ72GXoLGx0eDCDafXSVcyuJBp61lrZh9';
    const key = `sk_live_${id}_${secret}`;
    const pieces = (out: string) => {
      for (let i = 0; i + 8 <= secret.length; i++) expect(out).not.toContain(secret.slice(i, i + 8));
    };
    // Direction isolates and marks, variation selectors, the grapheme joiner, tags, fillers.
    for (const invisible of [
      '\u2066',
      '\u202e',
      '\ufe0f',
      '\u034f',
      '\u{e0041}',
      '\u3164',
      '\u180e',
      '\u061c',
    ])
      pieces(
        redactSecrets(
          `bad key sk_live_${id}${invisible}_${secret.slice(0, 19)}${invisible}${secret.slice(19)}`,
        ),
      );
    // The same written out as entities, escapes or quoted-printable bytes; visible ones kept.
    for (const written of [
      '&#8203;',
      '&#x200B;',
      '&ZeroWidthSpace;',
      '&shy;',
      '\\u200b',
      '\\u{200B}',
      '\\xE2\\x80\\x8B',
      '=E2=80=8B',
    ])
      pieces(
        redactSecrets(`bad key sk_live_${id}${written}_${secret.slice(0, 19)}${written}${secret.slice(19)}`),
      );
    expect(redactSecrets('fish &amp; chips &#233; \\u00e9 =C3=A9 a=b')).toBe(
      'fish &amp; chips &#233; \\u00e9 =C3=A9 a=b',
    );
    // Quotes and query characters pasted into the secret: nothing of it is left to a checksum.
    for (const by of ['"', "'", '&', '?', '#'])
      pieces(
        redactSecrets(
          `scope "sk_live_${id}_${secret[0]}${by}${secret.slice(1, 19)}${by}${secret.slice(19)}" is unknown`,
        ),
      );
    expect(redactSecrets(`key ${key} was used`)).toBe(`key sk_live_${id}_[redacted] was used`);
    // A dashboard session cookie (base64url, 43 characters) and its kin; a UUID stays.
    expect(redactSecrets('keygate_session=MZ0jLnb7dFfAKh8o1ACzepOR-NIxY5BsEAtFLrRGIDw')).not.toContain(
      'MZ0jLnb7',
    );
    expect(redactSecrets('id 6812fc29-85dd-47b3-8837-bc5b4857f49d')).toBe(
      'id 6812fc29-85dd-47b3-8837-bc5b4857f49d',
    );
  });
});
