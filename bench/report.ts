import type { BenchOptions } from './args';
import { LoadResult, median } from './load';

export type Scenario = 'a' | 'b' | 'c' | 'd';

export interface Report {
  label: string;
  cpus: number;
  options: BenchOptions;
  scenarios: Record<Scenario, LoadResult[]>;
  singles: Record<'a1' | 'b1', LoadResult[]>;
  writes: { count: number; requests: number };
  writesHow: string;
  coldPool: number;
  coldLarge?: LoadResult[];
}

const TITLES: Record<Scenario, string> = {
  a: '(a) @Public() GET /api/v1/ping/public',
  b: '(b) GET /api/v1/ping, whole chain, valid key',
  c: '(c) malformed key (401)',
  d: '(d) valid keys, cold cache',
};

const ms = (value: number) => value.toFixed(2).padStart(8);
const ratio = (value: number) => value.toFixed(2);
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

function statuses(results: LoadResult[]): string {
  const total: Record<number, number> = {};
  for (const r of results)
    for (const [code, n] of Object.entries(r.statuses)) total[Number(code)] = (total[Number(code)] ?? 0) + n;
  return Object.entries(total)
    .map(([code, n]) => `${code}×${n}`)
    .join(' ');
}

function row(title: string, results: LoadResult[]): string {
  const rps = median(results.map((r) => r.rps));
  const cpu = median(results.map((r) => r.appCpuPerRequest));
  return `${title.padEnd(46)} ${Math.round(rps).toString().padStart(8)} ${ms(median(results.map((r) => r.p50)))} ${ms(median(results.map((r) => r.p99)))} ${cpu.toFixed(1).padStart(9)}   ${statuses(results)}`;
}

/** Medians over the runs; ratios are medians of the per-run ratios (the scenarios of a run are adjacent in time). */
export function printReport(report: Report): void {
  const { scenarios: s, options } = report;
  const perRun = (f: (i: number) => number) => median(s.a.map((_, i) => f(i)));
  const throughput = perRun((i) => s.b[i].rps / s.a[i].rps);
  const tail = perRun((i) => s.b[i].p99 / s.a[i].p99);
  const malformed = perRun((i) => s.c[i].rps / s.a[i].rps);
  const cpuOf = (scenario: Scenario) => median(s[scenario].map((r) => r.appCpuPerRequest));
  const chainCost = perRun((i) => s.b[i].appCpuPerRequest - s.a[i].appCpuPerRequest);
  const p50b1 = median(report.singles.b1.map((r) => r.p50));
  const p50a1 = median(report.singles.a1.map((r) => r.p50));
  const target = options.mysql ? 0.7 : 0.85;
  const lines = [
    '',
    `Keygate benchmark · ${report.label} · node ${process.version} · ${report.cpus} CPUs · loopback`,
    `${options.runs} runs × ${options.durationSeconds} s per scenario, ${options.connections} connections; medians over the runs`,
    '',
    `${'scenario'.padEnd(46)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'app µs/req'.padStart(9)}   responses`,
    row(TITLES.a, s.a),
    row(TITLES.b, s.b),
    row(TITLES.c, s.c),
    row(`${TITLES.d} (${report.coldPool.toLocaleString('en')} keys)`, s.d),
    '',
    `b/a throughput          ${ratio(throughput)}   target ≥ ${target}   ${verdict(throughput >= target)}`,
    `                        by app CPU per request: ${ratio(cpuOf('a') / cpuOf('b'))} (the chain costs ${chainCost.toFixed(1)} µs of CPU a request)`,
    `p99(b)/p99(a)           ${ratio(tail)}   target ≤ 1.2    ${verdict(tail <= 1.2)}`,
    `c/a throughput          ${ratio(malformed)}   target ≥ 1.0    ${verdict(malformed >= 1)}`,
    `                        by app CPU per request: ${ratio(cpuOf('a') / cpuOf('c'))}`,
    `p50 at 1 connection     (b) ${p50b1.toFixed(3)} ms, (a) ${p50a1.toFixed(3)} ms   target (b) < 1 ms   ${verdict(p50b1 < 1)}`,
    `database writes in (b)  ${report.writes.count} during ${report.writes.requests.toLocaleString('en')} requests   target 0   ${verdict(report.writes.count === 0)}`,
    `                        (${report.writesHow}; usage flush deferred with USAGE_FLUSH_INTERVAL_SECONDS=3600)`,
  ];
  if (report.coldLarge) {
    const small = median(s.d.map((r) => r.p99));
    const large = median(report.coldLarge.map((r) => r.p99));
    lines.push(
      '',
      row(`(d) cold cache, ${options.seedKeys.toLocaleString('en')} keys in the table`, report.coldLarge),
      `cold p99 at ${options.seedKeys.toLocaleString('en')} / at ${report.coldPool.toLocaleString('en')} keys   ${ratio(large / small)}   target ≤ 1.2   ${verdict(large / small <= 1.2)}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
