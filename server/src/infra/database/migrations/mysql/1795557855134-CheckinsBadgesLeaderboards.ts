import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CheckinsBadgesLeaderboards1795557855134 implements MigrationInterface {
  name = 'CheckinsBadgesLeaderboards1795557855134';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`badge\` (\`id\` int NOT NULL AUTO_INCREMENT, \`code\` varchar(32) NOT NULL, \`name\` varchar(32) NOT NULL, \`artwork_url\` varchar(500) NULL, \`description\` varchar(200) NOT NULL DEFAULT '', \`metric\` varchar(16) NOT NULL, \`thresholds\` text NOT NULL, \`reward_points\` int NOT NULL DEFAULT '0', \`active\` tinyint NOT NULL DEFAULT 1, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`IDX_361fe073170617a107e26bab75\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`member_badge\` (\`id\` int NOT NULL AUTO_INCREMENT, \`member_id\` int NOT NULL, \`badge_id\` int NOT NULL, \`level\` int NOT NULL, \`awarded_at\` datetime(3) NOT NULL, \`trigger_ref\` varchar(96) NOT NULL, INDEX \`idx_member_badge_trigger\` (\`member_id\`, \`trigger_ref\`), UNIQUE INDEX \`uq_member_badge\` (\`member_id\`, \`badge_id\`, \`level\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`member_stat\` (\`member_id\` int NOT NULL, \`checkins\` int NOT NULL DEFAULT '0', \`best_streak\` int NOT NULL DEFAULT '0', \`purchases\` int NOT NULL DEFAULT '0', \`spend\` int NOT NULL DEFAULT '0', \`redemptions\` int NOT NULL DEFAULT '0', \`coupons_used\` int NOT NULL DEFAULT '0', \`member_days\` int NOT NULL DEFAULT '0', \`tier_rank\` int NOT NULL DEFAULT '0', \`joined_at\` datetime(3) NULL, PRIMARY KEY (\`member_id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`member_stat_event\` (\`event_key\` varchar(128) NOT NULL, PRIMARY KEY (\`event_key\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`checkin\` (\`id\` int NOT NULL AUTO_INCREMENT, \`member_id\` int NOT NULL, \`day\` date NOT NULL, \`checked_at\` datetime(3) NOT NULL, \`kind\` varchar(8) NOT NULL, \`streak\` int NOT NULL, \`cycle_day\` int NOT NULL, \`points\` int NOT NULL, \`ip\` varchar(64) NULL, \`device_id\` varchar(64) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_checkin_device_day\` (\`device_id\`, \`day\`), INDEX \`idx_checkin_ip_time\` (\`ip\`, \`checked_at\`), INDEX \`idx_checkin_day\` (\`day\`), UNIQUE INDEX \`uq_checkin_member_day\` (\`member_id\`, \`day\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`checkin_member\` (\`member_id\` int NOT NULL, \`reminder\` tinyint NOT NULL DEFAULT 0, \`makeup_cards\` int NOT NULL DEFAULT '0', \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), PRIMARY KEY (\`member_id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`leaderboard_entry\` (\`board\` varchar(24) NOT NULL, \`period\` varchar(7) NOT NULL, \`member_id\` int NOT NULL, \`rank\` int NOT NULL, \`score\` int NOT NULL, \`computed_at\` datetime(3) NOT NULL, INDEX \`idx_leaderboard_rank\` (\`board\`, \`period\`, \`rank\`), PRIMARY KEY (\`board\`, \`period\`, \`member_id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`leaderboard_optout\` (\`member_id\` int NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (\`member_id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`member\` ADD \`earning_blocked\` tinyint NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(
      `CREATE INDEX \`idx_points_entry_created\` ON \`points_entry\` (\`created_at\`)`,
    );
    // TypeORM does not write CHECK constraints for MySQL.
    await queryRunner.query(
      `ALTER TABLE \`checkin_member\` ADD CONSTRAINT \`chk_checkin_member_cards\` CHECK (\`makeup_cards\` >= 0)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE \`checkin_member\` DROP CONSTRAINT \`chk_checkin_member_cards\``,
    );
    await queryRunner.query(`DROP INDEX \`idx_points_entry_created\` ON \`points_entry\``);
    await queryRunner.query(`ALTER TABLE \`member\` DROP COLUMN \`earning_blocked\``);
    await queryRunner.query(`DROP TABLE \`leaderboard_optout\``);
    await queryRunner.query(`DROP INDEX \`idx_leaderboard_rank\` ON \`leaderboard_entry\``);
    await queryRunner.query(`DROP TABLE \`leaderboard_entry\``);
    await queryRunner.query(`DROP TABLE \`checkin_member\``);
    await queryRunner.query(`DROP INDEX \`uq_checkin_member_day\` ON \`checkin\``);
    await queryRunner.query(`DROP INDEX \`idx_checkin_day\` ON \`checkin\``);
    await queryRunner.query(`DROP INDEX \`idx_checkin_ip_time\` ON \`checkin\``);
    await queryRunner.query(`DROP INDEX \`idx_checkin_device_day\` ON \`checkin\``);
    await queryRunner.query(`DROP TABLE \`checkin\``);
    await queryRunner.query(`DROP TABLE \`member_stat_event\``);
    await queryRunner.query(`DROP TABLE \`member_stat\``);
    await queryRunner.query(`DROP INDEX \`uq_member_badge\` ON \`member_badge\``);
    await queryRunner.query(`DROP INDEX \`idx_member_badge_trigger\` ON \`member_badge\``);
    await queryRunner.query(`DROP TABLE \`member_badge\``);
    await queryRunner.query(`DROP INDEX \`IDX_361fe073170617a107e26bab75\` ON \`badge\``);
    await queryRunner.query(`DROP TABLE \`badge\``);
  }
}
