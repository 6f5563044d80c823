import autocannon from 'autocannon';

export interface LoadSpec {
  port: number;
  host: string;
  path: string;
  connections: number;
  durationSeconds: number;
  /** A fixed Authorization value, or one key per request taken in turn from `keys`. */
  authorization?: string;
  keys?: string[];
  /** The app's CPU clock (AppProcess.cpuMicros), to report its CPU time per request. */
  appCpu?: () => number;
}

export interface LoadResult {
  rps: number;
  /** Milliseconds, from every response (autocannon's own histogram has 1 ms resolution). */
  p50: number;
  p99: number;
  statuses: Record<number, number>;
  /** The app's CPU time (user + system, kernel work on its sockets included) per response, µs. */
  appCpuPerRequest: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Drives the app over loopback for a fixed time and measures every response. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  const keys = spec.keys;
  let finished!: (result: autocannon.Result) => void;
  let failed!: (error: Error) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => ([finished, failed] = [resolve, reject]));
  const options: autocannon.Options = {
    url: `http://127.0.0.1:${spec.port}${spec.path}`,
    connections: spec.connections,
    duration: spec.durationSeconds,
    headers: { host: spec.host, ...(spec.authorization ? { authorization: spec.authorization } : {}) },
    ...(keys
      ? {
          requests: [
            {
              setupRequest: (request: autocannon.Request) => {
                request.headers = {
                  ...request.headers,
                  authorization: `Bearer ${keys[next++ % keys.length]}`,
                };
                return request;
              },
            },
          ],
        }
      : {}),
  };
  const cpuBefore = spec.appCpu?.() ?? NaN;
  // The callback form returns the event emitter that reports each response.
  const instance = autocannon(options, (error, result) =>
    error ? failed(error as Error) : finished(result),
  );
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const result = await done;
  const cpuUsed = (spec.appCpu?.() ?? NaN) - cpuBefore;
  const sorted = Float64Array.from(latencies).sort();
  return {
    rps: latencies.length / (result.duration || spec.durationSeconds),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    statuses,
    appCpuPerRequest: cpuUsed / latencies.length,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
