import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Issue17ConsoleCatalogueMembership1796543690970 implements MigrationInterface {
  name = 'Issue17ConsoleCatalogueMembership1796543690970';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`mall_voucher\` (\`id\` int NOT NULL AUTO_INCREMENT, \`code\` varchar(32) NOT NULL, \`redemption_id\` int NOT NULL, \`member_id\` int NOT NULL, \`item_id\` int NOT NULL, \`status\` varchar(12) NOT NULL, \`valid_to\` datetime(3) NOT NULL, \`used_at\` datetime(3) NULL, \`used_store_code\` varchar(32) NULL, \`used_by_staff\` int NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_mall_voucher_member\` (\`member_id\`, \`id\`), INDEX \`idx_mall_voucher_redemption\` (\`redemption_id\`), UNIQUE INDEX \`IDX_d515d422927ee5ba57838b910e\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`member_day_participation\` (\`id\` int NOT NULL AUTO_INCREMENT, \`member_day_id\` int NOT NULL, \`day\` date NOT NULL, \`member_id\` int NOT NULL, \`via\` varchar(16) NOT NULL, \`first_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_member_day_participation\` (\`member_day_id\`, \`day\`, \`member_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(`ALTER TABLE \`store\` ADD \`address\` varchar(128) NULL`);
    await queryRunner.query(`ALTER TABLE \`store\` ADD \`active\` tinyint NOT NULL DEFAULT 1`);
    await queryRunner.query(
      `ALTER TABLE \`coupon_template\` ADD \`description\` varchar(200) NOT NULL DEFAULT ''`,
    );
    await queryRunner.query(`ALTER TABLE \`coupon_template\` ADD \`store_codes\` text NULL`);
    await queryRunner.query(`ALTER TABLE \`mall_item\` ADD \`store_codes\` text NULL`);
    await queryRunner.query(
      `ALTER TABLE \`mall_item\` ADD \`voucher_days\` int NOT NULL DEFAULT '30'`,
    );
    await queryRunner.query(`ALTER TABLE \`member\` ADD \`avatar\` text NULL`);
    await queryRunner.query(`ALTER TABLE \`member\` ADD \`home_store_code\` varchar(32) NULL`);
    await queryRunner.query(`CREATE INDEX \`idx_member_joined_at\` ON \`member\` (\`joined_at\`)`);
    await queryRunner.query(
      `CREATE INDEX \`idx_member_home_store_id\` ON \`member\` (\`home_store_code\`, \`id\`)`,
    );
    await queryRunner.query(
      `CREATE INDEX \`idx_member_tier_id\` ON \`member\` (\`tier_code\`, \`id\`)`,
    );
    await queryRunner.query(
      `CREATE INDEX \`idx_member_stage_id\` ON \`member\` (\`stage\`, \`id\`)`,
    );
    await queryRunner.query(
      `CREATE INDEX \`idx_member_status_id\` ON \`member\` (\`status\`, \`id\`)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_member_status_id\` ON \`member\``);
    await queryRunner.query(`DROP INDEX \`idx_member_stage_id\` ON \`member\``);
    await queryRunner.query(`DROP INDEX \`idx_member_tier_id\` ON \`member\``);
    await queryRunner.query(`DROP INDEX \`idx_member_home_store_id\` ON \`member\``);
    await queryRunner.query(`DROP INDEX \`idx_member_joined_at\` ON \`member\``);
    await queryRunner.query(`ALTER TABLE \`member\` DROP COLUMN \`home_store_code\``);
    await queryRunner.query(`ALTER TABLE \`member\` DROP COLUMN \`avatar\``);
    await queryRunner.query(`ALTER TABLE \`mall_item\` DROP COLUMN \`voucher_days\``);
    await queryRunner.query(`ALTER TABLE \`mall_item\` DROP COLUMN \`store_codes\``);
    await queryRunner.query(`ALTER TABLE \`coupon_template\` DROP COLUMN \`store_codes\``);
    await queryRunner.query(`ALTER TABLE \`coupon_template\` DROP COLUMN \`description\``);
    await queryRunner.query(`ALTER TABLE \`store\` DROP COLUMN \`active\``);
    await queryRunner.query(`ALTER TABLE \`store\` DROP COLUMN \`address\``);
    await queryRunner.query(
      `DROP INDEX \`uq_member_day_participation\` ON \`member_day_participation\``,
    );
    await queryRunner.query(`DROP TABLE \`member_day_participation\``);
    await queryRunner.query(`DROP INDEX \`IDX_d515d422927ee5ba57838b910e\` ON \`mall_voucher\``);
    await queryRunner.query(`DROP INDEX \`idx_mall_voucher_redemption\` ON \`mall_voucher\``);
    await queryRunner.query(`DROP INDEX \`idx_mall_voucher_member\` ON \`mall_voucher\``);
    await queryRunner.query(`DROP TABLE \`mall_voucher\``);
  }
}
