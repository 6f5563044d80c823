import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { BARE, benchAppEnv, createKey, createTenant, httpJson, startApp, StartOptions } from './app-process';
import { type InstructionTarget, parseInstructionsArgs } from './args';
import { sqliteDatabase } from './database';

/**
 * `npm run bench:instructions [-- --requests 1000] [--warmup 30000] [--connections 1]`: CPU
 * instructions per request, counted by valgrind's callgrind in the server process (all its
 * threads), for bare Nest + Fastify, (a) Keygate's `@Public()` route and (b) the timed bench's
 * authenticated `GET /api/v1/ping` with a workspace API key, each on its own server from the same
 * build. A count does not follow the machine's clock speed or the other tenants of the host,
 * which move req/s by 2× within a minute, so it can guide ablations. It is not time (cache misses,
 * the kernel's side of the sockets, lock waits are not in it): `npm run bench` stays the measure
 * of record.
 *
 * One connection by default: each request is then one turn of the event loop, whatever the
 * machine's pace. With 8, how many requests shared a turn (and so its fixed cost) followed the
 * pace of the load generator on this shared machine: bare's count moved from 70.9k to 107k
 * between runs, against 71.8k and 72.4k for two runs on one connection.
 */
const READY_SECONDS = 600;

/**
 * Counted windows per server; the median is the figure. One window now and then holds a spike
 * (V8 compiling or collecting more than usual: one (a) window counted 133k against 105k in the
 * windows either side), which the median leaves out and the spread shows.
 */
const WINDOWS = 5;

/**
 * Counting starts off (--instr-atstart=no) and is switched on after the warm-up, so the count has
 * neither startup nor JIT warm-up in it. V8 writes and rewrites machine code in anonymous memory:
 * valgrind must watch all of it (--smc-check=all-non-file) or it runs stale translations.
 */
const CALLGRIND = ['valgrind', '--tool=callgrind', '--smc-check=all-non-file', '--instr-atstart=no'];

/**
 * callgrind_control finds the process through vgdb's pipes in /tmp, which are named after USER and
 * HOST as each side sees them: the server is given the same ones (HOST is the address it listens on).
 */
const VGDB_IDENTITY = { USER: userInfo().username, HOST: '127.0.0.1' };

/**
 * The timed bench's env, but with the tenant and key caches kept for an hour: under valgrind a
 * request takes ~50× as long, so their re-reads (one a TTL, 10 s and 60 s) would land ~50× as often
 * per request as in the timed bench, and how many fall in the counted window would follow the
 * machine's speed. An hour puts none in it, as in the timed bench, where they are 2 in 80,000.
 */
const CACHES_KEPT = { TENANT_CACHE_TTL_SECONDS: '3600', KEY_CACHE_TTL_SECONDS: '3600' };

interface Counting {
  /** Requests counted per server. */
  requests: number;
  /** Keep-alive connections the requests are spread over. */
  connections: number;
  /**
   * Requests before counting starts. 3,000 was measured not to be enough here: V8 was still
   * compiling hot code in its background threads during the counted requests (~40% of bare's
   * count, which moved from 142k to 173k between runs); from 10,000 those threads count ~1%.
   * 10,000 then left bare counting 184k, 166k, 97k, 86k, 71k in five windows of one run on a
   * slower day (twice), where 30,000 gave 70.7k–71.9k.
   */
  warmup: number;
  /** Which of the servers to count. */
  only: InstructionTarget[];
}

interface Target {
  label: string;
  path: string;
  headers: Record<string, string>;
  start: StartOptions;
  /** What this server's env sets apart from the others' (the log level). */
  env?: Record<string, string>;
  /** The status every answer must have (200 unless said). */
  status?: number;
}

