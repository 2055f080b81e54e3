import type { MigrationInterface, QueryRunner } from 'typeorm';

export class StaffSessionsAndLoginLimits1796547945076 implements MigrationInterface {
  name = 'StaffSessionsAndLoginLimits1796547945076';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`staff\` ADD \`token_version\` int NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE \`staff\` ADD \`failed_logins\` int NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE \`staff\` ADD \`login_blocked_until\` datetime(3) NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`staff\` DROP COLUMN \`login_blocked_until\``);
    await queryRunner.query(`ALTER TABLE \`staff\` DROP COLUMN \`failed_logins\``);
    await queryRunner.query(`ALTER TABLE \`staff\` DROP COLUMN \`token_version\``);
  }
}
