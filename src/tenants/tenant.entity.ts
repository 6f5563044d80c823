import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '../core/database/columns';
import type { LegacyFormatSettings } from '../core/context/legacy-formats';

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

  /** Formats it imported keys from; null: none, and no presented value is tried as a legacy key. */
  @JsonColumn('legacy_formats', { nullable: true })
  legacyFormats!: LegacyFormatSettings | null;

  @TimestampColumn('created_at')
  createdAt!: Date;

  @TimestampColumn('updated_at')
  updatedAt!: Date;
}
