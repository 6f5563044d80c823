import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdColumn, TimestampColumn } from '../core/database/columns';

export type UserStatus = 'active' | 'deactivated';

@Entity({ name: 'users' })
@Index('uq_users_tenant_email', ['tenantId', 'email'], { unique: true })
export class User {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Index('ix_users_tenant')
  @IdColumn('tenant_id')
  tenantId!: string;

  /** Stored lower-cased, so uniqueness and login ignore case. */
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 100, select: false })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: UserStatus;

  /**
   * A role that applies in every workspace of the tenant (`owner` for the tenant owner); with the
   * `view_all_locations` permission it also opens workspaces the user is not a member of.
   */
  @Column({ name: 'tenant_role', type: 'varchar', length: 64, nullable: true })
  tenantRole!: string | null;

  @IdColumn('current_workspace_id', { nullable: true })
  currentWorkspaceId!: string | null;

  @TimestampColumn('created_at')
  createdAt!: Date;

  @TimestampColumn('updated_at')
  updatedAt!: Date;
}
