import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { BASE62, checksum } from '../src/api-keys/key-format';
import { median } from './load';

export interface FloodResult {
  requests: number;
  rps: number;
  statuses: Record<number, number>;
  /** Statements the app sent to its database during the flood (its own counter, /metrics). */
  queries: number;
  addresses: number;
}

export interface TimingResult {
  /** Median server time of each refusal, µs, measured from the client over one kept-alive connection. */
  medians: Record<'unknown' | 'wrongSecret' | 'otherTenant', number>;
  spread: number;
  rounds: number;
}

/** A well-formed key (valid CRC32) with a random key id: what anyone can mint, since CRC32 is public. */
export function forgedKey(): string {
  const pick = (n: number) => Array.from(randomBytes(n), (b) => BASE62[b % 62]).join('');
  const body = `sk_live_${pick(16)}_${pick(32)}`;
  return body + checksum(body);
}

/** The app's own count of statements sent to its database (/metrics, platform key). */
export async function queryCount(port: number, platformKey: string): Promise<number> {
  const text = await new Promise<string>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/metrics',
        headers: { host: 'localhost', authorization: `Bearer ${platformKey}` },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(body));
      },
    );
    req.on('error', reject);
    req.end();
  });
  const line = text.split('\n').find((l) => l.startsWith('keygate_database_queries_total '));
  if (!line) throw new Error('/metrics has no keygate_database_queries_total');
  return Number(line.split(' ')[1]);
}

/**
 * 20,000 forged keys, each from its own client address (X-Forwarded-For, the app trusts one
 * proxy hop), for 3 s after a warm-up; counts the database statements the app made meanwhile
 * (the two /metrics scrapes around it look platform keys up: 1 statement each, subtracted).
 */
export async function floodForgedKeys(o: {
  port: number;
  host: string;
  platformKey: string;
}): Promise<FloodResult> {
  const keys = Array.from({ length: 20_000 }, forgedKey);
  let next = 0;
  const statuses: Record<number, number> = {};
  const run = (seconds: number) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: `http://127.0.0.1:${o.port}/api/v1/ping`,
          connections: 20,
          duration: seconds,
          headers: { host: o.host },
          requests: [
            {
              setupRequest: (req: autocannon.Request) => {
                const i = next++;
                req.headers = {
                  ...req.headers,
                  authorization: `Bearer ${keys[i % keys.length]}`,
                  'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
                };
                return req;
              },
            },
          ],
        },
        (error, result) => (error ? reject(error as Error) : resolve(result)),
      );
      instance.on(
        'response',
        (_c: unknown, status: number) => (statuses[status] = (statuses[status] ?? 0) + 1),
      );
    });
  await run(1);
  for (const k of Object.keys(statuses)) delete statuses[Number(k)];
  const before = await queryCount(o.port, o.platformKey);
  const startIndex = next;
  const result = await run(3);
  const queries = (await queryCount(o.port, o.platformKey)) - before - 1;
  const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    requests,
    rps: requests / result.duration,
    statuses,
    queries,
    addresses: Math.min(next - startIndex, 1 << 24),
  };
}

/**
 * Refusal times, interleaved round by round so that drift hits all three alike: an unknown id (a
 * fresh forged key each time, made before the clock starts), a wrong secret for a valid key, and
 * another tenant's valid key.
 */
export async function timeRefusals(o: {
  port: number;
  host: string;
  validKey: string;
  foreignKey: string;
}): Promise<TimingResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const wrongBody = o.validKey.slice(0, -7) + (o.validKey.slice(-7, -6) === 'a' ? 'b' : 'a');
  const wrongSecret = wrongBody + checksum(wrongBody);
  const once = (key: string) =>
    new Promise<number>((resolve, reject) => {
      const started = process.hrtime.bigint();
      const req = request(
        {
          host: '127.0.0.1',
          port: o.port,
          path: '/api/v1/ping',
          agent,
          headers: { host: o.host, authorization: `Bearer ${key}` },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== 401) reject(new Error(`a refusal answered ${res.statusCode}`));
            else resolve(Number(process.hrtime.bigint() - started) / 1000);
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  const rounds = 500;
  const forged = Array.from({ length: rounds + 50 }, forgedKey);
  const times = { unknown: [] as number[], wrongSecret: [] as number[], otherTenant: [] as number[] };
  for (let i = 0; i < rounds + 50; i++) {
    const t = [await once(forged[i]), await once(wrongSecret), await once(o.foreignKey)];
    if (i < 50) continue; // warm-up
    times.unknown.push(t[0]);
    times.wrongSecret.push(t[1]);
    times.otherTenant.push(t[2]);
  }
  agent.destroy();
  const medians = {
    unknown: median(times.unknown),
    wrongSecret: median(times.wrongSecret),
    otherTenant: median(times.otherTenant),
  };
  const values = Object.values(medians);
  return { medians, spread: Math.max(...values) / Math.min(...values), rounds };
}
