import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { durationHistogram, RouteStats } from './route-stats';

/**
 * The app's Prometheus metrics, one registry per app (tests boot several in one process). What
 * every request counts is kept as plain numbers (a map look-up and an add) and handed to
 * prom-client when /metrics is scraped: prom-client's own counters and histograms hash their
 * labels into a string on every call, even through pre-bound children.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly routes = new Map<string, RouteStats>();
  private readonly requests: Counter<'route' | 'status'> = new Counter({
    name: 'keygate_http_requests_total',
    help: 'HTTP requests answered, by route template and status.',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
    collect: (): void => {
      this.requests.reset();
      for (const stats of this.routes.values())
        for (const [status, count] of stats.statuses)
          this.requests.inc({ route: stats.route, status: String(status) }, count);
    },
  });
  private readonly verificationCounts = new Map<string, number>();
  private readonly verifications: Counter<'outcome'> = new Counter({
    name: 'keygate_key_verifications_total',
    help: 'Credential verifications by outcome (ok, or the reason of the refusal).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
    collect: (): void => copyInto(this.verifications, 'outcome', this.verificationCounts),
  });
  private readonly cacheCounts = new Map<string, number>();
  private readonly cacheLookups: Counter<'result'> = new Counter({
    name: 'keygate_key_cache_lookups_total',
    help: 'Key cache look-ups of well-formed keys: hit, miss (the database is asked), or skipped (an id this server never issued, or known absent: no query).',
    labelNames: ['result'] as const,
    registers: [this.registry],
    collect: (): void => copyInto(this.cacheLookups, 'result', this.cacheCounts),
  });
  readonly rateLimited = new Counter({
    name: 'keygate_rate_limit_refusals_total',
    help: 'Requests refused with 429 because a credential spent its budget.',
    registers: [this.registry],
  });
  readonly authLockouts = new Counter({
    name: 'keygate_auth_failure_lockouts_total',
    help: 'Requests refused with 429 because their address failed too often this minute.',
    registers: [this.registry],
  });
  readonly databaseQueries = new Counter({
    name: 'keygate_database_queries_total',
    help: 'SQL statements sent to the database (every driver query, migrations included).',
    registers: [this.registry],
  });
  private usageLag: () => number = () => 0;
  private readonly usageFlushLag: Gauge = new Gauge({
    name: 'keygate_usage_flush_lag_seconds',
    help: 'Age of the oldest usage count not yet written to the database (0 when none waits).',
    registers: [this.registry],
    collect: (): void => this.usageFlushLag.set(this.usageLag()),
  });
  readonly usageFlushes = new Counter({
    name: 'keygate_usage_flushes_total',
    help: 'Background usage flushes, by result.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'keygate_process_' });
    this.registry.registerMetric(
      durationHistogram(
        'keygate_http_request_duration_seconds',
        'Time from the request arriving to the response being sent, by route template.',
        () => this.routes.values(),
      ),
    );
  }

  /** One answered request; `route` is the route template (`/api/v1/api-keys/:id`), never a raw URL. */
  request(route: string, status: number, seconds: number): void {
    let stats = this.routes.get(route);
    if (!stats) this.routes.set(route, (stats = new RouteStats(route)));
    stats.answered(status, seconds);
  }

  verification(outcome: string): void {
    this.verificationCounts.set(outcome, (this.verificationCounts.get(outcome) ?? 0) + 1);
  }

  cacheLookup(result: 'hit' | 'miss' | 'skipped'): void {
    this.cacheCounts.set(result, (this.cacheCounts.get(result) ?? 0) + 1);
  }

  /** The usage recorder tells, at scrape time, how old its oldest unwritten count is. */
  measureUsageLag(seconds: () => number): void {
    this.usageLag = seconds;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** At scrape time: a counter's values set from totals kept as plain numbers. */
function copyInto(counter: Counter<string>, label: string, totals: Map<string, number>): void {
  counter.reset();
  for (const [value, count] of totals) counter.inc({ [label]: value }, count);
}
