import { ConfigError } from './config-error';

/** A budget of `limit` requests per `windowSeconds`; `null` limit means unlimited. */
export interface RateLimitBudget {
  limit: number | null;
  windowSeconds: number;
}

export const DEFAULT_TIERS = 'free=1000/3600,pro=10000/3600,enterprise=unlimited';

/**
 * Parses "free=1000/3600,pro=10000/3600,enterprise=unlimited". A Map, not a plain object: a tier
 * named by a client (`constructor`, `__proto__`, `toString`) must not find Object.prototype.
 */
export function parseTiers(variable: string, raw: string): ReadonlyMap<string, RateLimitBudget> {
  const tiers = new Map<string, RateLimitBudget>();
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, spec] = part.split('=').map((p) => p.trim());
    if (!name || !/^[a-z][a-z0-9_-]{0,31}$/.test(name) || !spec) {
      throw new ConfigError(variable, 'a list like free=1000/3600,pro=10000/3600,enterprise=unlimited', raw);
    }
    tiers.set(name, parseBudget(variable, spec));
  }
  return tiers;
}

/** "1000/3600" (requests per seconds) or "unlimited". */
export function parseBudget(variable: string, spec: string): RateLimitBudget {
  if (spec === 'unlimited') return { limit: null, windowSeconds: 3600 };
  const match = /^(\d+)\/(\d+)$/.exec(spec);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
    throw new ConfigError(variable, 'a budget like 1000/3600 (requests/seconds) or unlimited', spec);
  }
  return { limit: Number(match[1]), windowSeconds: Number(match[2]) };
}

/**
 * Does budget `a` allow more than `b`? More requests a second, or a bigger burst: 744,000 a month
 * is the same rate as 1,000 an hour, but all of it can be spent in the first minute.
 */
export function budgetExceeds(a: RateLimitBudget, b: RateLimitBudget): boolean {
  const rate = (x: RateLimitBudget) => (x.limit === null ? Infinity : x.limit / x.windowSeconds);
  const burst = (x: RateLimitBudget) => x.limit ?? Infinity;
  return rate(a) > rate(b) || burst(a) > burst(b);
}

/** A credential's budget: its own `{limit, window}`, else its tier's, else the default. */
export function resolveBudget(
  settings: {
    rateLimitLimit: number | null;
    rateLimitWindowSeconds: number | null;
    rateLimitTier: string | null;
  },
  tiers: ReadonlyMap<string, RateLimitBudget>,
  fallback: RateLimitBudget,
): RateLimitBudget {
  if (settings.rateLimitLimit && settings.rateLimitWindowSeconds) {
    return { limit: settings.rateLimitLimit, windowSeconds: settings.rateLimitWindowSeconds };
  }
  return (settings.rateLimitTier ? tiers.get(settings.rateLimitTier) : undefined) ?? fallback;
}
