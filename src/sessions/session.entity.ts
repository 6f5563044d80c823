import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdColumn, TimestampColumn } from '../core/database/columns';

/**
 * A signed-in browser (the dashboard). The cookie holds a random secret; the row holds only its
 * HMAC under APP_KEY (`id_hash`), so a read of the table signs nobody in.
 */
@Entity({ name: 'sessions' })
@Index('ix_sessions_tenant_user', ['tenantId', 'userId'])
export class Session {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Index('ix_sessions_tenant')
  @IdColumn('tenant_id')
  tenantId!: string;

  @Index('uq_sessions_id_hash', { unique: true })
  @Column({ name: 'id_hash', type: 'varchar', length: 64, select: false })
  idHash!: string;

  @IdColumn('user_id')
  userId!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 400, nullable: true })
  userAgent!: string | null;

  @TimestampColumn('created_at')
  createdAt!: Date;

  @TimestampColumn('last_seen_at')
  lastSeenAt!: Date;

  /** The absolute end (SESSION_MAX_HOURS after sign-in), whatever the activity. */
  @TimestampColumn('expires_at')
  expiresAt!: Date;

  @TimestampColumn('revoked_at', { nullable: true })
  revokedAt!: Date | null;
}
