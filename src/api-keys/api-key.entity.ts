import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdColumn, JsonColumn, TimestampColumn } from '../core/database/columns';

import type { CredentialKind, KeyEnvironment } from '../core/context/principal';
import type { CredentialFormat } from '../core/context/legacy-formats';

export type { CredentialKind, KeyEnvironment };

/**
 * Workspace API keys and user tokens share one table: they are presented, parsed, hashed, cached,
 * verified, rate-limited and counted the same way, so the hot path needs one look-up by `key_id`
 * whatever the credential. `kind` says which owner column is set.
 */
@Entity({ name: 'api_keys' })
@Index('ix_api_keys_tenant_workspace', ['tenantId', 'workspaceId', 'id'])
@Index('ix_api_keys_tenant_user', ['tenantId', 'userId', 'id'])
@Index('uq_api_keys_legacy', ['tenantId', 'format', 'legacyId'], { unique: true })
export class ApiKey {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Index('ix_api_keys_tenant')
  @IdColumn('tenant_id')
  tenantId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: CredentialKind;

  @IdColumn('workspace_id', { nullable: true })
  workspaceId!: string | null;

  @IdColumn('user_id', { nullable: true })
  userId!: string | null;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** The public key id inside the key string: what the hot path looks keys up by. */
  @Index('uq_api_keys_key_id', { unique: true })
  @Column({ name: 'key_id', type: 'varchar', length: 32 })
  keyId!: string;

  /** HMAC-SHA-256 of the whole key under APP_KEY, hex. Never the key itself. */
  @Column({ name: 'secret_hash', type: 'varchar', length: 64, select: false })
  secretHash!: string;

  @Column({ type: 'varchar', length: 8 })
  environment!: KeyEnvironment;

  @JsonColumn('scopes')
  scopes!: string[];

  @JsonColumn('ip_allowlist')
  ipAllowlist!: string[];

  @Column({ name: 'rate_limit_tier', type: 'varchar', length: 32, nullable: true })
  rateLimitTier!: string | null;

  @Column({ name: 'rate_limit_limit', type: 'int', nullable: true })
  rateLimitLimit!: number | null;

  @Column({ name: 'rate_limit_window_seconds', type: 'int', nullable: true })
  rateLimitWindowSeconds!: number | null;

  @TimestampColumn('expires_at', { nullable: true })
  expiresAt!: Date | null;

  @TimestampColumn('last_used_at', { nullable: true })
  lastUsedAt!: Date | null;

  @TimestampColumn('revoked_at', { nullable: true })
  revokedAt!: Date | null;

  /** Unique: a key has at most one successor, which is what makes concurrent rotations safe. */
  @Index('uq_api_keys_rotated_from', { unique: true })
  @IdColumn('rotated_from_id', { nullable: true })
  rotatedFromId!: string | null;

  /**
   * When this key was rotated out. From then on it lives only for its grace period, which can be
   * shortened but never extended, even if its successor is deleted.
   */
  @TimestampColumn('superseded_at', { nullable: true })
  supersededAt!: Date | null;

  /**
   * The first key of its rotation chain (null: this one). Keys of one chain share one rate-limit
   * budget, so rotating a key that spent its budget does not hand out a fresh one.
   */
  @IdColumn('lineage_id', { nullable: true })
  lineageId!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 64, nullable: true })
  createdBy!: string | null;

  /** `keygate` (issued here), `oauth` (an access token), or the system it was imported from. */
  @Column({ type: 'varchar', length: 16, default: 'keygate' })
  format!: CredentialFormat;

  /** Imported: its id in the old system (what makes a re-import skip it). */
  @Column({ name: 'legacy_id', type: 'varchar', length: 64, nullable: true })
  legacyId!: string | null;

  /**
   * Imported and not yet used: the old system's hash (bcrypt, SHA-256, HMAC-SHA-512). Replaced by
   * our HMAC in `secret_hash` on the first successful use, and then null.
   */
  @Column({ name: 'legacy_hash', type: 'varchar', length: 160, nullable: true, select: false })
  legacyHash!: string | null;

  /** Imported from Voltis: the old application key its hash is under, sealed (legacy-seal.ts). */
  @Column({ name: 'legacy_key', type: 'varchar', length: 400, nullable: true, select: false })
  legacyKey!: string | null;

  /** Imported: the public part the old system showed (`7|`, a hex prefix, `sk_live_ab12…`). */
  @Column({ name: 'display_prefix', type: 'varchar', length: 64, nullable: true })
  displayPrefix!: string | null;

  /** An OAuth access token: the client that obtained it. */
  @Index('ix_api_keys_oauth_client')
  @IdColumn('oauth_client_id', { nullable: true })
  oauthClientId!: string | null;

  @TimestampColumn('created_at')
  createdAt!: Date;

  @TimestampColumn('updated_at')
  updatedAt!: Date;
}
