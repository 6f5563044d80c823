import type { BenchOptions } from './args';
import type { FloodResult, TimingResult } from './forged-keys';
import { LoadResult, median } from './load';

export type Scenario = 'bare' | 'bareHeaders' | 'a' | 'b' | 'c' | 'd' | 'bLog';

export interface Report {
  label: string;
  cpus: number;
  options: BenchOptions;
  loadGenerator: string;
  nodeFlags: string[];
  /** Of the servers under the bench. */
  nodeVersion: string;
  scenarios: Record<Scenario, LoadResult[]>;
  /** For each scenario, the bare rounds run just before its own rounds (same index). */
  paired: Partial<Record<Scenario, LoadResult[]>>;
  singles: Record<'a1' | 'b1', LoadResult[]>;
  /** bare and (b) at a fixed rate both sustain, alternating rounds (paced.ts). */
  paced: { rate: number; bare: LoadResult[]; b: LoadResult[] };
  /** Statements the app sent to its database during (b), from its own counter. */
  queries: { count: number; requests: number };
  coldPool: number;
  /** (d) again with many keys in the table, and the bare round run just before each of its rounds. */
  coldLarge?: { results: LoadResult[]; bare: LoadResult[] };
  flood: FloodResult;
  timings: TimingResult;
}

const TITLES: Record<Scenario, string> = {
  bare: 'bare Nest + Fastify GET /hello',
  bareHeaders: 'bare + the 3 headers of every answer',
  a: '(a) @Public() GET /api/v1/ping/public',
  b: '(b) GET /api/v1/ping, whole chain, valid key',
  c: '(c) malformed key (401)',
  d: '(d) valid keys, cold cache',
  bLog: '(b) with JSON access logs (LOG_LEVEL=info)',
};

const ms = (value: number) => value.toFixed(2).padStart(8);
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

function statuses(results: LoadResult[]): string {
  const total: Record<number, number> = {};
  for (const r of results)
    for (const [code, n] of Object.entries(r.statuses)) total[Number(code)] = (total[Number(code)] ?? 0) + n;
  return Object.entries(total)
    .map(([code, n]) => `${code === '0' ? 'other' : code === '-1' ? 'socket errors' : code}×${n}`)
    .join(' ');
}

/** `results[i]` against the bare round run just before it. */
function row(title: string, results: LoadResult[], bare?: LoadResult[]): string {
  const rps = median(results.map((r) => r.rps));
  const cpu = median(results.map((r) => r.appCpuPerRequest));
  const toBare = bare ? median(results.map((r, i) => r.rps / bare[i].rps)).toFixed(2) : '';
  return `${title.padEnd(46)} ${Math.round(rps).toString().padStart(8)} ${toBare.padStart(7)} ${ms(median(results.map((r) => r.p50)))} ${ms(median(results.map((r) => r.p99)))} ${cpu.toFixed(1).padStart(9)}   ${statuses(results)}`;
}

