import { MembershipsRepository } from '../src/access/memberships.repository';
import { ApiKeysRepository } from '../src/api-keys/api-keys.repository';
import { WorkspacesRepository } from '../src/workspaces/workspaces.repository';
import { createTenant, TenantFixture } from './support/fixtures';
import { createKey } from './support/keys';
import { sleep } from './support/keys';
import { startApp, TestApp } from './support/test-app';
import { createUser, createWorkspace, issueWorkspaceKey } from './support/users';

/**
 * A change that lands while a cold look-up of what it changes is in flight: the look-up read the
 * row as it was, and must not cache it (the invalidation has already come and gone). To widen the
 * window, the next call of one repository method of the running app asks the (real) database at
 * once but hands its answer back `ms` later; the calls after it are left alone.
 */
function answerLate<T extends object>(target: T, method: keyof T & string, ms: number): () => void {
  const holder = target as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const original = holder[method];
  holder[method] = async (...args: unknown[]) => {
    holder[method] = original;
    const answer = await original.apply(target, args);
    await sleep(ms);
    return answer;
  };
  return () => {
    holder[method] = original;
  };
}

describe('caches: a change racing a cold look-up is not cached stale', () => {
  let t: TestApp;
  let acme: TenantFixture;

  beforeAll(async () => {
    t = await startApp();
    acme = await createTenant(t);
  });
  afterAll(() => t.close());

  it('a workspace suspended while its look-up is in flight is refused from the next request', async () => {
    const ws = await createWorkspace(acme, 'Racy');
    const key = await issueWorkspaceKey(t, acme, ws, ['invoices:read']);
    const restore = answerLate(t.app.get(WorkspacesRepository), 'findOne', 300);
    try {
      const first = t.client(acme.host, key).get('/api/v1/invoices');
      await sleep(100);
      expect((await acme.owner.post(`/api/v1/workspaces/${ws}/suspend`)).status).toBe(200);
      await first;
    } finally {
      restore();
    }
    const next = await t.client(acme.host, key).get('/api/v1/invoices');
    expect([next.status, next.body.reason]).toEqual([403, 'workspace_suspended']);
  });

  it('a membership removed while the user’s access is being read is refused from the next request', async () => {
    const ws = await createWorkspace(acme, 'Racy members');
    const user = await createUser(t, acme, { role: 'member', workspaceId: ws });
    const inWorkspace = { headers: { 'x-workspace-id': ws } };
    const restore = answerLate(t.app.get(MembershipsRepository), 'find', 300);
    try {
      const first = user.client.get('/api/v1/invoices', inWorkspace);
      await sleep(100);
      expect((await acme.owner.delete(`/api/v1/workspaces/${ws}/members/${user.id}`)).status).toBe(204);
      await first;
    } finally {
      restore();
    }
    expect((await user.client.get('/api/v1/invoices', inWorkspace)).status).toBe(403);
  });

  it('a key revoked while its cold look-up is in flight is refused from the next request', async () => {
    const key = await createKey(acme.owner, { name: 'racy', scopes: ['invoices:read'] });
    // Never used yet, so not cached: its first use asks the database.
    const restore = answerLate(t.app.get(ApiKeysRepository), 'findWithHashInAnyTenant', 300);
    try {
      const first = t.client(acme.host, key.key).get('/api/v1/invoices');
      await sleep(100);
      expect((await acme.owner.post(`/api/v1/api-keys/${key.id}/revoke`)).status).toBe(200);
      await first;
    } finally {
      restore();
    }
    expect((await t.client(acme.host, key.key).get('/api/v1/invoices')).status).toBe(401);
  });

  it('another tenant’s changes during a look-up do not stop it being cached (found by an attack pass)', async () => {
    const globex = await createTenant(t);
    const mine = await createKey(acme.owner, { name: 'steady', scopes: ['invoices:read'] });
    const theirs = await createKey(globex.owner, { name: 'busy', scopes: ['invoices:read'] });
    const repository = t.app.get(ApiKeysRepository);
    const restore = answerLate(repository, 'findWithHashInAnyTenant', 300);
    try {
      const first = t.client(acme.host, mine.key).get('/api/v1/invoices');
      await sleep(100);
      expect((await globex.owner.patch(`/api/v1/api-keys/${theirs.id}`, { name: 'renamed' })).status).toBe(
        200,
      );
      expect((await first).status).toBe(200);
    } finally {
      restore();
    }
    let lookUps = 0;
    const original = repository.findWithHashInAnyTenant.bind(repository);
    repository.findWithHashInAnyTenant = (keyId: string) => {
      lookUps++;
      return original(keyId);
    };
    try {
      for (let i = 0; i < 3; i++)
        expect((await t.client(acme.host, mine.key).get('/api/v1/invoices')).status).toBe(200);
    } finally {
      repository.findWithHashInAnyTenant = original;
    }
    expect(lookUps).toBe(0);
  });
});
