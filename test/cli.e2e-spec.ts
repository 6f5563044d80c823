import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ApiKey } from '../src/api-keys/api-key.entity';
import { KeyIssuer } from '../src/api-keys/key-issuer';
import { RequestContext } from '../src/core/context/request-context';
import { TenantsRepository } from '../src/tenants/tenants.repository';
import { createTenant, TenantFixture, uniqueSlug } from './support/fixtures';
import { startApp, TEST_APP_KEY, TestApp } from './support/test-app';

const CLI = join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The operator CLI as a real process (`node dist/src/cli/main.js`, what `npm run cli` runs),
 * against the same database as a running app.
 */
describe('operator CLI (a real process on the app database)', () => {
  let t: TestApp;
  let dataDir: string;
  let other: TenantFixture;
  const slug = uniqueSlug('cli');
  let created: {
    tenant: { id: string; slug: string };
    owner: { id: string; email: string };
    workspace: { id: string };
    token: string;
  };

  function cli(...args: string[]): Promise<CliRun> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      APP_KEY: TEST_APP_KEY,
      DATA_DIR: dataDir,
      DATABASE_URL: t.sqliteFile ? `sqlite:${t.sqliteFile}` : process.env.DATABASE_URL,
      BCRYPT_ROUNDS: '4',
      LOG_LEVEL: 'error',
    };
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  /** A refusal: a non-zero exit, nothing on stdout, exactly one line on stderr. */
  function expectOneLineError(run: CliRun, mentions: RegExp): void {
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^[^\n]+\n$/);
    expect(run.stderr).toMatch(mentions);
  }

  beforeAll(async () => {
    if (!existsSync(CLI))
      throw new Error(`${CLI} is missing: run "npm run build" first (npm test does it in pretest)`);
    // The CLI is another process and, without Redis, its cache invalidation cannot reach this
    // server; a zero tenant-cache TTL makes a suspension visible on the next request.
    t = await startApp({ TENANT_CACHE_TTL_SECONDS: '0' });
    dataDir = mkdtempSync(join(tmpdir(), 'keygate-cli-'));
    other = await createTenant(t);
  });
  afterAll(async () => {
    await t?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('tenants:create --json prints exactly one JSON object with a working owner token', async () => {
    const run = await cli(
      'tenants:create',
      slug,
      '--owner-email',
      `Boss@${slug}.test`,
      '--owner-password',
      'owner-password-1',
      '--name',
      'Demo X',
      '--json',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.endsWith('\n')).toBe(true);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(1);
    created = JSON.parse(run.stdout);
    expect(Object.keys(created).sort()).toEqual(['owner', 'tenant', 'token', 'workspace']);
    expect(created.tenant).toMatchObject({ slug, name: 'Demo X', status: 'active' });
    expect(created.owner).toMatchObject({ email: `boss@${slug}.test`, tenant_role: 'owner' });
    expect(created.workspace.id).toEqual(expect.any(String));
    expect(created.token).toMatch(/^ut_/);
    expect(run.stdout).not.toContain('owner-password-1');

    const me = await t.client(`${slug}.localhost`, created.token).get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      tenant: { slug },
      workspace: { id: created.workspace.id },
      scopes: ['*'],
    });

    const elsewhere = await t.client(other.host, created.token).get('/api/v1/auth/me');
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body).toEqual({ message: 'Unauthenticated.' });
  });

  it('tenants:create without --json prints the token in readable text', async () => {
    const textSlug = uniqueSlug('cli');
    const run = await cli(
      'tenants:create',
      textSlug,
      '--owner-email',
      `o@${textSlug}.test`,
      '--owner-password',
      'owner-password-1',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`created tenant ${textSlug}`);
    const token = /owner token \(shown once\): (\S+)/.exec(run.stdout)?.[1];
    expect(token).toBeDefined();
    expect((await t.client(`${textSlug}.localhost`, token).get('/api/v1/auth/me')).status).toBe(200);
  });

  it('tenants:list includes the new tenant, as text and as JSON', async () => {
    const text = await cli('tenants:list');
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')).toContainEqual(
      expect.stringMatching(new RegExp(`^${slug}\\tactive\\t${created.tenant.id}\\tDemo X$`)),
    );

    const json = await cli('tenants:list', '--json');
    expect(json.code).toBe(0);
    const list: { id: string; slug: string; status: string }[] = JSON.parse(json.stdout);
    expect(Array.isArray(list)).toBe(true);
    expect(list).toContainEqual(expect.objectContaining({ id: created.tenant.id, slug, status: 'active' }));
    expect(list).toContainEqual(expect.objectContaining({ id: other.tenantId }));
    expect(new Set(list.map((x) => x.id)).size).toBe(list.length);
  });

  it('tenants:suspend makes the host answer 403, tenants:resume serves it again', async () => {
    const owner = t.client(`${slug}.localhost`, created.token);
    const suspend = await cli('tenants:suspend', slug, '--json');
    expect(suspend.code).toBe(0);
    expect(JSON.parse(suspend.stdout)).toMatchObject({ slug, status: 'suspended' });
    const refused = await owner.get('/api/v1/auth/me');
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ message: 'This action is unauthorized.', reason: 'tenant_suspended' });
    expect((await cli('tenants:list', '--json')).stdout).toContain(
      `"slug":"${slug}","name":"Demo X","status":"suspended"`,
    );

    const resume = await cli('tenants:resume', slug);
    expect(resume.code).toBe(0);
    expect(resume.stdout).toBe(`resumed ${slug}\n`);
    expect((await owner.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('platform:keys:create --json prints {id, name, prefix, key} and the key works on the platform API', async () => {
    const run = await cli('platform:keys:create', '--name', 'ops', '--json');
    expect(run.code).toBe(0);
    const key = JSON.parse(run.stdout);
    expect(Object.keys(key).sort()).toEqual(['id', 'key', 'name', 'prefix']);
    expect(key.name).toBe('ops');
    expect(key.key).toMatch(/^kgp_/);
    expect(key.key.startsWith(key.prefix)).toBe(true);

    const platform = t.client('localhost', key.key);
    const list = await platform.get('/api/v1/tenants?limit=100');
    expect(list.status).toBe(200);
    const fetched = await platform.get(`/api/v1/tenants/${created.tenant.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.slug).toBe(slug);
    // A platform key is still no tenant credential.
    expect((await t.client(`${slug}.localhost`, key.key).get('/api/v1/auth/me')).status).toBe(401);
  });

  it('keys:prune --days 0 --json deletes dead keys and reports the count', async () => {
    const tenant = await t.app.get(TenantsRepository).findById(RequestContext.platform(), other.tenantId);
    const expired = await t.app.get(KeyIssuer).issue(RequestContext.forTenant(tenant!), {
      kind: 'user_token',
      name: 'expired',
      workspaceId: null,
      userId: other.ownerId,
      environment: 'live',
      scopes: ['*'],
      expiresAt: new Date(Date.now() - 60_000),
    });
    const keys = t.app.get(DataSource).getRepository(ApiKey);
    expect(await keys.countBy({ id: expired.row.id })).toBe(1);

    const run = await cli('keys:prune', '--days', '0', '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.deleted).toEqual(expect.any(Number));
    expect(report.deleted).toBeGreaterThanOrEqual(1);
    expect(Number.isNaN(Date.parse(report.before))).toBe(false);
    expect(await keys.countBy({ id: expired.row.id })).toBe(0);
    // Live keys stay.
    expect((await other.owner.get('/api/v1/auth/me')).status).toBe(200);
    expect((await t.client(`${slug}.localhost`, created.token).get('/api/v1/auth/me')).status).toBe(200);
  });

  describe('bad arguments: one line on stderr and a non-zero exit', () => {
    const password = ['--owner-password', 'owner-password-1'];

    it('missing --owner-email', async () => {
      expectOneLineError(
        await cli('tenants:create', uniqueSlug('cli'), ...password),
        /--owner-email is required/,
      );
    });

    it('a slug that is no DNS label', async () => {
      expectOneLineError(
        await cli('tenants:create', 'Bad_Slug!', '--owner-email', 'a@b.test', ...password),
        /slug/,
      );
    });

    it('an unknown option', async () => {
      expectOneLineError(
        await cli(
          'tenants:create',
          uniqueSlug('cli'),
          '--owner-email',
          'a@b.test',
          ...password,
          '--colour',
          'red',
        ),
        /unknown option --colour/,
      );
    });

    it('an unknown command', async () => {
      expectOneLineError(await cli('tenants:explode'), /unknown command "tenants:explode"/);
    });

    it('a duplicate slug', async () => {
      expectOneLineError(
        await cli('tenants:create', slug, '--owner-email', 'a@b.test', ...password),
        /taken/,
      );
    });

    it('a missing slug', async () => {
      expectOneLineError(await cli('tenants:create', '--owner-email', 'a@b.test', ...password), /slug/);
    });

    it('an option without its value', async () => {
      expectOneLineError(
        await cli('tenants:create', uniqueSlug('cli'), ...password, '--owner-email'),
        /--owner-email needs a value/,
      );
    });

    it('suspending an unknown tenant', async () => {
      expectOneLineError(await cli('tenants:suspend', uniqueSlug('nobody')), /no tenant with slug "nobody-/);
    });

    it('a negative --days for keys:prune', async () => {
      expectOneLineError(await cli('keys:prune', '--days', '-1'), /--days/);
    });

    it('leaves no tenant behind for a refused create', async () => {
      const refusedSlug = uniqueSlug('cli');
      await cli('tenants:create', refusedSlug, '--owner-email', 'not-an-email', ...password);
      expect(
        await t.app.get(TenantsRepository).findBySlug(RequestContext.platform(), refusedSlug),
      ).toBeNull();
    });
  });
});
