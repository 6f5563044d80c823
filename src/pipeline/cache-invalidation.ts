import { Injectable, OnModuleInit } from '@nestjs/common';
import { KeyCache } from '../api-keys/key-cache';
import { TenantResolver } from '../tenants/tenant-resolver';
import { PermissionResolver } from '../access/permission-resolver';
import { WorkspaceCache } from '../workspaces/workspace-cache';
import { InvalidationBus } from './invalidation-bus';

/** Every cache the guard chain reads, and what empties it: the whole map in one place. */
@Injectable()
export class CacheInvalidation implements OnModuleInit {
  constructor(
    private readonly bus: InvalidationBus,
    private readonly keys: KeyCache,
    private readonly tenants: TenantResolver,
    private readonly workspaces: WorkspaceCache,
    private readonly permissions: PermissionResolver,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe((event) => {
      switch (event.type) {
        case 'key':
          return this.keys.invalidateLocal(event.keyId);
        case 'user':
          this.permissions.invalidateUser(event.tenantId, event.userId);
          return this.keys.invalidateWhere((c) => c.userId === event.userId);
        case 'workspace':
          return this.workspaces.invalidate(event.workspaceId);
        case 'roles':
          // Effective scopes are recomputed per request from these; cached keys hold only abilities.
          return this.permissions.invalidateTenant(event.tenantId);
        case 'tenant':
          this.tenants.invalidate(event.slug);
          this.permissions.invalidateTenant(event.tenantId);
          return this.keys.invalidateWhere((c) => c.tenantId === event.tenantId);
      }
    });
  }
}
