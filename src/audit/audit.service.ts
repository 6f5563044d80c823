import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId } from '../core/common/ids';
import { TenantScopedRepository } from '../core/database/tenant-scoped.repository';
import type { RequestContext } from '../core/context/request-context';
import { AuditLog } from './audit-log.entity';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string | null;
  /** The workspace whose log shows the row; default the active one. */
  workspaceId?: string | null;
  /**
   * Further workspaces the change reaches (a user's, when the user is edited from elsewhere):
   * each gets its own copy of the row, so every workspace's log shows what touched its people.
   */
  alsoIn?: readonly string[];
  /**
   * A change to something of the whole tenant (users, roles, workspaces, custom scopes): a copy
   * goes to the tenant-level log too (`GET /audit-logs?level=tenant`), so it stays readable when
   * it was made outside any workspace or its workspace is gone.
   */
  tenantLevel?: boolean;
  metadata?: Record<string, unknown>;
  /** Who acted, when no credential did (a login): default the request's principal. */
  actor?: { type: string; id: string };
}

@Injectable()
export class AuditLogsRepository extends TenantScopedRepository<AuditLog> {
  constructor(dataSource: DataSource) {
    super(AuditLog, dataSource);
  }
}

/**
 * Writes audit rows. Call it inside the same TransactionRunner.run as the change it records, so
 * the change and its row commit or roll back together. Who and from where come from the context.
 */
@Injectable()
export class AuditService {
  constructor(private readonly logs: AuditLogsRepository) {}

  async record(ctx: RequestContext, entry: AuditEntry): Promise<void> {
    const principal = ctx.principal();
    const first = entry.workspaceId !== undefined ? entry.workspaceId : (ctx.workspace()?.id ?? null);
    const workspaces = new Set<string | null>([first, ...(entry.alsoIn ?? [])]);
    // No workspace at all: the row is the tenant's; else null only when asked for.
    if (workspaces.size > 1 && !entry.tenantLevel) workspaces.delete(null);
    if (entry.tenantLevel) workspaces.add(null);
    const createdAt = new Date();
    for (const workspaceId of workspaces) {
      await this.logs.insert(ctx, {
        id: newId('aud'),
        actorType: entry.actor?.type ?? (principal?.viaSession ? 'session' : principal?.kind) ?? 'system',
        actorId:
          entry.actor?.id ??
          (principal?.kind === 'user_token' ? principal.userId : (principal?.credentialId ?? null)),
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId,
        workspaceId,
        ip: ctx.clientIp(),
        metadata: entry.metadata ?? {},
        createdAt,
      });
    }
  }
}
