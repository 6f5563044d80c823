import { generateKey, parseKey } from './key-format';

describe('key format', () => {
  it('generates keys that parse back to their kind, environment and key id', () => {
    const live = generateKey('workspace_key', 'live');
    expect(live.key).toMatch(/^sk_live_[0-9A-Za-z]{16}_[0-9A-Za-z]{38}$/);
    expect(parseKey(live.key)).toEqual({
      kind: 'workspace_key',
      environment: 'live',
      keyId: live.keyId,
      prefix: live.prefix,
    });
    expect(parseKey(generateKey('workspace_key', 'test').key)?.environment).toBe('test');
    expect(parseKey(generateKey('user_token').key)?.kind).toBe('user_token');
    expect(parseKey(generateKey('platform_key').key)?.kind).toBe('platform_key');
  });

  it('never issues the same key twice', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateKey('workspace_key').key));
    expect(keys.size).toBe(1000);
  });

  it('rejects a key with one character changed anywhere', () => {
    const { key } = generateKey('workspace_key', 'live');
    for (let i = 8; i < key.length; i++) {
      if (key[i] === '_') continue;
      const swapped = key.slice(0, i) + (key[i] === 'a' ? 'b' : 'a') + key.slice(i + 1);
      expect(parseKey(swapped)).toBeNull();
    }
  });

  it('rejects wrong shapes', () => {
    const { key } = generateKey('workspace_key', 'live');
    for (const bad of [
      '',
      'sk_live_',
      key.slice(0, -1),
      `${key}x`,
      key.replace('sk_live', 'sk_prod'),
      key + key,
    ]) {
      expect(parseKey(bad)).toBeNull();
    }
  });
});
