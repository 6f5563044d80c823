import { BudgetLeases } from './budget-leases';

describe('BudgetLeases (counts reserved in blocks for a busy key)', () => {
  const windowMs = 60_000;

  /** `perSecond` hits in each of `seconds` seconds, starting at `from`; returns the next time. */
  function drive(
    leases: BudgetLeases,
    key: string,
    perSecond: number,
    seconds: number,
    from: number,
  ): number {
    for (let s = 0; s < seconds; s++)
      for (let i = 0; i < perSecond; i++)
        leases.lease(key, from + s * 1000 + Math.floor((i * 1000) / perSecond));
    return from + seconds * 1000;
  }

  it('reserves nothing for a key hit fewer than 20 times a second', () => {
    const leases = new BudgetLeases();
    const now = drive(leases, 'quiet', 19, 3, 1_000_000);
    expect(leases.lease('quiet', now).wanted(1_000_000, now)).toBe(0);
  });

  it('reserves about 0.1 s of the last second’s demand, at most 1,000 counts', () => {
    const leases = new BudgetLeases();
    let now = drive(leases, 'busy', 500, 2, 1_000_000);
    expect(leases.lease('busy', now).wanted(1_000_000, now)).toBe(50);
    now = drive(leases, 'busy', 50_000, 1, now);
    expect(leases.lease('busy', now).wanted(1_000_000, now)).toBe(1000);
  });

  it('hands out its counts in order, then the spare, then nothing', () => {
    const leases = new BudgetLeases();
    const now = drive(leases, 'k', 500, 2, 1_000_000);
    const lease = leases.lease('k', now);
    lease.granted(11, 13, now + windowMs, windowMs, now);
    lease.granted(40, 41, now + windowMs, windowMs, now);
    expect([1, 2, 3, 4, 5, 6].map(() => lease.take(now))).toEqual([11, 12, 13, 40, 41, 0]);
  });

  it('asks for the next lease when half of the current one is used, and for one at a time', () => {
    const leases = new BudgetLeases();
    const now = drive(leases, 'k', 500, 2, 1_000_000);
    const lease = leases.lease('k', now);
    lease.granted(1, 100, now + windowMs, windowMs, now);
    for (let i = 0; i < 74; i++) lease.take(now);
    expect(lease.wanted(1_000_000, now)).toBe(0); // 26 left of a lease of 50: not yet
    lease.take(now);
    expect(lease.wanted(1_000_000, now)).toBe(50);
    lease.refilling = true;
    expect(lease.wanted(1_000_000, now)).toBe(0);
  });

  it('hands out nothing once the lease’s window has ended', () => {
    const leases = new BudgetLeases();
    const now = drive(leases, 'k', 500, 2, 1_000_000);
    const lease = leases.lease('k', now);
    lease.granted(1, 50, now + 1000, 1000, now);
    expect(lease.take(now + 999)).toBe(1);
    expect(lease.take(now + 1000)).toBe(0);
  });

  it('shrinks leases to 1/16 of what is left of the budget, and stops near its end', () => {
    const leases = new BudgetLeases();
    const now = drive(leases, 'k', 5000, 2, 1_000_000);
    const lease = leases.lease('k', now);
    lease.saw(900, now + windowMs, windowMs);
    expect(lease.wanted(1000, now)).toBe(6); // (1000 - 900) / 16
    lease.saw(970, now + windowMs, windowMs);
    expect(lease.wanted(1000, now)).toBe(0); // 30 left: one count per hit, as without leases
  });

  it('takes a later window’s counts as a new start, not as the old window’s highest', () => {
    const leases = new BudgetLeases();
    const now = drive(leases, 'k', 5000, 2, 1_000_000);
    const lease = leases.lease('k', now);
    lease.saw(995, now + 1000, windowMs);
    expect(lease.wanted(1000, now)).toBe(0);
    lease.saw(1, now + windowMs + 1000, windowMs);
    expect(lease.wanted(1000, now)).toBe(62); // (1000 - 1) / 16, rounded down
  });
});
