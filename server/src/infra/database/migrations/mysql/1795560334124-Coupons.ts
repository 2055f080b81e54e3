import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Coupons1795560334124 implements MigrationInterface {
  name = 'Coupons1795560334124';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`coupon_template\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(40) NOT NULL, \`kind\` varchar(12) NOT NULL, \`value\` int NOT NULL DEFAULT '0', \`threshold\` int NOT NULL DEFAULT '0', \`cap\` int NULL, \`gift_name\` varchar(40) NULL, \`validity_kind\` varchar(8) NOT NULL, \`valid_from\` datetime(3) NULL, \`valid_to\` datetime(3) NULL, \`valid_days\` int NULL, \`total_quantity\` int NULL, \`issued\` int NOT NULL DEFAULT '0', \`per_member_limit\` int NOT NULL DEFAULT '1', \`audience_tiers\` text NOT NULL, \`audience_stages\` text NOT NULL, \`channels\` text NOT NULL, \`active\` tinyint NOT NULL DEFAULT 1, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`coupon\` (\`id\` int NOT NULL AUTO_INCREMENT, \`template_id\` int NOT NULL, \`member_id\` int NOT NULL, \`code\` varchar(32) NOT NULL, \`status\` varchar(12) NOT NULL, \`valid_from\` datetime(3) NOT NULL, \`valid_to\` datetime(3) NOT NULL, \`source\` varchar(12) NOT NULL, \`claimed_at\` datetime(3) NOT NULL, \`used_at\` datetime(3) NULL, \`used_store_code\` varchar(32) NULL, \`used_order_no\` varchar(64) NULL, \`used_by_staff\` int NULL, \`expiry_notice_sent\` tinyint NOT NULL DEFAULT 0, INDEX \`idx_coupon_status_expiry\` (\`status\`, \`valid_to\`), INDEX \`idx_coupon_member_status\` (\`member_id\`, \`status\`, \`valid_to\`), UNIQUE INDEX \`IDX_62d3c5b0ce63a82c48e86d904b\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`coupon_member_count\` (\`member_id\` int NOT NULL, \`template_id\` int NOT NULL, \`n\` int NOT NULL DEFAULT '0', PRIMARY KEY (\`member_id\`, \`template_id\`)) ENGINE=InnoDB`,
    );
    // TypeORM does not write CHECK constraints for MySQL.
    await queryRunner.query(
      `ALTER TABLE \`coupon_template\` ADD CONSTRAINT \`chk_coupon_template_issued\` CHECK (\`issued\` >= 0 AND (\`total_quantity\` IS NULL OR \`issued\` <= \`total_quantity\`))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE \`coupon_template\` DROP CONSTRAINT \`chk_coupon_template_issued\``,
    );
    await queryRunner.query(`DROP TABLE \`coupon_member_count\``);
    await queryRunner.query(`DROP INDEX \`IDX_62d3c5b0ce63a82c48e86d904b\` ON \`coupon\``);
    await queryRunner.query(`DROP INDEX \`idx_coupon_member_status\` ON \`coupon\``);
    await queryRunner.query(`DROP INDEX \`idx_coupon_status_expiry\` ON \`coupon\``);
    await queryRunner.query(`DROP TABLE \`coupon\``);
    await queryRunner.query(`DROP TABLE \`coupon_template\``);
  }
}
