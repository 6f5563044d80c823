import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

type CounterChild = ReturnType<Counter<string>['labels']>;

/**
 * The app's Prometheus metrics, one registry per app (tests boot several in one process). The
 * hot path touches only pre-bound children kept in maps, so a request pays a map look-up and an
 * add, never prom-client's label hashing.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'keygate_http_requests_total',
    help: 'HTTP requests answered, by route template and status.',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly durations = new Histogram({
    name: 'keygate_http_request_duration_seconds',
    help: 'Time from the request arriving to the response being sent, by route template.',
    labelNames: ['route'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  private readonly verifications = new Counter({
    name: 'keygate_key_verifications_total',
    help: 'Credential verifications by outcome (ok, or the reason of the refusal).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly cacheLookups = new Counter({
    name: 'keygate_key_cache_lookups_total',
    help: 'Key cache look-ups of well-formed keys: hit, miss (the database is asked), or skipped (an id this server never issued, or known absent: no query).',
    labelNames: ['result'] as const,
    registers: [this.registry],
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

  private readonly requestChildren = new Map<string, Map<number, CounterChild>>();
  private readonly durationChildren = new Map<string, ReturnType<Histogram<'route'>['labels']>>();
  private readonly verificationChildren = new Map<string, CounterChild>();
  private readonly cacheChildren = new Map<string, CounterChild>();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'keygate_process_' });
  }

  /** One answered request; `route` is the route template (`/api/v1/api-keys/:id`), never a raw URL. */
  request(route: string, status: number, seconds: number): void {
    let byStatus = this.requestChildren.get(route);
    if (!byStatus) this.requestChildren.set(route, (byStatus = new Map<number, CounterChild>()));
    let counter = byStatus.get(status);
    if (!counter) byStatus.set(status, (counter = this.requests.labels(route, String(status))));
    counter.inc();
    let histogram = this.durationChildren.get(route);
    if (!histogram) this.durationChildren.set(route, (histogram = this.durations.labels(route)));
    histogram.observe(seconds);
  }

  verification(outcome: string): void {
    let counter = this.verificationChildren.get(outcome);
    if (!counter) this.verificationChildren.set(outcome, (counter = this.verifications.labels(outcome)));
    counter.inc();
  }

  cacheLookup(result: 'hit' | 'miss' | 'skipped'): void {
    let counter = this.cacheChildren.get(result);
    if (!counter) this.cacheChildren.set(result, (counter = this.cacheLookups.labels(result)));
    counter.inc();
  }

  /** The usage recorder tells, at scrape time, how old its oldest unwritten count is. */
  measureUsageLag(seconds: () => number): void {
    this.usageLag = seconds;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
