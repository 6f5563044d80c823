import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  it('returns an entry until its time to live has passed, then forgets it', () => {
    const cache = new TtlCache<string, number>({ max: 10, ttl: 1000 });
    cache.set('a', 1, undefined, 0);
    expect(cache.get('a', 999)).toBe(1);
    expect(cache.get('a', 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('takes a per-entry time to live', () => {
    const cache = new TtlCache<string, number>({ max: 10, ttl: 1000 });
    cache.set('short', 1, { ttl: 10 }, 0);
    expect(cache.get('short', 9)).toBe(1);
    expect(cache.get('short', 10)).toBeUndefined();
  });

  it('holds at most `max` entries, dropping the oldest insertion; a refresh counts as new', () => {
    const cache = new TtlCache<string, number>({ max: 2, ttl: 1000 });
    cache.set('a', 1, undefined, 0);
    cache.set('b', 2, undefined, 0);
    cache.set('a', 3, undefined, 0);
    cache.set('c', 4, undefined, 0);
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('a', 0)).toBe(3);
    expect(cache.get('c', 0)).toBe(4);
  });

  it('lists live entries as a copy that survives deletes, and clears', () => {
    const cache = new TtlCache<string, number>({ max: 10, ttl: 1000 });
    cache.set('a', 1, undefined, 0);
    cache.set('b', 2, { ttl: 5 }, 0);
    const live = cache.entries(10);
    expect(live).toEqual([['a', 1]]);
    for (const [key] of live) cache.delete(key);
    expect(cache.get('a', 10)).toBeUndefined();
    cache.set('x', 1);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
