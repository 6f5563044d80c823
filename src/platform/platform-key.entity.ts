import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../core/database/columns';

/** Operator credentials for the platform API on the bare BASE_DOMAIN host; owned by no tenant. */
@Entity({ name: 'platform_keys' })
export class PlatformKey {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Index('uq_platform_keys_key_id', { unique: true })
  @Column({ name: 'key_id', type: 'varchar', length: 32 })
  keyId!: string;

  @Column({ name: 'secret_hash', type: 'varchar', length: 64, select: false })
  secretHash!: string;

  @TimestampColumn('revoked_at', { nullable: true })
  revokedAt!: Date | null;

  @TimestampColumn('created_at')
  createdAt!: Date;
}
