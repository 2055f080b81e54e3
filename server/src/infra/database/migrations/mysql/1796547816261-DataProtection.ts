import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DataProtection1796547816261 implements MigrationInterface {
  name = 'DataProtection1796547816261';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`integration_key\` ADD \`secret_hint\` varchar(8) NULL`);
    await queryRunner.query(
      `ALTER TABLE \`integration_key\` ADD \`previous_secret_enc\` varchar(255) NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE \`integration_key\` ADD \`previous_valid_until\` datetime(3) NULL`,
    );
    await queryRunner.query(`ALTER TABLE \`integration_key\` ADD \`rotated_at\` datetime(3) NULL`);
    await queryRunner.query(
      `ALTER TABLE \`integration_key\` ADD \`last_used_at\` datetime(3) NULL`,
    );
    await queryRunner.query(`ALTER TABLE \`integration_key\` ADD \`revoked_at\` datetime(3) NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`integration_key\` DROP COLUMN \`revoked_at\``);
    await queryRunner.query(`ALTER TABLE \`integration_key\` DROP COLUMN \`last_used_at\``);
    await queryRunner.query(`ALTER TABLE \`integration_key\` DROP COLUMN \`rotated_at\``);
    await queryRunner.query(`ALTER TABLE \`integration_key\` DROP COLUMN \`previous_valid_until\``);
    await queryRunner.query(`ALTER TABLE \`integration_key\` DROP COLUMN \`previous_secret_enc\``);
    await queryRunner.query(`ALTER TABLE \`integration_key\` DROP COLUMN \`secret_hint\``);
  }
}
