import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdColumn, JsonColumn, TimestampColumn } from '../core/database/columns';

/** A tenant's own role; the built-in roles live in code (built-in-roles.ts) and have no row. */
@Entity({ name: 'roles' })
@Index('uq_roles_tenant_name', ['tenantId', 'name'], { unique: true })
export class Role {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Index('ix_roles_tenant')
  @IdColumn('tenant_id')
  tenantId!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  description!: string;

  @JsonColumn('permissions')
  permissions!: string[];

  @TimestampColumn('created_at')
  createdAt!: Date;

  @TimestampColumn('updated_at')
  updatedAt!: Date;
}
