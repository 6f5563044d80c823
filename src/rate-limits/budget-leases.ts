/**
 * Counts a hot budget in this instance's memory from blocks of counts reserved in Redis, so a
 * busy key's requests do not each wait for a Redis round trip (the paced p99 with Redis limits
 * was 2.8–3× bare's with one round trip a request; README, benchmarks).
 *
 * A lease is a run of the window's counts, `first..last`, reserved for this instance by one
 * INCRBY: no other instance can hand out the same counts, and every count is compared with the
 * limit exactly as a single INCR's would be, so the budget is never exceeded, whatever the number
 * of instances and whatever the limit is changed to. What a lease costs instead:
 * - counts reserved and not used by the end of the window are lost: a key can be refused
 *   elsewhere while this instance still holds some. A lease is at most ~0.1 s of this
 *   instance's own demand for the key, at most 1/16 of what is left of the budget, and none at
 *   all for a key hit fewer than 20 times a second here, so small budgets and quiet keys stay
 *   exact (one count per request, as before);
 * - X-RateLimit-Remaining on this instance reflects the others' use as of its last lease, not as
 *   of this request (a single instance stays exact: it hands out its counts in order).
 */
export class BudgetLeases {
  private readonly keys = new Map<string, KeyLease>();
  private sweepAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** The key's local state, after counting this hit in its demand. */
  lease(key: string, now = this.now()): KeyLease {
    if (now >= this.sweepAt) this.sweep(now);
    let lease = this.keys.get(key);
    if (lease === undefined) this.keys.set(key, (lease = new KeyLease()));
    lease.noteDemand(now);
    return lease;
  }

  private sweep(now: number): void {
    for (const [key, lease] of this.keys) if (lease.idleSince(now)) this.keys.delete(key);
    this.sweepAt = now + 60_000;
  }
}

/** How many hits a second, on this instance, before a key's counts are reserved in blocks. */
const HOT_HITS_PER_SECOND = 20;
/** A lease covers about this fraction of a second of the instance's demand for the key... */
const LEASE_SECONDS = 0.1;
/** ...but never more than this many counts, nor more than 1/16 of what is left of the budget. */
const MAX_LEASE = 1000;
const LEFT_SHARE = 16;

/** One budget's counts as this instance sees them. */
export class KeyLease {
  /** Next count to hand out and the last one of the current lease (next > last: none). */
  private next = 1;
  private last = 0;
  /** The lease's counts belong to the window that ends here (Unix ms). */
  windowEnd = 0;
  /** A lease fetched ahead, used when the current one runs out. */
  private spare: { first: number; last: number; windowEnd: number } | null = null;
  /** A lease is on its way from Redis. */
  refilling = false;
  /** The highest count this instance has seen in the latest window, and that window's end. */
  private highest = 0;
  private highestWindowEnd = 0;
  /** Demand: hits in the current second, and in the one before. */
  private second = 0;
  private hitsThisSecond = 0;
  private hitsLastSecond = 0;
  private lastHitAt = 0;

  noteDemand(now: number): void {
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      this.hitsLastSecond = second === this.second + 1 ? this.hitsThisSecond : 0;
      this.second = second;
      this.hitsThisSecond = 0;
    }
    this.hitsThisSecond++;
    this.lastHitAt = now;
  }

  /** The next leased count, or 0 when none is at hand (count this hit in Redis). */
  take(now: number): number {
    if (this.next > this.last || now >= this.windowEnd) {
      const spare = this.spare;
      this.spare = null;
      if (spare === null || now >= spare.windowEnd) return 0;
      this.next = spare.first;
      this.last = spare.last;
      this.windowEnd = spare.windowEnd;
    }
    return this.next++;
  }

  /**
   * A count Redis gave this instance (a hit's, or a lease's last) and the end of its window.
   * Windows of one key follow each other at least a window's length apart, so an end that moved
   * by more than a quarter of one is a new window (less is the jitter of reading PTTL).
   */
  saw(count: number, windowEnd: number, windowMs: number): void {
    if (windowEnd > this.highestWindowEnd + windowMs / 4) {
      this.highest = count;
      this.highestWindowEnd = windowEnd;
    } else if (windowEnd >= this.highestWindowEnd - windowMs / 4) {
      this.highest = Math.max(this.highest, count);
    }
  }

  /** How many counts to reserve now (0: none, keep counting hit by hit). */
  wanted(limit: number, now: number): number {
    if (this.refilling || this.spare !== null) return 0;
    const live = now < this.windowEnd;
    const leftInLease = live ? this.last - this.next + 1 : 0;
    const demand = this.hitsLastSecond;
    if (demand < HOT_HITS_PER_SECOND) return 0;
    const size = Math.min(
      Math.floor(demand * LEASE_SECONDS),
      MAX_LEASE,
      Math.floor((limit - (now < this.highestWindowEnd ? this.highest : 0)) / LEFT_SHARE),
    );
    // Fetch the next lease while half of this one is left, so no hit waits for it.
    return size >= 2 && leftInLease <= size / 2 ? size : 0;
  }

  /** Installs a reserved run of counts (as the current lease, or as the spare). */
  granted(first: number, last: number, windowEnd: number, windowMs: number, now: number): void {
    this.saw(last, windowEnd, windowMs);
    if (this.next > this.last || now >= this.windowEnd) {
      this.next = first;
      this.last = last;
      this.windowEnd = windowEnd;
    } else {
      this.spare = { first, last, windowEnd };
    }
  }

  idleSince(now: number): boolean {
    return now - this.lastHitAt > 10_000 && now >= this.windowEnd;
  }
}
