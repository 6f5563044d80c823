import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdColumn, TimestampColumn } from '../core/database/columns';

export type WorkspaceStatus = 'active' | 'suspended';

@Entity({ name: 'workspaces' })
export class Workspace {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Index('ix_workspaces_tenant')
  @IdColumn('tenant_id')
  tenantId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: WorkspaceStatus;

  @TimestampColumn('created_at')
  createdAt!: Date;

  @TimestampColumn('updated_at')
  updatedAt!: Date;
}