async function main(): Promise<void> {
  const counting: Counting = parseInstructionsArgs(process.argv.slice(2));
  const db = sqliteDatabase();
  const env = { ...benchAppEnv(db.env), ...CACHES_KEPT };
  const dumps = mkdtempSync(join(tmpdir(), 'keygate-callgrind-'));
  try {
    const { host, key } = await seed(env);
    const all: Array<Target & { name: InstructionTarget }> = [
      {
        name: 'bare',
        label: 'bare Nest + Fastify',
        path: '/hello',
        headers: { host: 'localhost' },
        start: bareStart,
      },
      { name: 'a', label: '(a) @Public() route', path: '/api/v1/ping/public', headers: { host }, start: {} },
      {
        name: 'b',
        label: '(b) whole chain, API key',
        path: '/api/v1/ping',
        headers: { host, authorization: `Bearer ${key}` },
        start: {},
      },
      {
        name: 'c',
        label: '(c) malformed key, 401',
        path: '/api/v1/ping',
        headers: { host, authorization: `Bearer sk_live_${'A'.repeat(16)}_${'B'.repeat(38)}` },
        start: {},
        status: 401,
      },
      {
        name: 'bjson',
        label: '(b) with JSON access log',
        path: '/api/v1/ping',
        headers: { host, authorization: `Bearer ${key}` },
        // The timed bench's json server: the default level, a JSON line per request, written to
        // /dev/null (its write calls are the kernel's work, which callgrind does not count).
        start: { discardStdout: true },
        env: { LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
      },
    ];
    const targets = all.filter((target) => counting.only.includes(target.name));
    const counts: number[][] = [];
    for (const target of targets) {
      const count = await instructionsPerRequest(target, env, counting, dumps);
      process.stderr.write(`  ${target.label}: ${count.map(thousands).join(', ')} instructions/request\n`);
      counts.push(count);
    }
    printTable(targets, counts, counting);
  } finally {
    rmSync(dumps, { recursive: true, force: true });
    await db.close();
  }
}

const bareStart: StartOptions = { script: BARE, readyPath: '/hello' };

/**
 * A tenant and a workspace key, made on Keygate started normally on the bench's SQLite file (the
 * app runs the migrations), then stopped: seeding under valgrind would only be slower.
 */
async function seed(env: Record<string, string>): Promise<{ host: string; key: string }> {
  const app = await startApp(env);
  try {
    const slug = `instr-${Date.now().toString(36)}`;
    const host = `${slug}.localhost`;
    const seeded = await createTenant(slug, env);
    return { host, key: await createKey(app.port, host, seeded.token, 'bench instructions key') };
  } finally {
    await app.stop();
  }
}

/** One server under callgrind: the warm-up uncounted, then the requests counted, divided. */
async function instructionsPerRequest(
  target: Target,
  env: Record<string, string>,
  { requests, warmup, connections }: Counting,
  dumps: string,
): Promise<number[]> {
  const wrapper = [...CALLGRIND, `--callgrind-out-file=${join(dumps, 'cg.%p.out')}`];
  const app = await startApp(
    { ...env, ...target.env, ...VGDB_IDENTITY },
    { ...target.start, wrapper, readySeconds: READY_SECONDS },
  );
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  try {
    await drive(app.port, target, warmup, agent, connections);
    callgrindControl(['-i', 'on'], app.pid);
    const perRequest: number[] = [];
    for (let window = 1; window <= WINDOWS; window++) {
      await drive(app.port, target, requests, agent, connections);
      // Each dump zeroes the counters; --callgrind-out-file names the n-th on request <file>.n.
      callgrindControl(['-d'], app.pid);
      perRequest.push(dumpedInstructions(join(dumps, `cg.${app.pid}.out.${window}`)) / requests);
    }
    return perRequest;
  } finally {
    agent.destroy();
    await app.stop();
  }
}

/** `count` GETs over `connections` keep-alive connections; any answer but the target's status fails the run. */
async function drive(
  port: number,
  target: Target,
  count: number,
  agent: Agent,
  connections: number,
): Promise<void> {
  let sent = 0;
  const connection = async () => {
    while (sent < count) {
      sent++;
      const res = await httpJson(port, 'GET', target.path, target.headers, undefined, agent);
      if (res.status !== (target.status ?? 200))
        throw new Error(`${target.label} answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
  };
  await Promise.all(Array.from({ length: connections }, connection));
}

/** `callgrind_control <args> <pid>`; it exits 0 even when it found no such process, hence the check. */
function callgrindControl(args: string[], pid: number): void {
  const out = execFileSync('callgrind_control', [...args, String(pid)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...VGDB_IDENTITY },
  });
  if (!out.includes('OK.')) throw new Error(`callgrind_control ${args.join(' ')} ${pid}: ${out}`);
}

/** The instructions a dump counted: its `summary:` line (or `totals:`, the same figure). */
function dumpedInstructions(file: string): number {
  const match = /^(?:summary|totals): (\d+)/m.exec(readFileSync(file, 'utf8'));
  if (!match) throw new Error(`no summary line in ${file}`);
  return Number(match[1]);
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

function printTable(
  targets: Array<Target & { name: InstructionTarget }>,
  counts: number[][],
  { requests, warmup, connections }: Counting,
): void {
  const valgrind = execFileSync('valgrind', ['--version'], { encoding: 'utf8' }).trim();
  // Without bare in the run there is no ratio to print (an ablation compares counts).
  const bare = targets[0].name === 'bare' ? median(counts[0]) : NaN;
  const rows = targets.map((target, i) => [
    target.label.padEnd(24),
    `GET ${target.path}`.padEnd(28),
    thousands(median(counts[i])).padStart(22),
    (bare / median(counts[i])).toFixed(2).padStart(8),
    `  ${thousands(Math.min(...counts[i]))}–${thousands(Math.max(...counts[i]))}`,
  ]);
  process.stdout.write(
    [
      `Node ${process.version}, ${valgrind} callgrind, SQLite, LOG_LEVEL=warn but where a row says; per server ${WINDOWS} windows of ${requests} requests counted after ${warmup} uncounted, ${connections} keep-alive connection(s); median window`,
      `${'server'.padEnd(24)} ${'request'.padEnd(28)} ${'instructions/request'.padStart(22)} ${'bare/x'.padStart(8)}  windows' range`,
      ...rows.map((row) => row.join(' ')),
    ].join('\n') + '\n',
  );
}

main().catch((error: Error) => {
  process.stderr.write(`bench:instructions failed: ${error.message}\n`);
  process.exit(1);
});
