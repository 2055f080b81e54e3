import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MessageCreditHeld1796550067990 implements MigrationInterface {
  name = 'MessageCreditHeld1796550067990';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`message\` ADD \`credit_template_id\` varchar(64) NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`message\` DROP COLUMN \`credit_template_id\``);
  }
}
