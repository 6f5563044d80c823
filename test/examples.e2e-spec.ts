import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTenant, TenantFixture } from './support/fixtures';
import { startApp, TestApp } from './support/test-app';

const run = promisify(execFile);
const EXAMPLES = join(__dirname, '..', 'docs', 'examples');

/** docs/examples run against a real server, so that none of them can rot. */
describe('docs/examples: curl, fetch and Python snippets against a real server', () => {
  let t: TestApp;
  let acme: TenantFixture;
  beforeAll(async () => {
    t = await startApp();
    acme = await createTenant(t);
  });
  afterAll(() => t.close());

  /** Runs a snippet with the environment a user sets, and checks the five steps' lines. */
  async function expectSteps(command: string, args: string[]) {
    const { stdout } = await run(command, args, {
      env: {
        PATH: process.env.PATH,
        KEYGATE_URL: `http://${acme.host}:${t.port}`,
        KEYGATE_TOKEN: acme.token,
      },
      timeout: 30_000,
    });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    const [create, call, verify, rotate, revoke] = lines;
    expect(create).toMatch(/^create: \S+ sk_live_\S+$/);
    const created = /^create: (\S+) /.exec(create);
    expect(call).toBe(`call: ${created![1]}`);
    expect(verify).toBe('verify: VALID');
    expect(rotate).toMatch(/^rotate: \S+$/);
    const rotated = /^rotate: (\S+)$/.exec(rotate);
    expect(rotated![1]).not.toBe(created![1]);
    expect(revoke).toBe(`revoke: ${rotated![1]} then 401`);
    // Only the public prefix is ever printed, never a whole key.
    expect(stdout).not.toMatch(/sk_(live|test)_[A-Za-z0-9]{30,}/);
    const key = await acme.owner.get(`/api/v1/api-keys/${rotated![1]}`);
    expect(key.body.status).toBe('revoked');
  }

  it('curl.sh', () => expectSteps('sh', [join(EXAMPLES, 'curl.sh')]));

  it('fetch.mjs', () => expectSteps(process.execPath, [join(EXAMPLES, 'fetch.mjs')]));

  // requests when installed (this machine's Python has it: python3-requests), else urllib.
  it('python.py', () => expectSteps('python3', [join(EXAMPLES, 'python.py')]));

  it('python.py with the standard library only (urllib)', () =>
    expectSteps('python3', [
      '-c',
      "import sys; sys.modules['requests'] = None; sys.argv = [sys.argv[1]]; exec(compile(open(sys.argv[0]).read(), sys.argv[0], 'exec'))",
      join(EXAMPLES, 'python.py'),
    ]));

  it('fails loudly without its environment', async () => {
    for (const [command, file] of [
      ['sh', 'curl.sh'],
      [process.execPath, 'fetch.mjs'],
      ['python3', 'python.py'],
    ]) {
      const failure = await run(command, [join(EXAMPLES, file)], { env: { PATH: process.env.PATH } }).catch(
        (e: { code: number; stderr: string }) => e,
      );
      expect((failure as { code: number }).code).not.toBe(0);
      expect((failure as { stderr: string }).stderr).toMatch(/KEYGATE_URL/);
    }
  });
});
