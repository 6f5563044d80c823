import { MigrationInterface, QueryRunner } from 'typeorm';

/** api_keys.legacy_key: a Voltis row's own old application key, sealed (one per imported batch). */
export class LegacySealedKeys1764900000000 implements MigrationInterface {
  name = 'LegacySealedKeys1764900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`api_keys\` ADD \`legacy_key\` varchar(400) NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`api_keys\` DROP COLUMN \`legacy_key\``);
  }
}
