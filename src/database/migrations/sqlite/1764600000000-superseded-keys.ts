import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * api_keys.superseded_at: a rotated-out key stays rotated out (its grace cannot be extended);
 * api_keys.lineage_id: keys of one rotation chain share one rate-limit budget.
 */
export class SupersededKeys1764600000000 implements MigrationInterface {
  name = 'SupersededKeys1764600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_keys" ADD COLUMN "superseded_at" datetime(3)`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD COLUMN "lineage_id" varchar(40)`);
    // Keys rotated before this column existed: their successor names them.
    await queryRunner.query(
      `UPDATE "api_keys" SET "superseded_at" = "updated_at" WHERE "id" IN (SELECT "rotated_from_id" FROM "api_keys" WHERE "rotated_from_id" IS NOT NULL)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "lineage_id"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "superseded_at"`);
  }
}
