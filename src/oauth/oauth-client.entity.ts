import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdColumn, JsonColumn, TimestampColumn } from '../core/database/columns';

/** An OAuth 2.0 client of one workspace (client credentials grant): what its tokens may hold. */
@Entity({ name: 'oauth_clients' })
@Index('ix_oauth_clients_tenant_workspace', ['tenantId', 'workspaceId', 'id'])
export class OAuthClient {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Index('ix_oauth_clients_tenant')
  @IdColumn('tenant_id')
  tenantId!: string;

  @IdColumn('workspace_id')
  workspaceId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** The public client_id. */
  @Index('uq_oauth_clients_client_id', { unique: true })
  @Column({ name: 'client_id', type: 'varchar', length: 40 })
  clientId!: string;

  /** HMAC-SHA-256 of the client secret under APP_KEY, hex, as keys are. Never the secret. */
  @Column({ name: 'secret_hash', type: 'varchar', length: 64, select: false })
  secretHash!: string;

  @JsonColumn('scopes')
  scopes!: string[];

  @Column({ name: 'created_by', type: 'varchar', length: 64, nullable: true })
  createdBy!: string | null;

  /**
   * The rate budget its tokens spend: the creating workspace key's, so that clients made by a key
   * multiply no budget, as keys made by a key do not (found by an attack pass); null: its own.
   */
  @Column({ name: 'budget_id', type: 'varchar', length: 40, nullable: true })
  budgetId!: string | null;

  @TimestampColumn('created_at')
  createdAt!: Date;
}
