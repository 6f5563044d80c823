import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId } from '../common/ids';
import { TenantScopedRepository } from '../database/tenant-scoped.repository';
import { RequestContext } from '../pipeline/request-context';
import { AuditLog } from './audit-log.entity';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string | null;
  workspaceId?: string | null;
  metadata?: Record<string, unknown>;
}

@Injectable()
export class AuditLogsRepository extends TenantScopedRepository<AuditLog> {
  constructor(dataSource: DataSource, context: RequestContext) {
    super(AuditLog, dataSource, context);
  }
}

/**
 * Writes audit rows. Call it inside the same TransactionRunner.run as the change it records, so
 * the change and its row commit or roll back together. Who and from where come from the context.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly logs: AuditLogsRepository,
    private readonly context: RequestContext,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    const principal = this.context.principal();
    await this.logs.insert({
      id: newId('aud'),
      actorType: principal?.kind ?? 'system',
      actorId: principal?.kind === 'user_token' ? principal.userId : (principal?.credentialId ?? null),
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      workspaceId: entry.workspaceId ?? this.context.workspace()?.id ?? null,
      ip: this.context.clientIp(),
      metadata: entry.metadata ?? {},
      createdAt: new Date(),
    });
  }
}
