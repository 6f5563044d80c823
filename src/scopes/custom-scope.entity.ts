import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdColumn, TimestampColumn } from '../core/database/columns';

/** A scope a tenant registers for its own services; code scopes are discovered, not stored. */
@Entity({ name: 'scopes' })
@Index('uq_scopes_tenant_name', ['tenantId', 'name'], { unique: true })
export class CustomScope {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Index('ix_scopes_tenant')
  @IdColumn('tenant_id')
  tenantId!: string;

  @Column({ type: 'varchar', length: 128 })
  name!: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  description!: string;

  @TimestampColumn('created_at')
  createdAt!: Date;
}
