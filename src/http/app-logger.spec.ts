import pino from 'pino';
import { Writable } from 'node:stream';
import { accessJson, AccessRecord } from './app-logger';

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
});
