import { InMemoryRateLimitStorage } from './rate-limit.store';

describe('InMemoryRateLimitStorage (fixed window started by the first hit)', () => {
  it('lets exactly `limit` hits through in a window, then blocks until the window ends, counting no refusal', () => {
    const storage = new InMemoryRateLimitStorage();
    const start = 1_000_000;
    const hits = [0, 1, 2, 3].map((i) => storage.hit('k', 10_000, 3, start + i));
    expect(hits.map((h) => [h.totalHits, h.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect(hits[3].resetAt).toBe(start + 10_000);
    expect(hits[3].timeToBlockExpire).toBe(10);
    expect(storage.hit('k', 10_000, 3, start + 10_000)).toMatchObject({
      totalHits: 1,
      isBlocked: false,
      resetAt: start + 20_000,
    });
  });

  it('lets a limit raised after the budget ran out apply at once: refusals spent nothing', () => {
    const storage = new InMemoryRateLimitStorage();
    for (let i = 0; i < 10; i++) storage.hit('k', 10_000, 2, 0);
    expect(storage.hit('k', 10_000, 5, 1)).toMatchObject({ totalHits: 3, isBlocked: false });
  });

  it('keeps one counter per key', () => {
    const storage = new InMemoryRateLimitStorage();
    storage.hit('a', 1000, 1, 0);
    expect(storage.hit('b', 1000, 1, 0).isBlocked).toBe(false);
    expect(storage.hit('a', 1000, 1, 0).isBlocked).toBe(true);
  });
});
