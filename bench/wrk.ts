import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadResult, LoadSpec } from './load';

/**
 * wrk (C, one thread) as the load generator when it is installed: on a 2-core machine the load
 * generator shares the cores with the app, and autocannon (JavaScript) takes several times
 * wrk's CPU for the same load, which compresses every ratio towards 1.
 */
export const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((path) => existsSync(path));

const scripts = mkdtempSync(join(tmpdir(), 'keygate-wrk-'));
let scriptCount = 0;

/** A Lua script setting the Host and Authorization of each request, from a file of keys if any. */
function scriptFor(spec: LoadSpec): string {
  const file = join(scripts, `s${scriptCount++}.lua`);
  const lines = [`wrk.headers["Host"] = "${spec.host}"`];
  if (spec.authorization) lines.push(`wrk.headers["Authorization"] = "${spec.authorization}"`);
  if (spec.keys) {
    const keysFile = `${file}.keys`;
    writeFileSync(keysFile, spec.keys.join('\n'));
    lines.push(
      'local keys = {}',
      `for line in io.lines("${keysFile}") do keys[#keys + 1] = "Bearer " .. line end`,
      'local i = 0',
      'request = function()',
      '  i = i % #keys + 1',
      `  return wrk.format("GET", "${spec.path}", { ["Host"] = "${spec.host}", ["Authorization"] = keys[i] })`,
      'end',
    );
  }
  lines.push(
    'done = function(summary, latency, requests)',
    '  io.write(string.format("KEYGATE %d %d %d %d %f %f\\n", summary.requests, summary.errors.status,',
    '    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,',
    '    summary.duration, latency:percentile(50), latency:percentile(99)))',
    'end',
  );
  writeFileSync(file, lines.join('\n'));
  return file;
}

/** `wrk -t1 -c<connections> -d<duration>` against the spec; latencies in ms from wrk's histogram. */
export function runWrk(spec: LoadSpec, expectedStatus: number): Promise<LoadResult> {
  const script = scriptFor(spec);
  const args = ['-t1', `-c${spec.connections}`, `-d${spec.durationSeconds}s`, '-s', script];
  args.push(`http://127.0.0.1:${spec.port}${spec.path}`);
  const cpuBefore = spec.appCpu?.() ?? NaN;
  return new Promise((resolve, reject) => {
    execFile(WRK!, args, (error, stdout) => {
      if (error) return reject(new Error(`wrk failed: ${error.message}`));
      const line = stdout.split('\n').find((l) => l.startsWith('KEYGATE '));
      if (!line) return reject(new Error(`wrk printed no summary:\n${stdout}`));
      const [requests, non2xx, socketErrors, durationUs, p50Us, p99Us] = line.split(' ').slice(1).map(Number);
      const cpuUsed = (spec.appCpu?.() ?? NaN) - cpuBefore;
      // wrk counts statuses ≥ 400 as errors.status; the expected one is all we can name.
      const expected = expectedStatus < 400 ? requests - non2xx : non2xx;
      const statuses: Record<number, number> = { [expectedStatus]: expected };
      if (requests - expected) statuses[0] = requests - expected; // 0: some other status
      if (socketErrors) statuses[-1] = socketErrors; // -1: socket errors
      resolve({
        rps: requests / (durationUs / 1e6),
        p50: p50Us / 1000,
        p99: p99Us / 1000,
        statuses,
        appCpuPerRequest: cpuUsed / requests,
      });
    });
  });
}
