import { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load-config';
import { createApp } from '../src/http/create-app';
import { TenantProvisioner } from '../src/tenants/tenant-provisioner';

const ROUNDS = 9;
const REQUESTS = 4000;

interface Request {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  payload?: Record<string, unknown>;
}

/**
 * The guard chain's own cost, without sockets or a load generator sharing the CPU: the app runs
 * in this process and requests go through `fastify.inject`; each figure is this process's CPU
 * time (user + system) per request, median of interleaved rounds. It answers "what does the
 * chain cost" far more steadily than req/s over loopback on a 2-core machine.
 */
export async function measureInProcess(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'keygate-bench-inproc-'));
  const env = {
    DATA_DIR: dir,
    APP_KEY: 'bench-app-key-0123456789-abcdefghijklmnop',
    LOG_LEVEL: 'error',
    USAGE_FLUSH_INTERVAL_SECONDS: '3600',
    AUTH_FAILURE_LIMIT: '1000000',
  };
  // The app reads its configuration from process.env when it boots (keygate.config.ts).
  Object.assign(process.env, env);
  delete process.env.DATABASE_URL;
  delete process.env.REDIS_URL;
  const app: INestApplication = await createApp(loadConfig(process.env));
  try {
    await app.init();
    const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
    await fastify.ready();
    const inject = async (request: Request): Promise<{ status: number; body: string }> => {
      const res = await fastify.inject({ ...request, payload: request.payload && JSON.stringify(request.payload) });
      return { status: res.statusCode, body: res.body };
    };
    const owner = await app.get(TenantProvisioner).create({ slug: 'inproc', owner_email: 'o@inproc.test', owner_password: 'bench-password' });
    const host = 'inproc.localhost';
    const created = await inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: { host, authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
      payload: { name: 'in-process', scopes: ['ping:read'], rate_limit: { limit: 1_000_000_000, window_seconds: 3600 } },
    });
    const key = (JSON.parse(created.body) as { key: string }).key;
    const scenarios: Record<string, Request> = {
      a: { method: 'GET', url: '/api/v1/ping/public', headers: { host } },
      b: { method: 'GET', url: '/api/v1/ping', headers: { host, authorization: `Bearer ${key}` } },
      c: { method: 'GET', url: '/api/v1/ping', headers: { host, authorization: `Bearer sk_live_${'A'.repeat(16)}_${'B'.repeat(38)}` } },
    };
    const expected: Record<string, number> = { a: 200, b: 200, c: 401 };
    const samples: Record<string, number[]> = { a: [], b: [], c: [] };
    for (let round = -1; round < ROUNDS; round++) {
      for (const [name, request] of Object.entries(scenarios)) {
        const start = process.cpuUsage();
        for (let i = 0; i < REQUESTS; i++) {
          const res = await inject(request);
          if (res.status !== expected[name]) throw new Error(`in-process (${name}) answered ${res.status}: ${res.body}`);
        }
        const used = process.cpuUsage(start);
        if (round >= 0) samples[name].push((used.user + used.system) / REQUESTS);
      }
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    const [a, b, c] = [median(samples.a), median(samples.b), median(samples.c)];
    return [
      `in process (fastify.inject, SQLite, no sockets): CPU µs per request, median of ${ROUNDS} rounds × ${REQUESTS}`,
      `  (a) public ${a.toFixed(1)} µs · (b) whole chain ${b.toFixed(1)} µs · (c) malformed ${c.toFixed(1)} µs`,
      `  the chain costs ${(b - a).toFixed(1)} µs a request · b/a throughput ${(a / b).toFixed(2)} (target ≥ 0.85) · c/a ${(a / c).toFixed(2)} (target ≥ 1.0)`,
    ].join('\n');
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
