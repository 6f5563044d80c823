import { cpus } from 'node:os';
import { AppProcess, createTenant, httpJson, startApp } from './app-process';
import { parseArgs } from './args';
import { BenchDatabase, mysqlDatabase, sqliteDatabase } from './database';
import { LoadResult, LoadSpec, runLoad } from './load';
import { printReport } from './report';
import { KeyFactory } from './seed-keys';

/**
 * `npm run bench [-- --mysql] [-- --seed-keys 1000000]`: what the guard chain costs. Boots the app
 * as child processes (LOG_LEVEL=warn) on a fresh database, seeds a tenant and keys, then measures
 * over loopback, interleaved in every run so that drift hits all scenarios alike:
 *   (a) a @Public() route, (b) the same route shape through the whole guard chain with one valid
 *   key, (c) malformed keys, (d) valid keys that always miss the cache (second app process with
 *   KEY_CACHE_TTL_SECONDS=0, 1,000 distinct keys in turn);
 * and prints medians over the runs, the ratios the issue sets targets for, the database writes
 * during (b), and the app's own CPU time per request (from /proc), which shows what the chain
 * costs far more steadily than req/s on a 2-core machine shared with the load generator.
 */
const COLD_POOL = 1000;
const BATCH = 5000;

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const db: BenchDatabase = options.mysql ? await mysqlDatabase() : sqliteDatabase();
  // Usage (last_used_at, daily counts) is flushed in one background batch per interval, never per
  // request. The bench defers it past the measurement so that "writes during (b)" shows what the
  // requests themselves write; at the default 10 s it would add 2 rows per active key per 10 s,
  // whatever the request rate.
  const env = { ...db.env, USAGE_FLUSH_INTERVAL_SECONDS: '3600', AUTH_FAILURE_LIMIT: '1000000' };
  const apps: AppProcess[] = [];
  try {
    const hot = await startApp(env);
    apps.push(hot);
    const slug = `bench-${Date.now().toString(36)}`;
    const host = `${slug}.localhost`;
    const seeded = await createTenant(slug, env);
    const created = await httpJson(
      hot.port,
      'POST',
      '/api/v1/api-keys',
      { host, authorization: `Bearer ${seeded.token}` },
      {
        name: 'bench hot key',
        scopes: ['ping:read'],
        rate_limit: { limit: 1_000_000_000, window_seconds: 3600 },
      },
    );
    if (created.status !== 201)
      throw new Error(`creating the bench key answered ${created.status}: ${JSON.stringify(created.body)}`);
    const hotKey = String(created.body?.key);
    const factory = new KeyFactory(seeded.tenant.id, seeded.workspace.id, db.timestamp);
    const pool = factory.make(COLD_POOL, () => true);
    await db.insertKeys(pool.rows);
    const cold = await startApp({ ...env, KEY_CACHE_TTL_SECONDS: '0' });
    apps.push(cold);

    const malformed = `sk_live_${'A'.repeat(16)}_${'B'.repeat(38)}`;
    const base = { host, connections: options.connections, durationSeconds: options.durationSeconds };
    const scenarios: Record<string, LoadSpec> = {
      a: { ...base, port: hot.port, appCpu: hot.cpuMicros, path: '/api/v1/ping/public' },
      b: {
        ...base,
        port: hot.port,
        appCpu: hot.cpuMicros,
        path: '/api/v1/ping',
        authorization: `Bearer ${hotKey}`,
      },
      c: {
        ...base,
        port: hot.port,
        appCpu: hot.cpuMicros,
        path: '/api/v1/ping',
        authorization: `Bearer ${malformed}`,
      },
      d: { ...base, port: cold.port, appCpu: cold.cpuMicros, path: '/api/v1/ping', keys: pool.plaintexts },
    };
    await sanityCheck(scenarios);
    const results = await measure(scenarios, options.runs, db);

    const single = { a1: { ...scenarios.a, connections: 1 }, b1: { ...scenarios.b, connections: 1 } };
    const singles = await measure(single, options.runs, null);

    let coldLarge: LoadResult[] | undefined;
    if (options.seedKeys > 0) {
      const sample = await seedMany(db, factory, options.seedKeys - COLD_POOL - 1);
      coldLarge = (await measure({ dLarge: { ...scenarios.d, keys: sample } }, options.runs, null)).results
        .dLarge;
    }
    printReport({
      label: db.label,
      cpus: cpus().length,
      options,
      scenarios: results.results,
      singles: singles.results,
      writes: results.writes,
      writesHow: results.writesHow,
      coldPool: COLD_POOL,
      coldLarge,
    });
    const warnings = apps
      .map((app) => app.output())
      .join('')
      .trim();
    if (warnings)
      process.stdout.write(
        `\napp log (LOG_LEVEL=warn), last lines:\n${warnings.split('\n').slice(-5).join('\n')}\n`,
      );
  } finally {
    for (const app of apps) await app.stop();
    await db.close();
  }
}