/** Medians over the runs; a ratio to bare is the median of each round's ratio to the bare round just before it. */
export function printReport(report: Report): void {
  const { scenarios: s, options } = report;
  const bareOf = (x: Scenario) => report.paired[x] ?? s.bare;
  const perRun = (f: (i: number) => number) => median(s.a.map((_, i) => f(i)));
  const toBare = (x: Scenario) => perRun((i) => s[x][i].rps / bareOf(x)[i].rps);
  const cpuOf = (x: Scenario) => median(s[x].map((r) => r.appCpuPerRequest));
  const tail = perRun((i) => s.b[i].p99 / bareOf('b')[i].p99);
  const { paced } = report;
  const pacedTail = median(paced.b.map((r, i) => r.p99 / paced.bare[i].p99));
  // Each against its own bare round, so that drift between the two rounds cancels.
  const cOverB = perRun((i) => s.c[i].rps / bareOf('c')[i].rps / (s.b[i].rps / bareOf('b')[i].rps));
  const p50b1 = median(report.singles.b1.map((r) => r.p50));
  const p50a1 = median(report.singles.a1.map((r) => r.p50));
  const redis = options.mysql;
  // Cache expiries that can fall inside the (b) rounds (TENANT_CACHE_TTL_SECONDS=10; keys and
  // workspaces KEY_CACHE_TTL_SECONDS=60): each costs one look-up, shared by the requests waiting.
  const refreshes =
    options.runs * (Math.ceil(options.durationSeconds / 10) + 2 * Math.ceil(options.durationSeconds / 60));
  const target = (name: string, value: number, op: '≥' | '≤', goal: number, note = '') =>
    `${name.padEnd(34)} ${value.toFixed(2).padStart(6)}   target ${op} ${goal.toFixed(2)}   ${verdict(op === '≥' ? value >= goal : value <= goal)}${note}`;
  const lines = [
    '',
    `Keygate benchmark · ${report.label} · servers on node ${report.nodeVersion} ${report.nodeFlags.join(' ')} · ${report.cpus} CPUs · loopback`,
    `${options.runs} rounds × ${options.durationSeconds} s per scenario, ${options.connections} connections, load by ${report.loadGenerator}; each round after a bare round; medians over the rounds`,
    '',
    `${'scenario'.padEnd(46)} ${'req/s'.padStart(8)} ${'× bare'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'app µs/req'.padStart(9)}   responses`,
    row(TITLES.bare, s.bare),
    row(TITLES.bareHeaders, s.bareHeaders, bareOf('bareHeaders')),
    row(TITLES.a, s.a, bareOf('a')),
    row(TITLES.b, s.b, bareOf('b')),
    row(TITLES.bLog, s.bLog, bareOf('bLog')),
    row(TITLES.c, s.c, bareOf('c')),
    row(`${TITLES.d} (${report.coldPool.toLocaleString('en')} keys)`, s.d, bareOf('d')),
    '',
    target('(a) @Public() / bare', toBare('a'), '≥', 0.75),
    redis
      ? target('(b) / bare, Redis rate limits', toBare('b'), '≥', 0.5)
      : target('(b) / bare, LOG_LEVEL=warn', toBare('b'), '≥', 0.6),
    target('(b) with JSON access logs / bare', toBare('bLog'), '≥', redis ? 0.5 : 0.55),
    target('(c) malformed / (b)', cOverB, '≥', 1),
    target(
      `p99 (b) / p99 bare at ${paced.rate} req/s`,
      pacedTail,
      '≤',
      1.6,
      `   (p99 bare ${median(paced.bare.map((r) => r.p99)).toFixed(2)} ms, (b) ${median(paced.b.map((r) => r.p99)).toFixed(2)} ms; ${statuses(paced.b)})`,
    ),
    `${'p99 (b) / p99 bare, saturated'.padEnd(34)} ${tail.toFixed(2).padStart(6)}   (informational: with ${options.connections} closed-loop connections a request waits behind the others, so this is 1 / throughput again)`,
    `${'against bare + the 3 headers'.padEnd(34)} (a) ${(toBare('a') / toBare('bareHeaders')).toFixed(2)} · (b) ${(toBare('b') / toBare('bareHeaders')).toFixed(2)}   (informational: product.md asks these headers of every answer)`,
    `${'app CPU per request'.padEnd(34)} bare ${cpuOf('bare').toFixed(1)} µs · (a) ${cpuOf('a').toFixed(1)} · (b) ${cpuOf('b').toFixed(1)} · (b)+log ${cpuOf('bLog').toFixed(1)} · (c) ${cpuOf('c').toFixed(1)}`,
    `${'p50 at 1 connection'.padEnd(34)} (b) ${p50b1.toFixed(3)} ms, (a) ${p50a1.toFixed(3)} ms   target (b) < 1 ms   ${verdict(p50b1 < 1)}`,
    `${'database queries in (b)'.padEnd(34)} ${report.queries.count} during ${report.queries.requests.toLocaleString('en')} requests   target: none per request, at most one per cache expiry (≤ ${refreshes})   ${verdict(report.queries.count <= refreshes)}`,
    `${''.padEnd(34)} (the app's keygate_database_queries_total, reads and writes; tenants are re-read every 10 s, keys and workspaces every 60 s, each by one request however many wait; usage flush deferred with USAGE_FLUSH_INTERVAL_SECONDS=3600)`,
    '',
    `forged-key flood: ${report.flood.requests.toLocaleString('en')} well-formed keys with unknown ids from ${report.flood.addresses.toLocaleString('en')} addresses in 3 s (${Math.round(report.flood.rps)} req/s, ${statuses([{ statuses: report.flood.statuses } as LoadResult])})`,
    `${'  database queries during it'.padEnd(34)} ${report.flood.queries}   target 0   ${verdict(report.flood.queries === 0)}   (the app's keygate_database_queries_total)`,
    `${'  refusal medians (µs)'.padEnd(34)} unknown id ${report.timings.medians.unknown.toFixed(0)} · wrong secret ${report.timings.medians.wrongSecret.toFixed(0)} · other tenant's key ${report.timings.medians.otherTenant.toFixed(0)}  (${report.timings.rounds} interleaved rounds)`,
    target('  slowest / fastest median', report.timings.spread, '≤', 1.1),
  ];
  if (report.coldLarge) {
    const small = median(s.d.map((r) => r.p99));
    const large = median(report.coldLarge.results.map((r) => r.p99));
    lines.push(
      '',
      row(
        `(d) cold cache, ${options.seedKeys.toLocaleString('en')} keys in the table`,
        report.coldLarge.results,
        report.coldLarge.bare,
      ),
      target(
        `cold p99 at ${options.seedKeys.toLocaleString('en')} / at ${report.coldPool.toLocaleString('en')} keys`,
        large / small,
        '≤',
        1.2,
      ),
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
