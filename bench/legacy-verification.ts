/**
 * `node dist/bench/legacy-verification.js` (built by `npm run build`): what legacy support costs.
 * - the first use of an imported bcrypt key (cost 10, PHP's default: bcrypt + the lazy upgrade)
 *   against its second use with a cold key cache (KEY_CACHE_TTL_SECONDS=0: one HMAC and one
 *   indexed query, as a native key's first use);
 * - native-key throughput on a tenant without imports and on one with imports (the legacy path is
 *   not on a native key's way, so both should be the same).
 * About 20 s, SQLite, one app process per part.
 */
import { hash } from 'bcrypt';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenant, httpJson, startApp } from './app-process';
import { median, runLoad } from './load';

const KEYS = 5;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'keygate-legacy-bench-'));
  const env = { DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'bench.sqlite')}` };
  try {
    const latency = await legacyLatency({ ...env, KEY_CACHE_TTL_SECONDS: '0' });
    const throughput = await nativeThroughput(env);
    console.log(JSON.stringify({ legacy_bcrypt_cost_10: latency, native_keys: throughput }, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function legacyLatency(env: Record<string, string>) {
  const tenant = await createTenant('legacy', env);
  const app = await startApp(env);
  try {
    const host = 'legacy.localhost';
    const keys = Array.from({ length: KEYS }, () => randomBytes(32).toString('hex'));
    const rows = await Promise.all(
      keys.map(async (key, i) => ({
        id: i + 1,
        name: `bench ${i}`,
        key_prefix: key.slice(0, 8),
        key_hash: (await hash(key, 10)).replace(/^\$2b\$/, '$2y$'),
        permissions: ['invoices.read'],
      })),
    );
    const imported = await httpJson(
      app.port,
      'POST',
      '/api/v1/api-keys/import',
      { host, authorization: `Bearer ${tenant.token}` },
      { format: 'hex-bcrypt', rows },
    );
    if (imported.status !== 200) throw new Error(`import answered ${imported.status}`);
    const timed = async (key: string) => {
      const start = performance.now();
      const res = await httpJson(app.port, 'GET', '/api/v1/invoices', {
        host,
        authorization: `Bearer ${key}`,
      });
      if (res.status !== 200) throw new Error(`a legacy key answered ${res.status}`);
      return performance.now() - start;
    };
    const first: number[] = [];
    const second: number[] = [];
    for (const key of keys) first.push(await timed(key));
    for (const key of keys) second.push(await timed(key));
    return {
      first_use_ms_median: round(median(first)),
      second_use_cold_cache_ms_median: round(median(second)),
    };
  } finally {
    await app.stop();
  }
}

async function nativeThroughput(env: Record<string, string>) {
  const plain = await createTenant('plain', env);
  const migrated = await createTenant('migrated', env);
  const app = await startApp(env);
  try {
    const keyOf = async (slug: string, token: string) => {
      const res = await httpJson(
        app.port,
        'POST',
        '/api/v1/api-keys',
        { host: `${slug}.localhost`, authorization: `Bearer ${token}` },
        { name: 'bench', scopes: ['invoices:read'], rate_limit_tier: 'enterprise' },
      );
      return res.body!.key as string;
    };
    const legacy = randomBytes(32).toString('hex');
    await httpJson(
      app.port,
      'POST',
      '/api/v1/api-keys/import',
      { host: 'migrated.localhost', authorization: `Bearer ${migrated.token}` },
      {
        format: 'hex-bcrypt',
        rows: [
          { id: 1, key_prefix: legacy.slice(0, 8), key_hash: await hash(legacy, 4), permissions: ['*'] },
        ],
      },
    );
    const out: Record<string, { rps: number; p50_ms: number; p99_ms: number }> = {};
    for (const [name, slug, token] of [
      ['tenant_without_imports', 'plain', plain.token],
      ['tenant_with_imports', 'migrated', migrated.token],
    ] as const) {
      const key = await keyOf(slug, token);
      const result = await runLoad({
        port: app.port,
        host: `${slug}.localhost`,
        path: '/api/v1/invoices',
        connections: 10,
        durationSeconds: 6,
        authorization: `Bearer ${key}`,
      });
      if (Object.keys(result.statuses).some((s) => s !== '200'))
        throw new Error(`statuses ${JSON.stringify(result.statuses)}`);
      out[name] = { rps: Math.round(result.rps), p50_ms: round(result.p50), p99_ms: round(result.p99) };
    }
    return out;
  } finally {
    await app.stop();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
