import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const LOGGER = join(__dirname, '..', 'dist', 'src', 'http', 'app-logger.js');

/**
 * The JSON logger gathers access lines before handing them to its asynchronous destination: a
 * process that dies of an uncaught exception, or exits without the graceful flush, still writes
 * every line it was given.
 */
describe('JSON access lines when the process ends abruptly', () => {
  const run = (ending: string) =>
    spawnSync(
      process.execPath,
      [
        '-e',
        `const { jsonLogger } = require(${JSON.stringify(LOGGER)});
         const logger = jsonLogger({ logLevel: 'info' });
         for (let n = 0; n < 30; n++)
           logger.access({ requestId: 'r-' + n, method: 'GET', path: '/p', status: 200, durationMs: 1 });
         ${ending}`,
      ],
      { encoding: 'utf8' },
    );
  const ids = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { requestId: string }).requestId);
  const all = Array.from({ length: 30 }, (_, n) => `r-${n}`);

  it('writes them when an uncaught exception ends it', () => {
    const result = run("setTimeout(() => { throw new Error('boom'); }, 5);");
    expect(result.status).not.toBe(0);
    expect(ids(result.stdout)).toEqual(all);
  });

  it('writes them when process.exit ends it', () => {
    const result = run('setTimeout(() => process.exit(3), 5);');
    expect(result.status).toBe(3);
    expect(ids(result.stdout)).toEqual(all);
  });
});
