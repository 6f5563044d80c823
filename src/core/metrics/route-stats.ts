import type { Metric } from 'prom-client';

/** Upper bounds (seconds) of the request-duration histogram's buckets. */
export const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] as const;

/** One route template's answers: counts by status and a duration histogram, as plain numbers. */
export class RouteStats {
  readonly statuses = new Map<number, number>();
  /** Non-cumulative: `buckets[i]` counts durations in (bound i-1, bound i]; the last one is +Inf. */
  readonly buckets = new Float64Array(DURATION_BUCKETS.length + 1);
  sum = 0;
  count = 0;

  constructor(readonly route: string) {}

  answered(status: number, seconds: number): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    let i = 0;
    while (i < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[i]) i++;
    this.buckets[i]++;
    this.sum += seconds;
    this.count++;
  }
}

/**
 * The request-duration histogram as prom-client's registry reads a metric (`get()` and the
 * exposition fields), built from RouteStats when scraped. prom-client's own Histogram hashes its
 * labels into a string on every observation, which measured several per cent of the hot path.
 */
export function durationHistogram(name: string, help: string, routes: () => Iterable<RouteStats>): Metric {
  const metric = {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    get: () => {
      const values: Array<{ metricName: string; labels: Record<string, string | number>; value: number }> =
        [];
      for (const stats of routes()) {
        let cumulative = 0;
        DURATION_BUCKETS.forEach((bound, i) => {
          cumulative += stats.buckets[i];
          values.push({
            metricName: `${name}_bucket`,
            labels: { le: bound, route: stats.route },
            value: cumulative,
          });
        });
        cumulative += stats.buckets[DURATION_BUCKETS.length];
        values.push({
          metricName: `${name}_bucket`,
          labels: { le: '+Inf', route: stats.route },
          value: cumulative,
        });
        values.push({ metricName: `${name}_sum`, labels: { route: stats.route }, value: stats.sum });
        values.push({ metricName: `${name}_count`, labels: { route: stats.route }, value: stats.count });
      }
      return Promise.resolve({ name, help, type: 'histogram', values, aggregator: 'sum' });
    },
    reset: () => undefined,
  };
  return metric as unknown as Metric;
}
