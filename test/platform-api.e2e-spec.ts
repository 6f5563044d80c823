import { DataSource } from 'typeorm';
import { generateKey } from '../src/api-keys/key-format';
import { Tenant } from '../src/tenants/tenant.entity';
import { createPlatformKey, createTenant, TenantFixture, uniqueSlug } from './support/fixtures';
import { Client } from './support/http';
import { startApp, TestApp } from './support/test-app';

const UNAUTHENTICATED = { message: 'Unauthenticated.' };
const NOT_FOUND = { message: 'Not Found.' };

describe('platform API on the bare BASE_DOMAIN host', () => {
  let t: TestApp;
  let platformKey: string;
  /** The platform host (`localhost`) with a platform key. */
  let platform: Client;
  let acme: TenantFixture;

  beforeAll(async () => {
    t = await startApp();
    platformKey = await createPlatformKey(t);
    platform = t.client('localhost', platformKey);
    acme = await createTenant(t);
  });
  afterAll(() => t.close());

  const newTenantBody = (slug = uniqueSlug('p')) => ({
    slug,
    name: `Tenant ${slug}`,
    owner_email: `Owner@${slug}.test`,
    owner_password: 'owner-password-1',
  });

  describe('creating a tenant', () => {
    it('201 with the tenant, its owner, its default workspace and a working owner token', async () => {
      const body = newTenantBody();
      const res = await platform.post('/api/v1/tenants', body);
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(['owner', 'tenant', 'token', 'workspace']);
      expect(res.body.tenant).toMatchObject({ slug: body.slug, name: body.name, status: 'active' });
      expect(res.body.tenant.id).toEqual(expect.any(String));
      expect(res.body.owner).toMatchObject({ email: body.owner_email.toLowerCase(), tenant_role: 'owner' });
      expect(res.body.workspace.id).toEqual(expect.any(String));
      expect(res.body.token).toMatch(/^ut_/);
      expect(res.text).not.toContain(body.owner_password);
      expect(res.text).not.toMatch(/password_hash|passwordHash|\$2[aby]\$/);

      const me = await t.client(`${body.slug}.localhost`, res.body.token).get('/api/v1/auth/me');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({
        credential_type: 'user_token',
        tenant: { slug: body.slug },
        workspace: { id: res.body.workspace.id },
      });
    });

    it('defaults the name to the slug', async () => {
      const { name: _name, ...body } = newTenantBody();
      const res = await platform.post('/api/v1/tenants', body);
      expect(res.status).toBe(201);
      expect(res.body.tenant.name).toBe(body.slug);
    });

    it('422 with errors per field for an invalid body', async () => {
      const res = await platform.post('/api/v1/tenants', {
        slug: 'Not A Slug!',
        owner_email: 'not-an-email',
        owner_password: 'short',
        extra: true,
      });
      expect(res.status).toBe(422);
      expect(res.body.message).toBe('The given data was invalid.');
      expect(Object.keys(res.body.errors).sort()).toEqual(['extra', 'owner_email', 'owner_password', 'slug']);
      for (const field of ['slug', 'owner_email', 'owner_password']) {
        expect(res.body.errors[field]).toEqual([expect.stringContaining(field)]);
      }
    });

    it('422 for a missing body', async () => {
      const res = await platform.post('/api/v1/tenants', {});
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors).sort()).toEqual(['owner_email', 'owner_password', 'slug']);
    });

    it('422 on the slug for a duplicate slug, and the existing tenant is left unchanged', async () => {
      const res = await platform.post('/api/v1/tenants', { ...newTenantBody(acme.slug), name: 'Hijacked' });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({
        message: 'The given data was invalid.',
        errors: { slug: [expect.stringMatching(/taken/)] },
      });
      const existing = await platform.get(`/api/v1/tenants/${acme.tenantId}`);
      expect(existing.body.name).toBe(acme.slug);
      expect((await acme.owner.get('/api/v1/auth/me')).status).toBe(200);
    });

    it('422 for a reserved slug', async () => {
      const res = await platform.post('/api/v1/tenants', newTenantBody('www'));
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual(['slug']);
    });
  });

  describe('listing tenants', () => {
    it('pages with a cursor, without duplicates, and reaches every tenant', async () => {
      const created: string[] = [];
      for (let i = 0; i < 5; i++) created.push((await createTenant(t)).tenantId);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
        const res = await platform.get(`/api/v1/tenants${query}`);
        expect(res.status).toBe(200);
        expect(Object.keys(res.body).sort()).toEqual(['data', 'next_cursor']);
        expect(res.body.data.length).toBeLessThanOrEqual(2);
        if (res.body.next_cursor !== null) expect(res.body.data).toHaveLength(2);
        seen.push(...res.body.data.map((tenant: { id: string }) => tenant.id));
        cursor = res.body.next_cursor;
        pages++;
      } while (cursor && pages < 5000);

      expect(cursor).toBeNull();
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining([acme.tenantId, ...created]));
      const total = await t.app.get(DataSource).getRepository(Tenant).count();
      expect(seen).toHaveLength(total);
    });

    it('lists tenants with their public fields only', async () => {
      const res = await platform.get('/api/v1/tenants?limit=100');
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeGreaterThan(0);
      expect(res.body.data.length).toBeLessThanOrEqual(100);
      expect(Object.keys(res.body.data[0]).sort()).toEqual([
        'created_at',
        'id',
        'name',
        'slug',
        'status',
        'updated_at',
      ]);
    });

    it('422 for a limit above 100, below 1, or a bad cursor', async () => {
      for (const query of ['limit=101', 'limit=0', 'limit=abc', 'cursor=%2F%2F']) {
        const res = await platform.get(`/api/v1/tenants?${query}`);
        expect(res.status).toBe(422);
        expect(res.body.message).toBe('The given data was invalid.');
      }
    });
  });

  describe('one tenant', () => {
    it('GET by id', async () => {
      const res = await platform.get(`/api/v1/tenants/${acme.tenantId}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: acme.tenantId, slug: acme.slug, status: 'active' });
    });

    it('PATCH renames it', async () => {
      const tenant = await createTenant(t);
      const res = await platform.patch(`/api/v1/tenants/${tenant.tenantId}`, { name: 'Renamed Inc.' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: tenant.tenantId, slug: tenant.slug, name: 'Renamed Inc.' });
      expect((await platform.get(`/api/v1/tenants/${tenant.tenantId}`)).body.name).toBe('Renamed Inc.');
    });

    it('PATCH with an invalid or unknown field is 422', async () => {
      const empty = await platform.patch(`/api/v1/tenants/${acme.tenantId}`, { name: '' });
      expect(empty.status).toBe(422);
      expect(Object.keys(empty.body.errors)).toEqual(['name']);
      const slug = await platform.patch(`/api/v1/tenants/${acme.tenantId}`, { name: 'x', slug: 'other' });
      expect(slug.status).toBe(422);
      expect(slug.body.errors.slug).toBeDefined();
      expect((await platform.get(`/api/v1/tenants/${acme.tenantId}`)).body).toMatchObject({
        slug: acme.slug,
        name: acme.slug,
      });
    });

    it('404 for an unknown id on every route', async () => {
      const id = 'ten_00000000000000000000000000';
      const replies = [
        await platform.get(`/api/v1/tenants/${id}`),
        await platform.patch(`/api/v1/tenants/${id}`, { name: 'x' }),
        await platform.delete(`/api/v1/tenants/${id}`),
        await platform.post(`/api/v1/tenants/${id}/suspend`),
        await platform.post(`/api/v1/tenants/${id}/resume`),
      ];
      for (const res of replies) {
        expect(res.status).toBe(404);
        expect(res.body).toEqual(NOT_FOUND);
      }
    });

    it('suspend makes its host answer 403, resume serves it again', async () => {
      const tenant = await createTenant(t);
      const suspended = await platform.post(`/api/v1/tenants/${tenant.tenantId}/suspend`);
      expect(suspended.status).toBe(200);
      expect(suspended.body).toMatchObject({ id: tenant.tenantId, status: 'suspended' });
      const refused = await tenant.owner.get('/api/v1/auth/me');
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({ message: 'This action is unauthorized.', reason: 'tenant_suspended' });
      expect((await platform.get(`/api/v1/tenants/${tenant.tenantId}`)).body.status).toBe('suspended');

      const resumed = await platform.post(`/api/v1/tenants/${tenant.tenantId}/resume`);
      expect(resumed.status).toBe(200);
      expect(resumed.body).toMatchObject({ id: tenant.tenantId, status: 'active' });
      expect((await tenant.owner.get('/api/v1/auth/me')).status).toBe(200);
    });

    it('DELETE removes the tenant and every row it owns; its host is then unknown', async () => {
      const tenant = await createTenant(t);
      const other = await createTenant(t);
      expect((await tenant.owner.get('/api/v1/auth/me')).status).toBe(200);
      const dataSource = t.app.get(DataSource);
      const ownedTables = dataSource.entityMetadatas.filter((meta) =>
        meta.findColumnWithPropertyName('tenantId'),
      );
      const rowsOf = async (tenantId: string) => {
        let rows = 0;
        for (const meta of ownedTables) {
          rows += await dataSource.getRepository(meta.target).count({ where: { tenantId } });
        }
        return rows;
      };
      expect(await rowsOf(tenant.tenantId)).toBeGreaterThan(0);
      const otherRows = await rowsOf(other.tenantId);

      const res = await platform.delete(`/api/v1/tenants/${tenant.tenantId}`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');

      expect(await rowsOf(tenant.tenantId)).toBe(0);
      expect(await dataSource.getRepository(Tenant).countBy({ id: tenant.tenantId })).toBe(0);
      expect(await rowsOf(other.tenantId)).toBe(otherRows);
      expect((await platform.get(`/api/v1/tenants/${tenant.tenantId}`)).status).toBe(404);
      const gone = await tenant.owner.get('/api/v1/auth/me');
      expect(gone.status).toBe(404);
      expect(gone.body).toEqual(NOT_FOUND);
      expect((await other.owner.get('/api/v1/auth/me')).status).toBe(200);
    });
  });

  describe('refusals', () => {
    it('401 without a credential', async () => {
      for (const res of [
        await t.client('localhost').get('/api/v1/tenants'),
        await t.client('localhost').post('/api/v1/tenants', newTenantBody()),
      ]) {
        expect(res.status).toBe(401);
        expect(res.body).toEqual(UNAUTHENTICATED);
      }
    });

    it("401 for a tenant credential (the owner's user token) on the platform host", async () => {
      const res = await t.client('localhost', acme.token).get('/api/v1/tenants');
      expect(res.status).toBe(401);
      expect(res.body).toEqual(UNAUTHENTICATED);
      const create = await t.client('localhost', acme.token).post('/api/v1/tenants', newTenantBody());
      expect(create.status).toBe(401);
    });

    it('401 for a platform key on a tenant host', async () => {
      const res = await t.client(acme.host, platformKey).get('/api/v1/auth/me');
      expect(res.status).toBe(401);
      expect(res.body).toEqual(UNAUTHENTICATED);
    });

    it('404 for platform routes on a tenant host, even with a platform key', async () => {
      for (const res of [
        await t.client(acme.host, platformKey).get('/api/v1/tenants'),
        await t.client(acme.host, platformKey).get(`/api/v1/tenants/${acme.tenantId}`),
        await t.client(acme.host, acme.token).get('/api/v1/tenants'),
        await t.client(acme.host, platformKey).post(`/api/v1/tenants/${acme.tenantId}/suspend`),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body).toEqual(NOT_FOUND);
      }
      expect((await acme.owner.get('/api/v1/auth/me')).status).toBe(200);
    });

    it('401 for a malformed or forged platform key', async () => {
      const last = platformKey.slice(-1);
      const forged = platformKey.slice(0, -1) + (last === 'a' ? 'b' : 'a');
      // Well formed, valid checksum, never stored.
      const unknown = generateKey('platform_key', 'live', 'Z'.repeat(16)).key;
      for (const key of [
        'kgp_nope',
        forged,
        unknown,
        `${platformKey}x`,
        platformKey.replace(/^kgp_/, 'ut_'),
      ]) {
        const res = await t.client('localhost', key).get('/api/v1/tenants');
        expect(res.status).toBe(401);
        expect(res.body).toEqual(UNAUTHENTICATED);
      }
    });

    it('accepts the platform key as X-API-Key too', async () => {
      const res = await t
        .client('localhost')
        .get('/api/v1/tenants', { headers: { 'x-api-key': platformKey } });
      expect(res.status).toBe(200);
    });
  });
});
