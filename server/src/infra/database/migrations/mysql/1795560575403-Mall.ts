import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Mall1795560575403 implements MigrationInterface {
  name = 'Mall1795560575403';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`mall_item\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(60) NOT NULL, \`kind\` varchar(12) NOT NULL, \`coupon_template_id\` int NULL, \`points_price\` int NOT NULL, \`cash_price\` int NOT NULL DEFAULT '0', \`stock\` int NOT NULL, \`per_member_limit\` int NOT NULL DEFAULT '1', \`available_from\` datetime(3) NULL, \`available_to\` datetime(3) NULL, \`tiers\` text NOT NULL, \`member_day_only\` tinyint NOT NULL DEFAULT 0, \`image_url\` varchar(500) NULL, \`description\` varchar(1000) NOT NULL DEFAULT '', \`active\` tinyint NOT NULL DEFAULT 1, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`mall_redemption\` (\`id\` int NOT NULL AUTO_INCREMENT, \`member_id\` int NOT NULL, \`item_id\` int NOT NULL, \`request_key\` varchar(96) NOT NULL, \`quantity\` int NOT NULL, \`points_spent\` int NOT NULL, \`cash_due\` int NOT NULL, \`status\` varchar(20) NOT NULL, \`pay_before\` datetime(3) NULL, \`payment_ref\` varchar(64) NULL, \`address\` text NULL, \`tracking_no\` varchar(64) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`idx_mall_redemption_payment\` (\`status\`, \`pay_before\`), INDEX \`idx_mall_redemption_member\` (\`member_id\`, \`id\`), UNIQUE INDEX \`IDX_4cfe8ef54ee5aca9225ba3b76b\` (\`request_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`mall_member_count\` (\`member_id\` int NOT NULL, \`item_id\` int NOT NULL, \`n\` int NOT NULL DEFAULT '0', PRIMARY KEY (\`member_id\`, \`item_id\`)) ENGINE=InnoDB`,
    );
    // TypeORM does not write CHECK constraints for MySQL.
    await queryRunner.query(
      `ALTER TABLE \`mall_item\` ADD CONSTRAINT \`chk_mall_item_stock\` CHECK (\`stock\` >= 0)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`mall_item\` DROP CONSTRAINT \`chk_mall_item_stock\``);
    await queryRunner.query(`DROP TABLE \`mall_member_count\``);
    await queryRunner.query(`DROP INDEX \`IDX_4cfe8ef54ee5aca9225ba3b76b\` ON \`mall_redemption\``);
    await queryRunner.query(`DROP INDEX \`idx_mall_redemption_member\` ON \`mall_redemption\``);
    await queryRunner.query(`DROP INDEX \`idx_mall_redemption_payment\` ON \`mall_redemption\``);
    await queryRunner.query(`DROP TABLE \`mall_redemption\``);
    await queryRunner.query(`DROP TABLE \`mall_item\``);
  }
}
