import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadResult, LoadSpec } from './load';

/**
 * Open-loop load: `rate` requests a second on a fixed schedule, whatever the server's pace, each
 * latency measured from the moment its request was handed to the client. A server that stalls
 * does not slow the schedule (it runs in this process, the server in another): the requests due
 * meanwhile wait for a connection, and that wait is in their latency, so no stall is omitted.
 * Not from the moment it was due: timers fire about once a millisecond, and that lateness of
 * ours would be added to bare and Keygate alike, pulling their ratio towards 1.
 * This is what a tail-latency target is about:
 * at saturation (wrk, 50 closed-loop connections) every request waits behind the 49 others, so
 * p99 is the inverse of throughput again (Little's law), not how long a client waits.
 * autocannon's `overallRate` is no help here: it sends each second's quota as fast as it can and
 * then pauses, which is saturation for part of every second.
 */
export async function runPaced(spec: LoadSpec, rate: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const headers = { host: spec.host, ...(spec.authorization ? { authorization: spec.authorization } : {}) };
  const total = Math.round(rate * spec.durationSeconds);
  const interval = 1000 / rate;
  const latencies = new Float64Array(total);
  const statuses: Record<number, number> = {};
  let sent = 0;
  let answered = 0;
  const cpuBefore = spec.appCpu?.() ?? NaN;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const send = (index: number) => {
      const handed = performance.now();
      const finish = (status: number) => {
        latencies[index] = performance.now() - handed;
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (++answered === total) resolve();
      };
      const req = request(
        { host: '127.0.0.1', port: spec.port, path: spec.path, method: 'GET', headers, agent },
        (res) => {
          res.resume();
          res.on('end', () => finish(res.statusCode ?? 0));
        },
      );
      req.on('error', () => finish(-1));
      req.end();
    };
    // Timers fire about once a millisecond: each tick sends every request that has come due.
    const tick = () => {
      const now = performance.now();
      while (sent < total && started + sent * interval <= now) send(sent++);
      if (sent < total) setTimeout(tick, 0);
    };
    tick();
  });
  const elapsed = (performance.now() - started) / 1000;
  const cpuUsed = (spec.appCpu?.() ?? NaN) - cpuBefore;
  agent.destroy();
  const sorted = latencies.sort();
  const at = (p: number) => sorted[Math.min(total - 1, Math.ceil((p / 100) * total) - 1)];
  return {
    rps: total / elapsed,
    p50: at(50),
    p99: at(99),
    statuses,
    appCpuPerRequest: cpuUsed / total,
  };
}
