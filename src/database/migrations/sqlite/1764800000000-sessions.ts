import { MigrationInterface, QueryRunner } from 'typeorm';

/** sessions: the dashboard's signed-in browsers (only an HMAC of the cookie is stored). */
export class Sessions1764800000000 implements MigrationInterface {
  name = 'Sessions1764800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sessions" ("id" varchar(40) PRIMARY KEY NOT NULL, "tenant_id" varchar(40) NOT NULL, "id_hash" varchar(64) NOT NULL, "user_id" varchar(40) NOT NULL, "ip" varchar(64), "user_agent" varchar(400), "created_at" datetime(3) NOT NULL, "last_seen_at" datetime(3) NOT NULL, "expires_at" datetime(3) NOT NULL, "revoked_at" datetime(3))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_sessions_tenant" ON "sessions" ("tenant_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_sessions_id_hash" ON "sessions" ("id_hash") `);
    await queryRunner.query(`CREATE INDEX "ix_sessions_tenant_user" ON "sessions" ("tenant_id", "user_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_sessions_tenant_user"`);
    await queryRunner.query(`DROP INDEX "uq_sessions_id_hash"`);
    await queryRunner.query(`DROP INDEX "ix_sessions_tenant"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
  }
}
