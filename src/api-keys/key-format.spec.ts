import { generateKey, parseKey } from './key-format';
import { KeyIdTag } from './key-id-tag';

const tag = new KeyIdTag('spec-app-key-0123456789-abcdefghijklmnop');

describe('key format', () => {
  it('generates keys that parse back to their kind, environment and key id', () => {
    const live = generateKey('workspace_key', 'live', tag.mint());
    expect(live.key).toMatch(/^sk_live_[0-9A-Za-z]{16}_[0-9A-Za-z]{38}$/);
    expect(parseKey(live.key)).toEqual({
      kind: 'workspace_key',
      environment: 'live',
      keyId: live.keyId,
      prefix: live.prefix,
    });
    expect(parseKey(generateKey('workspace_key', 'test', tag.mint()).key)?.environment).toBe('test');
    expect(parseKey(generateKey('user_token', 'live', tag.mint()).key)?.kind).toBe('user_token');
    expect(parseKey(generateKey('platform_key', 'live', tag.mint()).key)?.kind).toBe('platform_key');
  });

  it('never issues the same key twice', () => {
    const keys = new Set(
      Array.from({ length: 1000 }, () => generateKey('workspace_key', 'live', tag.mint()).key),
    );
    expect(keys.size).toBe(1000);
  });

  it('rejects a key with one character changed anywhere', () => {
    const { key } = generateKey('workspace_key', 'live', tag.mint());
    for (let i = 8; i < key.length; i++) {
      if (key[i] === '_') continue;
      const swapped = key.slice(0, i) + (key[i] === 'a' ? 'b' : 'a') + key.slice(i + 1);
      expect(parseKey(swapped)).toBeNull();
    }
  });

  it('rejects wrong shapes', () => {
    const { key } = generateKey('workspace_key', 'live', tag.mint());
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

  it('tags every key id: the server recognises its own ids and no invented one', () => {
    const other = new KeyIdTag('another-app-key-0123456789-abcdefghijkl');
    for (let i = 0; i < 2000; i++) {
      const id = tag.mint();
      expect(id).toMatch(/^[0-9A-Za-z]{16}$/);
      expect(tag.carriesTag(id)).toBe(true);
      // Under another APP_KEY the same id is invented (a 2^-35.7 chance each to collide).
      expect(other.carriesTag(id)).toBe(false);
    }
    expect(tag.carriesTag('0123456789ABCDEF')).toBe(false);
    expect(tag.carriesTag(tag.mint().slice(0, 15))).toBe(false);
  });
});
