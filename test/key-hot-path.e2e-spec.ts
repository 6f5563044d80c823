import { DataSource } from 'typeorm';
import { AuditService } from '../src/audit/audit.service';
import { createTenant } from './support/fixtures';
import { createKey } from './support/keys';
import { startApp } from './support/test-app';

describe('hot path, defaults and atomicity', () => {
  it('gives new keys DEFAULT_KEY_LIFETIME unless expires_at is given (null = never)', async () => {
    const t = await startApp({ DEFAULT_KEY_LIFETIME: '30d' });
    try {
      const tenant = await createTenant(t);
      const defaulted = await createKey(tenant.owner, { scopes: ['invoices:read'] });
      const lifetime = Date.parse(defaulted.body.expires_at) - Date.now();
      expect(lifetime).toBeGreaterThan(30 * 86400_000 - 60_000);
      expect(lifetime).toBeLessThanOrEqual(30 * 86400_000);
      const forever = await createKey(tenant.owner, { scopes: ['invoices:read'], expires_at: null });
      expect(forever.body.expires_at).toBeNull();
    } finally {
      await t.close();
    }
  });

  it('writes nothing per request and flushes batched usage on shutdown', async () => {
    const t = await startApp({ USAGE_FLUSH_INTERVAL_SECONDS: '3600' });
    const tenant = await createTenant(t);
    const key = await createKey(tenant.owner, { scopes: ['invoices:read'] });
    const dataSource = t.app.get(DataSource);
    const client = t.client(tenant.host, key.key);
    for (let i = 0; i < 5; i++) expect((await client.get('/api/v1/invoices')).status).toBe(200);
    const beforeClose = await dataSource.query('SELECT last_used_at FROM api_keys WHERE id = ?', [key.id]);
    expect(beforeClose[0].last_used_at).toBeNull();
    expect(await dataSource.query('SELECT * FROM key_usage_daily WHERE api_key_id = ?', [key.id])).toEqual(
      [],
    );
    // close() runs the shutdown hooks (as SIGTERM does in main.ts); read the rows through a fresh connection.
    const options = dataSource.options;
    await t.app.close();
    const reader = await new DataSource({ ...options, migrations: [], migrationsRun: false }).initialize();
    try {
      const usage = await reader.query('SELECT count FROM key_usage_daily WHERE api_key_id = ?', [key.id]);
      expect(usage.map((r: { count: number | string }) => Number(r.count))).toEqual([5]);
      const row = await reader.query('SELECT last_used_at FROM api_keys WHERE id = ?', [key.id]);
      expect(row[0].last_used_at).not.toBeNull();
    } finally {
      await reader.destroy();
      await t.close().catch(() => undefined);
    }
  });

  it('flushes usage in the background while keys are created and used, without a failure', async () => {
    const t = await startApp({ USAGE_FLUSH_INTERVAL_SECONDS: '1', RATE_LIMIT_DEFAULT: '1000000/3600' });
    try {
      const tenant = await createTenant(t);
      const key = await createKey(tenant.owner, { scopes: ['invoices:read'] });
      const client = t.client(tenant.host, key.key);
      const statuses: number[] = [];
      const deadline = Date.now() + 2500;
      while (Date.now() < deadline) {
        const batch = await Promise.all([
          client.get('/api/v1/invoices'),
          client.get('/api/v1/invoices'),
          tenant.owner.post('/api/v1/api-keys', { name: 'concurrent', scopes: ['invoices:read'] }),
        ]);
        statuses.push(...batch.map((r) => r.status));
      }
      expect(statuses.length).toBeGreaterThan(30);
      expect(statuses.filter((s) => s !== 200 && s !== 201)).toEqual([]);
      const shown = await tenant.owner.get(`/api/v1/api-keys/${key.id}`);
      const used = statuses.length - statuses.length / 3;
      expect(shown.body.usage[0].count).toBe(used);
    } finally {
      await t.close();
    }
  });

  it('rolls the key back when its audit row cannot be written (same transaction)', async () => {
    const t = await startApp();
    try {
      const tenant = await createTenant(t);
      const before = (await tenant.owner.get('/api/v1/api-keys?limit=100')).body.data.length;
      const audit = t.app.get(AuditService);
      const spy = jest.spyOn(audit, 'record').mockRejectedValueOnce(new Error('audit store unavailable'));
      const res = await tenant.owner.post('/api/v1/api-keys', { name: 'doomed', scopes: ['invoices:read'] });
      spy.mockRestore();
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ message: 'Server Error.' });
      expect((await tenant.owner.get('/api/v1/api-keys?limit=100')).body.data.length).toBe(before);
    } finally {
      await t.close();
    }
  });
});
