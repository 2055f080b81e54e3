import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Balances, growth, amounts and their sums become BIGINT (issue 18: a balance past 2^31, orders of 1e9 fen):
 * MODIFY keeps the data, the CHECKs and the covering index (the generator wrote DROP and ADD);
 * request_key holds the hash of each idempotent request by its id.
 */
export class RobustInput1796548345310 implements MigrationInterface {
  name = 'RobustInput1796548345310';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`request_key\` (\`scope\` varchar(32) NOT NULL, \`request_key\` varchar(128) NOT NULL, \`request_hash\` varchar(64) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (\`scope\`, \`request_key\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`member_stat\` MODIFY \`spend\` bigint NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE \`points_account\` MODIFY \`balance\` bigint NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE \`points_account\` MODIFY \`growth\` bigint NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE \`points_account\` MODIFY \`pending\` bigint NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE \`points_account\` MODIFY \`owed\` bigint NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(`ALTER TABLE \`points_entry\` MODIFY \`points\` bigint NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE \`points_entry\` MODIFY \`growth\` bigint NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE \`points_entry\` MODIFY \`balance_after\` bigint NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE \`points_entry\` MODIFY \`growth_after\` bigint NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`points_lot\` MODIFY \`amount\` bigint NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`points_lot\` MODIFY \`remaining\` bigint NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE \`points_lot\` MODIFY \`growth\` bigint NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(`ALTER TABLE \`leaderboard_entry\` MODIFY \`score\` bigint NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE \`tier\` MODIFY \`growth_threshold\` bigint NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE \`tier\` MODIFY \`retention_growth\` bigint NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(`ALTER TABLE \`tier_history\` MODIFY \`growth\` bigint NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`tier_history\` MODIFY \`period_growth\` bigint NULL`);
    await queryRunner.query(`ALTER TABLE \`orders\` MODIFY \`amount\` bigint NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE \`orders\` MODIFY \`refunded_amount\` bigint NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(`ALTER TABLE \`orders\` MODIFY \`points\` bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE \`orders\` MODIFY \`growth\` bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `ALTER TABLE \`orders\` MODIFY \`points_reversed\` bigint NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE \`orders\` MODIFY \`growth_reversed\` bigint NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(`ALTER TABLE \`order_refund\` MODIFY \`amount\` bigint NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE \`order_refund\` MODIFY \`points_reversed\` bigint NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE \`order_refund\` MODIFY \`growth_reversed\` bigint NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE \`order_refund\` MODIFY \`points_owed\` bigint NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`order_refund\` MODIFY \`points_owed\` int NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`order_refund\` MODIFY \`growth_reversed\` int NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`order_refund\` MODIFY \`points_reversed\` int NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`order_refund\` MODIFY \`amount\` int NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE \`orders\` MODIFY \`growth_reversed\` int NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(
      `ALTER TABLE \`orders\` MODIFY \`points_reversed\` int NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(`ALTER TABLE \`orders\` MODIFY \`growth\` int NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE \`orders\` MODIFY \`points\` int NOT NULL DEFAULT 0`);
    await queryRunner.query(
      `ALTER TABLE \`orders\` MODIFY \`refunded_amount\` int NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(`ALTER TABLE \`orders\` MODIFY \`amount\` int NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`tier_history\` MODIFY \`period_growth\` int NULL`);
    await queryRunner.query(`ALTER TABLE \`tier_history\` MODIFY \`growth\` int NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE \`tier\` MODIFY \`retention_growth\` int NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(
      `ALTER TABLE \`tier\` MODIFY \`growth_threshold\` int NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(`ALTER TABLE \`leaderboard_entry\` MODIFY \`score\` int NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`points_lot\` MODIFY \`growth\` int NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE \`points_lot\` MODIFY \`remaining\` int NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`points_lot\` MODIFY \`amount\` int NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`points_entry\` MODIFY \`growth_after\` int NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`points_entry\` MODIFY \`balance_after\` int NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE \`points_entry\` MODIFY \`growth\` int NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(`ALTER TABLE \`points_entry\` MODIFY \`points\` int NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE \`points_account\` MODIFY \`owed\` int NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(
      `ALTER TABLE \`points_account\` MODIFY \`pending\` int NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(
      `ALTER TABLE \`points_account\` MODIFY \`growth\` int NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(
      `ALTER TABLE \`points_account\` MODIFY \`balance\` int NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(`ALTER TABLE \`member_stat\` MODIFY \`spend\` int NOT NULL DEFAULT 0`);
    await queryRunner.query(`DROP TABLE \`request_key\``);
  }
}
