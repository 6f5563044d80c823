import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../core/database/columns';

export type TenantStatus = 'active' | 'suspended';

@Entity({ name: 'tenants' })
export class Tenant {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Index('uq_tenants_slug', { unique: true })
  @Column({ type: 'varchar', length: 63 })
  slug!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: TenantStatus;

  @TimestampColumn('created_at')
  createdAt!: Date;

  @TimestampColumn('updated_at')
  updatedAt!: Date;
}
