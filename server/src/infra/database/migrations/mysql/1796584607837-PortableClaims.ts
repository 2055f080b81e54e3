import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PortableClaims1796584607837 implements MigrationInterface {
  name = 'PortableClaims1796584607837';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`domain_event\` ADD \`batch\` varchar(24) NULL`);
    await queryRunner.query(`ALTER TABLE \`message\` ADD \`claim_token\` varchar(24) NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`message\` DROP COLUMN \`claim_token\``);
    await queryRunner.query(`ALTER TABLE \`domain_event\` DROP COLUMN \`batch\``);
  }
}
