import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CatalogueVouchers1796538481746 implements MigrationInterface {
  name = 'CatalogueVouchers1796538481746';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`mall_voucher\` (\`id\` int NOT NULL AUTO_INCREMENT, \`code\` varchar(32) NOT NULL, \`redemption_id\` int NOT NULL, \`member_id\` int NOT NULL, \`item_id\` int NOT NULL, \`status\` varchar(12) NOT NULL, \`valid_to\` datetime(3) NOT NULL, \`used_at\` datetime(3) NULL, \`used_store_code\` varchar(32) NULL, \`used_by_staff\` int NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_mall_voucher_member\` (\`member_id\`, \`id\`), INDEX \`idx_mall_voucher_redemption\` (\`redemption_id\`), UNIQUE INDEX \`IDX_d515d422927ee5ba57838b910e\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`coupon_template\` ADD \`description\` varchar(200) NOT NULL DEFAULT ''`,
    );
    await queryRunner.query(`ALTER TABLE \`coupon_template\` ADD \`store_codes\` text NULL`);
    await queryRunner.query(`ALTER TABLE \`mall_item\` ADD \`store_codes\` text NULL`);
    await queryRunner.query(
      `ALTER TABLE \`mall_item\` ADD \`voucher_days\` int NOT NULL DEFAULT '30'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`mall_item\` DROP COLUMN \`voucher_days\``);
    await queryRunner.query(`ALTER TABLE \`mall_item\` DROP COLUMN \`store_codes\``);
    await queryRunner.query(`ALTER TABLE \`coupon_template\` DROP COLUMN \`store_codes\``);
    await queryRunner.query(`ALTER TABLE \`coupon_template\` DROP COLUMN \`description\``);
    await queryRunner.query(`DROP INDEX \`IDX_d515d422927ee5ba57838b910e\` ON \`mall_voucher\``);
    await queryRunner.query(`DROP INDEX \`idx_mall_voucher_redemption\` ON \`mall_voucher\``);
    await queryRunner.query(`DROP INDEX \`idx_mall_voucher_member\` ON \`mall_voucher\``);
    await queryRunner.query(`DROP TABLE \`mall_voucher\``);
  }
}
