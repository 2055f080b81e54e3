import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CashRefundStatus1796582671615 implements MigrationInterface {
  name = 'CashRefundStatus1796582671615';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE \`mall_redemption\` ADD \`cash_refund_status\` varchar(16) NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`mall_redemption\` DROP COLUMN \`cash_refund_status\``);
  }
}
