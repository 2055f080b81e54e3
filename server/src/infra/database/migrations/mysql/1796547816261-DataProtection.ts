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
    await queryRunner.query(`ALTER TABLE \`coupon\` ADD \`source_ref\` varchar(64) NULL`);
    await queryRunner.query(
      `ALTER TABLE \`mall_redemption\` ADD \`cash_refund_no\` varchar(64) NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE \`mall_redemption\` ADD \`cash_refunded_at\` datetime(3) NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX \`idx_coupon_source_ref\` ON \`coupon\` (\`source_ref\`)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_coupon_source_ref\` ON \`coupon\``);
    await queryRunner.query(`ALTER TABLE \`mall_redemption\` DROP COLUMN \`cash_refunded_at\``);
    await queryRunner.query(`ALTER TABLE \`mall_redemption\` DROP COLUMN \`cash_refund_no\``);
    await queryRunner.query(`ALTER TABLE \`coupon\` DROP COLUMN \`source_ref\``);
    await queryRunner.query(`ALTER TABLE \`integration_key\` DROP COLUMN \`revoked_at\``);
    await queryRunner.query(`ALTER TABLE \`integration_key\` DROP COLUMN \`last_used_at\``);
    await queryRunner.query(`ALTER TABLE \`integration_key\` DROP COLUMN \`rotated_at\``);
    await queryRunner.query(`ALTER TABLE \`integration_key\` DROP COLUMN \`previous_valid_until\``);
    await queryRunner.query(`ALTER TABLE \`integration_key\` DROP COLUMN \`previous_secret_enc\``);
    await queryRunner.query(`ALTER TABLE \`integration_key\` DROP COLUMN \`secret_hint\``);
  }
}
