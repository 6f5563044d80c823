import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdColumn } from '../core/database/columns';

/** Requests per key per UTC day, written in batches by the usage recorder, never per request. */
@Entity({ name: 'key_usage_daily' })
export class KeyUsageDaily {
  @PrimaryColumn({ name: 'api_key_id', type: 'varchar', length: 40 })
  apiKeyId!: string;

  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @Index('ix_key_usage_daily_tenant')
  @IdColumn('tenant_id')
  tenantId!: string;

  @Column({ type: 'int' })
  count!: number;
}