/** One request per scenario, to fail fast (with the answer) rather than measure the wrong thing. */
async function sanityCheck(scenarios: Record<string, LoadSpec>): Promise<void> {
  const expected: Record<string, number> = { a: 200, b: 200, c: 401, d: 200 };
  for (const [name, spec] of Object.entries(scenarios)) {
    const authorization = spec.authorization ?? (spec.keys ? `Bearer ${spec.keys[0]}` : undefined);
    const res = await httpJson(spec.port, 'GET', spec.path, {
      host: spec.host,
      ...(authorization ? { authorization } : {}),
    });
    if (res.status !== expected[name])
      throw new Error(`scenario (${name}) answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
}

/** A one-second warm-up of each, then `runs` interleaved rounds; writes are probed around (b). */
async function measure(scenarios: Record<string, LoadSpec>, runs: number, db: BenchDatabase | null) {
  const results: Record<string, LoadResult[]> = {};
  for (const spec of Object.values(scenarios)) await runLoad({ ...spec, durationSeconds: 1 });
  let writes = 0;
  let writesHow = '';
  let requestsDuringB = 0;
  for (let run = 0; run < runs; run++) {
    for (const [name, spec] of Object.entries(scenarios)) {
      const before = name === 'b' && db ? await db.probeWrites() : null;
      const result = await runLoad(spec);
      if (before && db) {
        const delta = db.writesBetween(before, await db.probeWrites());
        writes += delta.writes;
        writesHow = delta.how;
        requestsDuringB += Object.values(result.statuses).reduce((x, y) => x + y, 0);
      }
      (results[name] ??= []).push(result);
      process.stderr.write(
        `  run ${run + 1}/${runs} (${name}): ${Math.round(result.rps)} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms\n`,
      );
    }
  }
  return { results, writes: { count: writes, requests: requestsDuringB }, writesHow };
}

/** Bulk-inserts `count` more keys in batches; returns plaintexts of COLD_POOL keys spread over them. */
async function seedMany(db: BenchDatabase, factory: KeyFactory, count: number): Promise<string[]> {
  const every = Math.max(1, Math.floor(count / COLD_POOL));
  const sample: string[] = [];
  const started = Date.now();
  for (let done = 0; done < count; done += BATCH) {
    const size = Math.min(BATCH, count - done);
    const batch = factory.make(size, (i) => (done + i) % every === 0 && sample.length < COLD_POOL);
    sample.push(...batch.plaintexts.slice(0, COLD_POOL - sample.length));
    await db.insertKeys(batch.rows);
    if ((done / BATCH) % 20 === 0)
      process.stderr.write(
        `  seeded ${done + size} keys (${((Date.now() - started) / 1000).toFixed(0)} s)\n`,
      );
  }
  process.stderr.write(`  seeded ${count} keys in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  return sample;
}

main().catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.message}\n`);
  process.exit(1);
});
