import pino from 'pino';
import { Writable } from 'node:stream';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessJson, AccessRecord, isoTimeCached, jsonLogger, quoted } from './app-logger';

/** What pino itself writes for the record, with the options jsonLogger gives it. */
function viaPino(record: AccessRecord, time: string): string {
  let line = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      line += chunk.toString();
      done();
    },
  });
  const log = pino(
    {
      level: 'info',
      base: { service: 'keygate' },
      timestamp: () => `,"time":"${time}"`,
      formatters: { level: (label) => ({ level: label }) },
    },
    sink,
  );
  log.info({ context: 'HTTP', ...record }, 'request');
  return line;
}

describe('accessJson', () => {
  const time = '2026-12-02T03:30:00.123Z';

  it('writes exactly the line pino would, byte for byte', () => {
    const records: AccessRecord[] = [
      {
        requestId: '6812fc29-85dd-47b3-8837-bc5b4857f49d',
        method: 'GET',
        path: '/api/v1/ping',
        route: '/api/v1/ping',
        status: 200,
        durationMs: 1.3,
        ip: '127.0.0.1',
        tenant: 'acme',
        credential: 'sk_live_0123456789abcdef',
      },
      // Optional fields absent, and a path with characters JSON must escape.
      { requestId: 'r-1', method: 'POST', path: '/a"b\\c', status: 400, durationMs: 0 },
    ];
    for (const record of records) expect(accessJson(record, time)).toBe(viaPino(record, time));
  });

  it('writes each line’s own route and caller when the fields it keeps from earlier lines differ', () => {
    const base: AccessRecord = {
      requestId: 'r',
      method: 'GET',
      path: '/a',
      route: '/a',
      status: 200,
      durationMs: 1,
    };
    const records: AccessRecord[] = [
      base,
      { ...base, method: 'POST' },
      { ...base, path: '/a/1', route: '/a/:id' },
      { ...base, path: '/a/2', route: '/a/:id' },
      { ...base, tenant: 'acme', credential: 'sk_live_aaaaaaaaaaaaaaaa' },
      { ...base, tenant: 'acme', credential: 'sk_live_bbbbbbbbbbbbbbbb' },
      { ...base, tenant: 'acme' },
      { ...base, tenant: 'globex', credential: 'sk_live_aaaaaaaaaaaaaaaa' },
      { ...base, credential: 'kgp_cccccccccccccccc' },
      base,
    ];
    for (const record of [...records, ...records])
      expect(accessJson(record, time)).toBe(viaPino(record, time));
  });
});

describe('jsonLogger', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'keygate-log-'))));
  // The descriptors stay open: each logger keeps flushing to its own every 200 ms for the rest
  // of the test process, and a closed one would fail those writes (EBADF).
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  // A descriptor, as stdout is: SonicBoom opens a path asynchronously, after the test has flushed.
  const descriptorOf = (file: string) => {
    return openSync(file, 'w');
  };

  const record = (n: number): AccessRecord => ({
    requestId: `r-${n}`,
    method: 'GET',
    path: `/api/v1/ping/${n}`,
    status: 200,
    durationMs: 1,
  });
  const lines = (file: string) =>
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('keeps every line, in the order written, across the access lines it gathers', async () => {
    const file = join(dir, 'out.log');
    const logger = jsonLogger({ logLevel: 'info' }, descriptorOf(file));
    // Enough access lines to hand over several 4 KB batches, with other lines between them.
    for (let n = 0; n < 200; n++) {
      logger.access(record(n));
      if (n % 37 === 0) logger.nest.warn(`after ${n}`, 'Test');
    }
    await logger.flush();
    const written = lines(file).map((r) => (r.context === 'HTTP' ? r.requestId : r.msg));
    const expected: unknown[] = [];
    for (let n = 0; n < 200; n++) {
      expected.push(`r-${n}`);
      if (n % 37 === 0) expected.push(`after ${n}`);
    }
    expect(written).toEqual(expected);
  });

  it('writes a lone access line when flushed, before 4 KB have gathered', async () => {
    const file = join(dir, 'one.log');
    const logger = jsonLogger({ logLevel: 'info' }, descriptorOf(file));
    logger.access(record(1));
    await logger.flush();
    expect(lines(file)).toEqual([expect.objectContaining({ requestId: 'r-1', msg: 'request' })]);
  });

  it('writes no access line below info', async () => {
    const file = join(dir, 'warn.log');
    const logger = jsonLogger({ logLevel: 'warn' }, descriptorOf(file));
    logger.access(record(1));
    logger.nest.warn('only this', 'Test');
    await logger.flush();
    expect(lines(file).map((r) => r.msg)).toEqual(['only this']);
  });
});

describe('isoTimeCached', () => {
  it('gives what toISOString gives, across milliseconds, seconds, days and years', () => {
    let now = 0;
    const time = isoTimeCached(() => now);
    const instants = [0, 1, 999, 1000, 1001, Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 1)];
    for (let t = Date.UTC(2026, 11, 7, 14, 0, 0, 0); t < Date.UTC(2026, 11, 7, 14, 0, 3, 0); t += 7)
      instants.push(t);
    // And backwards, as a clock stepped back by NTP goes.
    instants.push(Date.UTC(2026, 11, 7, 13, 59, 59, 5));
    for (const instant of instants) {
      now = instant;
      expect(time()).toBe(new Date(instant).toISOString());
    }
  });
});

describe('quoted', () => {
  it('is JSON.stringify for every string, escapes and all', () => {
    const samples = [
      '',
      'plain',
      'a"b',
      'a\\b',
      'tab\there',
      'nl\n',
      '\u0000',
      '\u001f',
      '\u007f',
      'é',
      '\u2028',
      '\ud800',
      '\udc00x',
      '😀',
    ];
    // And every single character of the first 512 code units, alone and inside text.
    for (let c = 0; c < 512; c++) samples.push(String.fromCharCode(c), `x${String.fromCharCode(c)}y`);
    for (const sample of samples) expect(quoted(sample)).toBe(JSON.stringify(sample));
  });
});
