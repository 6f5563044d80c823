import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import {
  AppProcess,
  benchAppEnv,
  createTenant,
  freePort,
  httpJson,
  processCpuMicros,
  sleep,
  startApp,
} from './app-process';
import { sqliteDatabase } from './database';
import { median, runLoad } from './load';

/**
 * `npm run bench:integrations [-- seconds]`:
 * what the integrations cost, over loopback, each scenario 3 times for `seconds` (default 2; ~30 s):
 *   (a) a host app's `GET /reports` unguarded, (b) the same route behind @keygate/nestjs with a
 *   warm cache (the guard's overhead is b against a), (c) Keygate's `POST /api/v1/keys/verify`
 *   (what a cold guard, or any other service, pays per verification), and (d) Keygate's own
 *   in-process guard chain on `GET /api/v1/ping` with one valid key, for comparison with (c).
 */
const CONNECTIONS = 10;
const ROUNDS = 3;

const measured = (r: { rps: number; p50: number; appCpuPerRequest: number }) => ({
  rps: r.rps,
  p50: r.p50,
  cpu: r.appCpuPerRequest,
});

function startHost(
  mode: 'guarded' | 'unguarded',
  port: number,
  env: Record<string, string>,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, 'integration-host.js'), mode], {
    env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(port), ...env },
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) resolve(child);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`host app (${mode}) exited ${code}: ${output}`)));
  });
}

async function verifyLoad(
  port: number,
  host: string,
  verifier: string,
  key: string,
  seconds: number,
  appCpu: () => number,
) {
  const before = appCpu();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/api/v1/keys/verify`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: seconds,
    headers: { host, authorization: `Bearer ${verifier}`, 'content-type': 'application/json' },
    body: JSON.stringify({ key }),
  });
  if (result.non2xx > 0) throw new Error(`verify answered ${result.non2xx} non-2xx`);
  const count = result['2xx'];
  return {
    rps: count / (result.duration || seconds),
    p50: result.latency.p50,
    cpu: (appCpu() - before) / count,
  };
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 2);
  const db = sqliteDatabase();
  const env = benchAppEnv(db.env);
  const children: ChildProcess[] = [];
  let keygate: AppProcess | undefined;
  try {
    keygate = await startApp(env);
    const slug = `int-${Date.now().toString(36)}`;
    const host = `${slug}.localhost`;
    const seeded = await createTenant(slug, env);
    const owner = { host, authorization: `Bearer ${seeded.token}` };
    await httpJson(keygate.port, 'POST', '/api/v1/scopes', owner, {
      name: 'reports:read',
      description: 'bench',
    });
    const make = async (scopes: string[]) => {
      const res = await httpJson(keygate!.port, 'POST', '/api/v1/api-keys', owner, {
        name: 'bench',
        scopes,
        rate_limit: { limit: 1_000_000_000, window_seconds: 3600 },
      });
      if (res.status !== 201)
        throw new Error(`creating a key answered ${res.status}: ${JSON.stringify(res.body)}`);
      return String(res.body?.key);
    };
    const verifier = await make(['keys:verify']);
    const presented = await make(['reports:read', 'ping:read']);
    const hostEnv = { KEYGATE_URL: `http://${host}:${keygate.port}`, KEYGATE_VERIFIER_KEY: verifier };
    const [plainPort, guardedPort] = [await freePort(), await freePort()];
    children.push(await startHost('unguarded', plainPort, hostEnv));
    children.push(await startHost('guarded', guardedPort, hostEnv));
    const auth = `Bearer ${presented}`;
    const base = { connections: CONNECTIONS, durationSeconds: seconds };
    const warm = { connections: CONNECTIONS, durationSeconds: 2 };
    const [plain, guarded] = children.map((child) => () => processCpuMicros(child.pid!));
    const keygateCpu = () => keygate!.cpuMicros();
    type Measured = { rps: number; p50: number; cpu: number };
    const scenarios: Record<string, (d: typeof base) => Promise<Measured>> = {
      '(a) host app, unguarded': (d) =>
        runLoad({ ...d, port: plainPort, host: 'host', path: '/reports', appCpu: plain }).then(measured),
      '(b) host app, @keygate/nestjs, warm cache': (d) =>
        runLoad({
          ...d,
          port: guardedPort,
          host: 'host',
          path: '/reports',
          authorization: auth,
          appCpu: guarded,
        }).then(measured),
      '(c) Keygate POST /keys/verify': (d) =>
        verifyLoad(keygate!.port, host, verifier, presented, d.durationSeconds, keygateCpu),
      '(d) Keygate in-process chain, GET /api/v1/ping': (d) =>
        runLoad({
          ...d,
          port: keygate!.port,
          host,
          path: '/api/v1/ping',
          authorization: auth,
          appCpu: keygateCpu,
        }).then(measured),
    };
    // Two seconds of warm-up each (JIT, the guard's cache, pooled connections), then ROUNDS rounds
    // interleaved so that the load of a shared machine hits every scenario alike; medians.
    for (const load of Object.values(scenarios)) await load(warm);
    const runs: Record<string, Measured[]> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, load] of Object.entries(scenarios)) {
        await sleep(100);
        (runs[name] ??= []).push(await load(base));
      }
    }
    const m = (name: string) => ({
      rps: median(runs[name].map((r) => r.rps)),
      p50: median(runs[name].map((r) => r.p50)),
      cpu: median(runs[name].map((r) => r.cpu)),
    });
    for (const name of Object.keys(scenarios)) {
      const r = m(name);
      if (process.env.BENCH_VERBOSE) console.log(JSON.stringify(runs[name]));
      console.log(
        `${name.padEnd(48)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  app CPU ${r.cpu.toFixed(0)} µs/req`,
      );
    }
    const [a, b, c, d] = Object.keys(scenarios).map(m);
    console.log(
      `guard overhead, warm cache: throughput ${(b.rps / a.rps).toFixed(2)}x, app CPU ${(b.cpu / a.cpu).toFixed(2)}x (+${(b.cpu - a.cpu).toFixed(0)} µs/req)`,
    );
    console.log(
      `verify endpoint vs in-process chain: throughput ${(c.rps / d.rps).toFixed(2)}x, Keygate CPU ${(c.cpu / d.cpu).toFixed(2)}x`,
    );
    console.log(
      `load average during the run: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} CPUs`,
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await keygate?.stop();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
