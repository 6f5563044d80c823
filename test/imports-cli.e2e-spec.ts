import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenant, TenantFixture } from './support/fixtures';
import { hexKey, sanctumToken, voltisToken } from './support/legacy-dumps';
import { startApp, TEST_APP_KEY, TestApp } from './support/test-app';
import { createUser, UserFixture } from './support/users';

const CLI = join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');

/** `npm run cli -- keys:import` as a real process on the app's database. */
describe('imports: keys:import on the command line', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let bob: UserFixture;
  let dir: string;

  function cli(
    args: string[],
    env: Record<string, string> = {},
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const full: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      APP_KEY: TEST_APP_KEY,
      DATA_DIR: dir,
      DATABASE_URL: t.sqliteFile ? `sqlite:${t.sqliteFile}` : process.env.DATABASE_URL,
      LOG_LEVEL: 'error',
      ...env,
    };
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { env: full, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  const dump = (name: string, content: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(content));
    return file;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keygate-import-'));
    // The CLI is another process: without Redis its invalidations cannot reach this server.
    t = await startApp({ TENANT_CACHE_TTL_SECONDS: '0' });
    acme = await createTenant(t);
    bob = await createUser(t, acme, { role: 'member' });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a Sanctum dump, prints the report, and a re-run skips every row', async () => {
    const token = sanctumToken(3, 70);
    const file = dump('sanctum.json', {
      rows: [token.row],
      users: [{ id: 70, email: bob.email.toUpperCase() }],
    });
    const run = await cli(['keys:import', acme.slug, '--from', 'sanctum', '--file', file, '--json']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ format: 'sanctum', imported: 1, skipped: [], refused: [] });
    expect((await t.client(acme.host, token.plaintext).get('/api/v1/invoices')).status).toBe(200);
    const again = await cli(['keys:import', acme.slug, '--from', 'sanctum', '--file', file, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ imported: 0, skipped: ['3'] });
    const audit = await acme.owner.get('/api/v1/audit-logs?limit=100&level=tenant');
    const all = await acme.owner.get('/api/v1/audit-logs?limit=100');
    const actions = [...(audit.body.data ?? []), ...(all.body.data ?? [])].map((a: any) => a.action);
    expect(actions).toContain('api_key.imported');
  });

  it('imports hex keys into the named workspace, and refuses a malformed dump whole with the row numbers', async () => {
    const good = await hexKey(8);
    const bad = { ...good.row, id: 9, key_prefix: 'zz' };
    const refused = await cli([
      'keys:import',
      acme.slug,
      '--from',
      'hex-bcrypt',
      '--file',
      dump('bad.json', { rows: [good.row, bad] }),
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/row 2 \(id 9\): key_prefix/);
    expect((await t.client(acme.host, good.plaintext).get('/api/v1/invoices')).status).toBe(401);
    const ok = await cli([
      'keys:import',
      acme.slug,
      '--from',
      'hex-bcrypt',
      '--workspace',
      acme.workspaceId,
      '--file',
      dump('good.json', { rows: [good.row] }),
    ]);
    expect(ok.stdout).toMatch(/^imported 1 hex-bcrypt credentials/);
    expect((await t.client(acme.host, good.plaintext).get('/api/v1/invoices')).status).toBe(200);
  });

  it('reads the Voltis application key from the variable --legacy-key-env names, and never prints it', async () => {
    const secret = 'old-voltis-app-key-for-cli-0123456789';
    const token = voltisToken('cli-client-1', 70, secret);
    const file = dump('voltis.json', { rows: [token.row], users: [{ id: 70, email: bob.email }] });
    const missing = await cli([
      'keys:import',
      acme.slug,
      '--from',
      'voltis',
      '--file',
      file,
      '--legacy-key-env',
      'NOT_SET_ANYWHERE',
    ]);
    expect(missing.stderr).toMatch(/NOT_SET_ANYWHERE/);
    const run = await cli(
      ['keys:import', acme.slug, '--from', 'voltis', '--file', file, '--legacy-key-env', 'OLD_KEY', '--json'],
      { OLD_KEY: secret },
    );
    expect(JSON.parse(run.stdout)).toMatchObject({ imported: 1 });
    expect(run.stdout + run.stderr).not.toContain(secret);
    const headers = { clientid: 'cli-client-1', authorization: `Bearer ${token.plaintext}` };
    expect((await t.client(acme.host).get('/api/v1/invoices', { headers })).status).toBe(200);
  });

  it('says what is wrong with the command line', async () => {
    expect((await cli(['keys:import', acme.slug, '--from', 'md5', '--file', 'x'])).stderr).toMatch(
      /--from must be one of/,
    );
    expect(
      (
        await cli([
          'keys:import',
          'no-such-tenant',
          '--from',
          'sanctum',
          '--file',
          dump('e.json', { rows: [] }),
        ])
      ).stderr,
    ).toMatch(/no tenant/);
    expect(
      (await cli(['keys:import', acme.slug, '--from', 'sanctum', '--file', join(dir, 'missing.json')]))
        .stderr,
    ).toMatch(/cannot read/);
  });
});
