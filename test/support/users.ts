import { KeyIssuer } from '../../src/api-keys/key-issuer';
import { AuditLogsRepository } from '../../src/audit/audit.service';
import { RequestContext } from '../../src/core/context/request-context';
import { TenantsRepository } from '../../src/tenants/tenants.repository';
import { TenantFixture, uniqueSlug } from './fixtures';
import { Client } from './http';
import type { TestApp } from './test-app';

export interface UserFixture {
  id: string;
  email: string;
  password: string;
  /** A user token with the abilities asked for (default `*`). */
  token: string;
  client: Client;
}

export interface UserOptions {
  name?: string;
  email?: string;
  password?: string;
  tenantRole?: string;
  /** Membership role in `workspaceId` (default: the tenant's default workspace); none if omitted. */
  role?: string;
  workspaceId?: string;
  abilities?: string[];
}

/** A user made through the API by the tenant owner, with a token issued directly (no login, so no throttle). */
export async function createUser(
  t: TestApp,
  tenant: TenantFixture,
  options: UserOptions = {},
): Promise<UserFixture> {
  const email = options.email ?? `${uniqueSlug('u')}@${tenant.slug}.test`;
  const password = options.password ?? 'user-password-1';
  const body: Record<string, unknown> = { email, password, name: options.name ?? email.split('@')[0] };
  if (options.tenantRole) body.tenant_role = options.tenantRole;
  const res = await tenant.owner.post('/api/v1/users', body);
  if (res.status !== 201) throw new Error(`creating a user answered ${res.status}: ${res.text}`);
  const id = res.body.id as string;
  if (options.role) await addMember(tenant, options.workspaceId ?? tenant.workspaceId, id, options.role);
  const token = await issueUserToken(t, tenant, id, options.abilities ?? ['*']);
  return { id, email, password, token, client: tenant.owner.as(token) };
}

export async function addMember(
  tenant: TenantFixture,
  workspaceId: string,
  userId: string,
  role: string,
): Promise<void> {
  const res = await tenant.owner.post(`/api/v1/workspaces/${workspaceId}/members`, { user_id: userId, role });
  if (res.status !== 201) throw new Error(`adding a member answered ${res.status}: ${res.text}`);
}

export async function createWorkspace(tenant: TenantFixture, name = 'Another'): Promise<string> {
  const res = await tenant.owner.post('/api/v1/workspaces', { name });
  if (res.status !== 201) throw new Error(`creating a workspace answered ${res.status}: ${res.text}`);
  return res.body.id as string;
}

/** Runs `fn` with the tenant's context, as the CLI does (for fixtures the API cannot make). */
export async function asTenant<T>(
  t: TestApp,
  tenant: TenantFixture,
  fn: (ctx: RequestContext) => Promise<T>,
): Promise<T> {
  const row = await t.app.get(TenantsRepository).findById(RequestContext.platform(), tenant.tenantId);
  if (!row) throw new Error(`no tenant ${tenant.tenantId}`);
  return fn(RequestContext.forTenant(row));
}

export async function issueUserToken(
  t: TestApp,
  tenant: TenantFixture,
  userId: string,
  abilities: string[],
): Promise<string> {
  const issuer = t.app.get(KeyIssuer);
  const issued = await asTenant(t, tenant, (ctx) =>
    issuer.issue(ctx, {
      kind: 'user_token',
      name: 'test',
      workspaceId: null,
      userId,
      environment: 'live',
      scopes: abilities,
    }),
  );
  return issued.key;
}

/** A workspace key bound to `workspaceId`, issued directly (this suite does not test key endpoints). */
export async function issueWorkspaceKey(
  t: TestApp,
  tenant: TenantFixture,
  workspaceId: string,
  scopes: string[],
): Promise<string> {
  const issuer = t.app.get(KeyIssuer);
  const issued = await asTenant(t, tenant, (ctx) =>
    issuer.issue(ctx, {
      kind: 'workspace_key',
      name: 'test',
      workspaceId,
      userId: null,
      environment: 'live',
      scopes,
    }),
  );
  return issued.key;
}

/**
 * The audit actions recorded for `targetId`, oldest first, one per event (an event is written
 * once per log it belongs in: the workspaces it reaches and, for tenant-wide things, the tenant's).
 */
export async function auditActions(t: TestApp, tenant: TenantFixture, targetId: string): Promise<string[]> {
  const rows = await asTenant(t, tenant, (ctx) =>
    t.app.get(AuditLogsRepository).find(ctx, { targetId }, { order: { id: 'ASC' } }),
  );
  const seen = new Set<string>();
  return rows
    .filter(
      (r) =>
        !seen.has(`${r.action}|${r.createdAt.getTime()}`) && seen.add(`${r.action}|${r.createdAt.getTime()}`),
    )
    .map((r) => r.action);
}
