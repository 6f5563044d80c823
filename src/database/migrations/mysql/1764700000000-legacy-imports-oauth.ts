import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moving in (product.md): imported legacy credentials live in api_keys beside native ones
 * (`format`, their legacy row id, their legacy hash until the first successful use replaces it by
 * our HMAC, and the prefix the old system showed); tenants remember which formats they imported,
 * so tenants without imports never try a legacy look-up. OAuth 2.0 clients per workspace; their
 * access tokens are api_keys rows of format `oauth`.
 */
export class LegacyImportsOauth1764700000000 implements MigrationInterface {
  name = 'LegacyImportsOauth1764700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE \`api_keys\` ADD \`format\` varchar(16) NOT NULL DEFAULT 'keygate', ADD \`legacy_id\` varchar(64) NULL, ADD \`legacy_hash\` varchar(160) NULL, ADD \`display_prefix\` varchar(64) NULL, ADD \`oauth_client_id\` varchar(40) NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX \`uq_api_keys_legacy\` ON \`api_keys\` (\`tenant_id\`, \`format\`, \`legacy_id\`)`,
    );
    await queryRunner.query(
      `CREATE INDEX \`ix_api_keys_oauth_client\` ON \`api_keys\` (\`oauth_client_id\`)`,
    );
    await queryRunner.query(`ALTER TABLE \`tenants\` ADD \`legacy_formats\` text NULL`);
    await queryRunner.query(
      `CREATE TABLE \`oauth_clients\` (\`id\` varchar(40) NOT NULL, \`tenant_id\` varchar(40) NOT NULL, \`workspace_id\` varchar(40) NOT NULL, \`name\` varchar(200) NOT NULL, \`client_id\` varchar(40) NOT NULL, \`secret_hash\` varchar(64) NOT NULL, \`scopes\` text NOT NULL, \`created_by\` varchar(64) NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`ix_oauth_clients_tenant\` (\`tenant_id\`), INDEX \`ix_oauth_clients_tenant_workspace\` (\`tenant_id\`, \`workspace_id\`, \`id\`), UNIQUE INDEX \`uq_oauth_clients_client_id\` (\`client_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`oauth_clients\``);
    await queryRunner.query(`ALTER TABLE \`tenants\` DROP COLUMN \`legacy_formats\``);
    await queryRunner.query(`DROP INDEX \`ix_api_keys_oauth_client\` ON \`api_keys\``);
    await queryRunner.query(`DROP INDEX \`uq_api_keys_legacy\` ON \`api_keys\``);
    await queryRunner.query(
      `ALTER TABLE \`api_keys\` DROP COLUMN \`oauth_client_id\`, DROP COLUMN \`display_prefix\`, DROP COLUMN \`legacy_hash\`, DROP COLUMN \`legacy_id\`, DROP COLUMN \`format\``,
    );
  }
}
