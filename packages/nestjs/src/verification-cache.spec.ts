import { VerificationCache } from './verification-cache';
import { presentedKey } from './keygate.guard';
import { covers } from './scope-covers';

describe('VerificationCache', () => {
  it('keys entries by a digest, never the plaintext, and forgets them after the TTL', () => {
    const cache = new VerificationCache<string>(1000, 10);
    const key = 'sk_live_abc_secret';
    const digest = cache.digest(key, '10.0.0.1');
    expect(digest).not.toContain('secret');
    expect(digest).not.toBe(cache.digest(key, '10.0.0.2'));
    cache.set(digest, 'answer', undefined, 0);
    expect(cache.get(digest, 999)).toBe('answer');
    expect(cache.get(digest, 1000)).toBeUndefined();
  });

  it('drops the oldest entry past its bound, and stores nothing for a TTL of zero or less', () => {
    const cache = new VerificationCache<number>(1000, 2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBeUndefined();
    expect([cache.get('b'), cache.get('c')]).toEqual([2, 3]);
    cache.set('d', 4, 0);
    expect(cache.get('d')).toBeUndefined();
  });
});

describe('presentedKey', () => {
  const of = (headers: Record<string, string>) => presentedKey({ headers });
  it('reads Bearer, Basic (key as user name) and X-API-Key', () => {
    expect(of({ authorization: 'Bearer sk_live_1' })).toBe('sk_live_1');
    expect(of({ authorization: `Basic ${Buffer.from('sk_live_2:').toString('base64')}` })).toBe('sk_live_2');
    expect(of({ 'x-api-key': ' sk_live_3 ' })).toBe('sk_live_3');
    expect(of({ authorization: 'Token x' })).toBeNull();
    expect(of({})).toBeNull();
  });
});

describe('covers (Keygate’s wildcard rule)', () => {
  it('matches wildcards on either part, and bare permissions only exactly', () => {
    expect(covers('*', 'reports:read')).toBe(true);
    expect(covers('reports:*', 'reports:read')).toBe(true);
    expect(covers('*:read', 'reports:read')).toBe(true);
    expect(covers('*:read', 'reports:create')).toBe(false);
    expect(covers('invoices:read', 'reports:read')).toBe(false);
    expect(covers('reports:*', 'reports')).toBe(false);
  });
});
