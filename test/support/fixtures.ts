import { RequestContext } from '../../src/core/context/request-context';
import { randomBytes } from 'node:crypto';
import { PlatformKeysService } from '../../src/platform/platform-keys.service';
import { TenantProvisioner } from '../../src/tenants/tenant-provisioner';
import { Client } from './http';
import type { TestApp } from './test-app';

export interface TenantFixture {
  slug: string;
  host: string;
  tenantId: string;
  ownerId: string;
  workspaceId: string;
  /** The owner's user token (every permission). */
  token: string;
  /** A client on the tenant's host, authenticated as the owner. */
  owner: Client;
}

export const uniqueSlug = (prefix = 't'): string => `${prefix}-${randomBytes(5).toString('hex')}`;

/** A tenant made the way the CLI makes one (same provisioner), with its owner token. */
export async function createTenant(t: TestApp, slug = uniqueSlug()): Promise<TenantFixture> {
  const result = await t.app.get(TenantProvisioner).create(RequestContext.platform(), {
    slug,
    owner_email: `owner@${slug}.test`,
    owner_password: 'owner-password-1',
  });
  const host = `${slug}.localhost`;
  return {
    slug,
    host,
    tenantId: result.tenant.id,
    ownerId: result.owner.id,
    workspaceId: result.workspace.id,
    token: result.token,
    owner: t.client(host, result.token),
  };
}

export async function createPlatformKey(t: TestApp): Promise<string> {
  return (await t.app.get(PlatformKeysService).create('test operator')).key;
}
