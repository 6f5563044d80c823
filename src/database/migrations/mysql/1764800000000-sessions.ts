import { MigrationInterface, QueryRunner } from 'typeorm';

/** sessions: the dashboard's signed-in browsers (only an HMAC of the cookie is stored). */
export class Sessions1764800000000 implements MigrationInterface {
  name = 'Sessions1764800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`sessions\` (\`id\` varchar(40) NOT NULL, \`tenant_id\` varchar(40) NOT NULL, \`id_hash\` varchar(64) NOT NULL, \`user_id\` varchar(40) NOT NULL, \`ip\` varchar(64) NULL, \`user_agent\` varchar(400) NULL, \`created_at\` datetime(3) NOT NULL, \`last_seen_at\` datetime(3) NOT NULL, \`expires_at\` datetime(3) NOT NULL, \`revoked_at\` datetime(3) NULL, INDEX \`ix_sessions_tenant\` (\`tenant_id\`), UNIQUE INDEX \`uq_sessions_id_hash\` (\`id_hash\`), INDEX \`ix_sessions_tenant_user\` (\`tenant_id\`, \`user_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`sessions\``);
  }
}
