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
      '"sk_live_ABCDEFGHIJKLMNOP_[redacted]" is not a scope',
    );
    expect(redactSecrets(`a\u0000b ${split.replace('\u200b', '\u0000')}`)).not.toContain('tuvwxyz');
    expect(redactSecrets('line one\nline two\tand a tab')).toBe('line one\nline two\tand a tab');
  });
});
