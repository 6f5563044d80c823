import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdColumn, TimestampColumn } from '../core/database/columns';

/** A user's role in one workspace; `role` names a built-in role or a tenant role. */
@Entity({ name: 'memberships' })
@Index('uq_memberships_workspace_user', ['workspaceId', 'userId'], { unique: true })
export class Membership {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Index('ix_memberships_tenant')
  @IdColumn('tenant_id')
  tenantId!: string;

  @IdColumn('workspace_id')
  workspaceId!: string;

  @Index('ix_memberships_user')
  @IdColumn('user_id')
  userId!: string;

  @Column({ type: 'varchar', length: 64 })
  role!: string;

  @TimestampColumn('created_at')
  createdAt!: Date;

  @TimestampColumn('updated_at')
  updatedAt!: Date;
}
