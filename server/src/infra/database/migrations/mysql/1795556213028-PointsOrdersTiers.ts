import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PointsOrdersTiers1795556213028 implements MigrationInterface {
  name = 'PointsOrdersTiers1795556213028';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`points_entry\` (\`id\` int NOT NULL AUTO_INCREMENT, \`member_id\` int NOT NULL, \`type\` varchar(16) NOT NULL, \`points\` int NOT NULL, \`growth\` int NOT NULL DEFAULT '0', \`balance_after\` int NOT NULL, \`growth_after\` int NOT NULL, \`idempotency_key\` varchar(128) NOT NULL, \`source_type\` varchar(16) NOT NULL, \`source_ref\` varchar(96) NULL, \`reason\` varchar(200) NULL, \`expires_at\` datetime(3) NULL, \`breakdown\` text NULL, \`staff_id\` int NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`idx_points_entry_source\` (\`source_type\`, \`source_ref\`), INDEX \`idx_points_entry_member\` (\`member_id\`, \`id\`), UNIQUE INDEX \`IDX_265e9ba61b849989a83036aee3\` (\`idempotency_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`points_lot\` (\`id\` int NOT NULL AUTO_INCREMENT, \`member_id\` int NOT NULL, \`amount\` int NOT NULL, \`remaining\` int NOT NULL, \`growth\` int NOT NULL DEFAULT '0', \`status\` varchar(16) NOT NULL, \`expires_at\` datetime(3) NULL, \`available_at\` datetime(3) NOT NULL, \`source_type\` varchar(16) NOT NULL, \`source_ref\` varchar(96) NULL, \`idempotency_key\` varchar(128) NOT NULL, \`notice_sent_on\` date NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`idx_points_lot_release\` (\`status\`, \`available_at\`), INDEX \`idx_points_lot_expiry\` (\`status\`, \`expires_at\`), INDEX \`idx_points_lot_member\` (\`member_id\`, \`status\`, \`expires_at\`), UNIQUE INDEX \`IDX_7f01c3c28d8e8f42dab27d745a\` (\`idempotency_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`tier_history\` (\`id\` int NOT NULL AUTO_INCREMENT, \`member_id\` int NOT NULL, \`from_tier\` varchar(32) NULL, \`to_tier\` varchar(32) NOT NULL, \`reason\` varchar(16) NOT NULL, \`growth\` int NOT NULL, \`period_growth\` int NULL, \`at\` datetime(3) NOT NULL, INDEX \`idx_tier_history_member\` (\`member_id\`, \`at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`orders\` (\`id\` int NOT NULL AUTO_INCREMENT, \`order_no\` varchar(64) NOT NULL, \`member_id\` int NOT NULL, \`amount\` int NOT NULL, \`refunded_amount\` int NOT NULL DEFAULT '0', \`paid_at\` datetime(3) NOT NULL, \`store_code\` varchar(32) NULL, \`channel\` varchar(16) NOT NULL, \`body_hash\` varchar(64) NULL, \`points\` int NOT NULL DEFAULT '0', \`growth\` int NOT NULL DEFAULT '0', \`points_status\` varchar(16) NOT NULL DEFAULT 'none', \`points_available_at\` datetime(3) NULL, \`points_reversed\` int NOT NULL DEFAULT '0', \`growth_reversed\` int NOT NULL DEFAULT '0', \`breakdown\` text NULL, \`details\` text NULL, \`import_id\` int NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_orders_paid\` (\`paid_at\`), INDEX \`idx_orders_member_paid\` (\`member_id\`, \`paid_at\`), UNIQUE INDEX \`IDX_035026a83bef9740d7ad05df38\` (\`order_no\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`order_refund\` (\`id\` int NOT NULL AUTO_INCREMENT, \`refund_no\` varchar(64) NOT NULL, \`order_no\` varchar(64) NOT NULL, \`member_id\` int NOT NULL, \`amount\` int NOT NULL, \`points_reversed\` int NOT NULL, \`growth_reversed\` int NOT NULL, \`points_owed\` int NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_order_refund_order\` (\`order_no\`), UNIQUE INDEX \`IDX_549550bd3389729fd7e61ea6cd\` (\`refund_no\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`integration_key\` (\`id\` int NOT NULL AUTO_INCREMENT, \`key_id\` varchar(32) NOT NULL, \`name\` varchar(64) NOT NULL, \`secret_enc\` varchar(255) NOT NULL, \`active\` tinyint NOT NULL DEFAULT 1, \`created_by\` int NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`IDX_6bd8d07f035112d12375fde3f7\` (\`key_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`request_nonce\` (\`id\` int NOT NULL AUTO_INCREMENT, \`signature\` varchar(64) NOT NULL, \`expires_at\` datetime(3) NOT NULL, INDEX \`idx_request_nonce_expiry\` (\`expires_at\`), UNIQUE INDEX \`IDX_f18ffdeb6aaa32dedb0b0ac53b\` (\`signature\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`job_lease\` (\`name\` varchar(64) NOT NULL, \`owner\` varchar(64) NULL, \`lease_until\` datetime(3) NOT NULL, \`last_run_at\` datetime(3) NULL, \`last_result\` varchar(200) NULL, PRIMARY KEY (\`name\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`setting\` (\`key\` varchar(64) NOT NULL, \`value\` text NOT NULL, \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), PRIMARY KEY (\`key\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(`ALTER TABLE \`member\` ADD \`tier_since\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`member\` ADD \`tier_expires_at\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`member\` ADD \`tier_notice_for\` datetime(3) NULL`);
    await queryRunner.query(
      `ALTER TABLE \`tier\` ADD \`retention_growth\` int NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE \`tier\` ADD \`validity_months\` int NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(`ALTER TABLE \`tier\` ADD \`benefits\` text NULL`);
    await queryRunner.query(
      `ALTER TABLE \`points_account\` ADD \`pending\` int NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(`ALTER TABLE \`points_account\` ADD \`owed\` int NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `CREATE INDEX \`idx_member_tier_expiry\` ON \`member\` (\`tier_expires_at\`)`,
    );
    // TypeORM does not write CHECK constraints for MySQL; MySQL 8.0.16+ and MariaDB enforce them.
    await queryRunner.query(
      `ALTER TABLE \`points_account\` ADD CONSTRAINT \`chk_points_account_pending\` CHECK (\`pending\` >= 0)`,
    );
    await queryRunner.query(
      `ALTER TABLE \`points_account\` ADD CONSTRAINT \`chk_points_account_owed\` CHECK (\`owed\` >= 0)`,
    );
    await queryRunner.query(
      `ALTER TABLE \`points_lot\` ADD CONSTRAINT \`chk_points_lot_remaining\` CHECK (\`remaining\` >= 0 AND \`remaining\` <= \`amount\`)`,
    );
    await queryRunner.query(
      `ALTER TABLE \`orders\` ADD CONSTRAINT \`chk_orders_amounts\` CHECK (\`amount\` >= 0 AND \`refunded_amount\` >= 0 AND \`refunded_amount\` <= \`amount\`)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`orders\` DROP CONSTRAINT \`chk_orders_amounts\``);
    await queryRunner.query(
      `ALTER TABLE \`points_lot\` DROP CONSTRAINT \`chk_points_lot_remaining\``,
    );
    await queryRunner.query(
      `ALTER TABLE \`points_account\` DROP CONSTRAINT \`chk_points_account_owed\``,
    );
    await queryRunner.query(
      `ALTER TABLE \`points_account\` DROP CONSTRAINT \`chk_points_account_pending\``,
    );
    await queryRunner.query(`DROP INDEX \`idx_member_tier_expiry\` ON \`member\``);
    await queryRunner.query(`ALTER TABLE \`points_account\` DROP COLUMN \`owed\``);
    await queryRunner.query(`ALTER TABLE \`points_account\` DROP COLUMN \`pending\``);
    await queryRunner.query(`ALTER TABLE \`tier\` DROP COLUMN \`benefits\``);
    await queryRunner.query(`ALTER TABLE \`tier\` DROP COLUMN \`validity_months\``);
    await queryRunner.query(`ALTER TABLE \`tier\` DROP COLUMN \`retention_growth\``);
    await queryRunner.query(`ALTER TABLE \`member\` DROP COLUMN \`tier_notice_for\``);
    await queryRunner.query(`ALTER TABLE \`member\` DROP COLUMN \`tier_expires_at\``);
    await queryRunner.query(`ALTER TABLE \`member\` DROP COLUMN \`tier_since\``);
    await queryRunner.query(`DROP TABLE \`setting\``);
    await queryRunner.query(`DROP TABLE \`job_lease\``);
    await queryRunner.query(`DROP INDEX \`IDX_f18ffdeb6aaa32dedb0b0ac53b\` ON \`request_nonce\``);
    await queryRunner.query(`DROP INDEX \`idx_request_nonce_expiry\` ON \`request_nonce\``);
    await queryRunner.query(`DROP TABLE \`request_nonce\``);
    await queryRunner.query(`DROP INDEX \`IDX_6bd8d07f035112d12375fde3f7\` ON \`integration_key\``);
    await queryRunner.query(`DROP TABLE \`integration_key\``);
    await queryRunner.query(`DROP INDEX \`IDX_549550bd3389729fd7e61ea6cd\` ON \`order_refund\``);
    await queryRunner.query(`DROP INDEX \`idx_order_refund_order\` ON \`order_refund\``);
    await queryRunner.query(`DROP TABLE \`order_refund\``);
    await queryRunner.query(`DROP INDEX \`IDX_035026a83bef9740d7ad05df38\` ON \`orders\``);
    await queryRunner.query(`DROP INDEX \`idx_orders_member_paid\` ON \`orders\``);
    await queryRunner.query(`DROP INDEX \`idx_orders_paid\` ON \`orders\``);
    await queryRunner.query(`DROP TABLE \`orders\``);
    await queryRunner.query(`DROP INDEX \`idx_tier_history_member\` ON \`tier_history\``);
    await queryRunner.query(`DROP TABLE \`tier_history\``);
    await queryRunner.query(`DROP INDEX \`IDX_7f01c3c28d8e8f42dab27d745a\` ON \`points_lot\``);
    await queryRunner.query(`DROP INDEX \`idx_points_lot_member\` ON \`points_lot\``);
    await queryRunner.query(`DROP INDEX \`idx_points_lot_expiry\` ON \`points_lot\``);
    await queryRunner.query(`DROP INDEX \`idx_points_lot_release\` ON \`points_lot\``);
    await queryRunner.query(`DROP TABLE \`points_lot\``);
    await queryRunner.query(`DROP INDEX \`IDX_265e9ba61b849989a83036aee3\` ON \`points_entry\``);
    await queryRunner.query(`DROP INDEX \`idx_points_entry_member\` ON \`points_entry\``);
    await queryRunner.query(`DROP INDEX \`idx_points_entry_source\` ON \`points_entry\``);
    await queryRunner.query(`DROP TABLE \`points_entry\``);
  }
}
