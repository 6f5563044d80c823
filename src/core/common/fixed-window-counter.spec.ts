import { addressBucket, FixedWindowCounter } from './fixed-window-counter';

describe('FixedWindowCounter', () => {
  it('counts per key in fixed windows', () => {
    const counter = new FixedWindowCounter(1000, 10, 5);
    expect(counter.hit('a', 0)).toBe(1);
    expect(counter.hit('a', 500)).toBe(2);
    expect(counter.count('a', 999)).toBe(2);
    expect(counter.count('a', 1000)).toBe(0);
    expect(counter.hit('a', 1000)).toBe(1);
  });

  it('keeps a locked-out key however many fresh keys flood in', () => {
    const counter = new FixedWindowCounter(60_000, 100, 5);
    for (let i = 0; i < 5; i++) counter.hit('victim', 0);
    for (let i = 0; i < 100_000; i++) counter.hit(`flood-${i}`, 1);
    expect(counter.size).toBeLessThanOrEqual(100);
    expect(counter.count('victim', 2)).toBe(5);
  });

  it('drops expired windows first when full', () => {
    const counter = new FixedWindowCounter(1000, 3, 5);
    counter.hit('old', 0);
    counter.hit('b', 900);
    counter.hit('c', 900);
    counter.hit('d', 1500);
    expect(counter.count('old', 1500)).toBe(0);
    expect(counter.count('b', 1500)).toBe(1);
    expect(counter.size).toBe(3);
  });
});

describe('addressBucket', () => {
  it('counts IPv4 addresses one by one and IPv6 by /64', () => {
    expect(addressBucket('203.0.113.9')).toBe('203.0.113.9');
    expect(addressBucket('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8:1:2::ffff')).toBe(addressBucket('2001:0db8:0001:0002:1:2:3:4'));
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
    expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
  });
});
