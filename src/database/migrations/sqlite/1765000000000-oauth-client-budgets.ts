import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * oauth_clients.budget_id: the rate budget its tokens spend. A client made by a workspace key
 * spends that key's (children multiply no budget); null: a budget of its own, the client's id.
 */
export class OauthClientBudgets1765000000000 implements MigrationInterface {
  name = 'OauthClientBudgets1765000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "oauth_clients" ADD COLUMN "budget_id" varchar(40)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "oauth_clients" DROP COLUMN "budget_id"`);
  }
}
