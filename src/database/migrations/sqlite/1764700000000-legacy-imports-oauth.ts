import { MigrationInterface, QueryRunner } from 'typeorm';

/** See the MySQL migration of the same name: the same schema in SQLite's SQL. */
export class LegacyImportsOauth1764700000000 implements MigrationInterface {
  name = 'LegacyImportsOauth1764700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "api_keys" ADD COLUMN "format" varchar(16) NOT NULL DEFAULT 'keygate'`,
    );
    await queryRunner.query(`ALTER TABLE "api_keys" ADD COLUMN "legacy_id" varchar(64)`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD COLUMN "legacy_hash" varchar(160)`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD COLUMN "display_prefix" varchar(64)`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD COLUMN "oauth_client_id" varchar(40)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_api_keys_legacy" ON "api_keys" ("tenant_id", "format", "legacy_id") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_api_keys_oauth_client" ON "api_keys" ("oauth_client_id") `);
    await queryRunner.query(`ALTER TABLE "tenants" ADD COLUMN "legacy_formats" text`);
    await queryRunner.query(
      `CREATE TABLE "oauth_clients" ("id" varchar(40) PRIMARY KEY NOT NULL, "tenant_id" varchar(40) NOT NULL, "workspace_id" varchar(40) NOT NULL, "name" varchar(200) NOT NULL, "client_id" varchar(40) NOT NULL, "secret_hash" varchar(64) NOT NULL, "scopes" text NOT NULL, "created_by" varchar(64), "created_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "ix_oauth_clients_tenant" ON "oauth_clients" ("tenant_id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_oauth_clients_tenant_workspace" ON "oauth_clients" ("tenant_id", "workspace_id", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_oauth_clients_client_id" ON "oauth_clients" ("client_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "oauth_clients"`);
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "legacy_formats"`);
    await queryRunner.query(`DROP INDEX "ix_api_keys_oauth_client"`);
    await queryRunner.query(`DROP INDEX "uq_api_keys_legacy"`);
    for (const column of ['oauth_client_id', 'display_prefix', 'legacy_hash', 'legacy_id', 'format'])
      await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "${column}"`);
  }
}
