import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdColumn, JsonColumn, TimestampColumn } from '../core/database/columns';

@Entity({ name: 'audit_logs' })
@Index('ix_audit_logs_tenant_id', ['tenantId', 'id'])
export class AuditLog {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @IdColumn('tenant_id')
  tenantId!: string;

  /** `user`, `workspace_key`, `user_token`, `platform` or `system` (CLI). */
  @Column({ name: 'actor_type', type: 'varchar', length: 16 })
  actorType!: string;

  @Column({ name: 'actor_id', type: 'varchar', length: 40, nullable: true })
  actorId!: string | null;

  /** `api_key.created`, `api_key.rotated`, `membership.removed`, … */
  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ name: 'target_type', type: 'varchar', length: 32 })
  targetType!: string;

  @Column({ name: 'target_id', type: 'varchar', length: 40, nullable: true })
  targetId!: string | null;

  @IdColumn('workspace_id', { nullable: true })
  workspaceId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @JsonColumn('metadata')
  metadata!: Record<string, unknown>;

  @TimestampColumn('created_at')
  createdAt!: Date;
}
