import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CheckinsBadgesLeaderboards1795557855134 implements MigrationInterface {
  name = 'CheckinsBadgesLeaderboards1795557855134';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "badge" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(32) NOT NULL, "name" varchar(32) NOT NULL, "artwork_url" varchar(500), "description" varchar(200) NOT NULL DEFAULT (''), "metric" varchar(16) NOT NULL, "thresholds" text NOT NULL, "reward_points" integer NOT NULL DEFAULT (0), "active" boolean NOT NULL DEFAULT (1), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_361fe073170617a107e26bab750" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "member_badge" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "badge_id" integer NOT NULL, "level" integer NOT NULL, "awarded_at" datetime(3) NOT NULL, "trigger_ref" varchar(96) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_member_badge_trigger" ON "member_badge" ("member_id", "trigger_ref") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_member_badge" ON "member_badge" ("member_id", "badge_id", "level") `,
    );
    await queryRunner.query(
      `CREATE TABLE "member_stat" ("member_id" integer PRIMARY KEY NOT NULL, "checkins" integer NOT NULL DEFAULT (0), "best_streak" integer NOT NULL DEFAULT (0), "purchases" integer NOT NULL DEFAULT (0), "spend" integer NOT NULL DEFAULT (0), "redemptions" integer NOT NULL DEFAULT (0), "coupons_used" integer NOT NULL DEFAULT (0), "member_days" integer NOT NULL DEFAULT (0), "tier_rank" integer NOT NULL DEFAULT (0), "joined_at" datetime(3))`,
    );
    await queryRunner.query(
      `CREATE TABLE "member_stat_event" ("event_key" varchar(128) PRIMARY KEY NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "checkin" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "day" date NOT NULL, "checked_at" datetime(3) NOT NULL, "kind" varchar(8) NOT NULL, "streak" integer NOT NULL, "cycle_day" integer NOT NULL, "points" integer NOT NULL, "ip" varchar(64), "device_id" varchar(64), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_checkin_device_day" ON "checkin" ("device_id", "day") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_checkin_ip_time" ON "checkin" ("ip", "checked_at") `,
    );
    await queryRunner.query(`CREATE INDEX "idx_checkin_day" ON "checkin" ("day") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_checkin_member_day" ON "checkin" ("member_id", "day") `,
    );
    await queryRunner.query(
      `CREATE TABLE "checkin_member" ("member_id" integer PRIMARY KEY NOT NULL, "reminder" boolean NOT NULL DEFAULT (0), "makeup_cards" integer NOT NULL DEFAULT (0), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "chk_checkin_member_cards" CHECK (makeup_cards >= 0))`,
    );
    await queryRunner.query(
      `CREATE TABLE "leaderboard_entry" ("board" varchar(24) NOT NULL, "period" varchar(7) NOT NULL, "member_id" integer NOT NULL, "rank" integer NOT NULL, "score" integer NOT NULL, "computed_at" datetime(3) NOT NULL, PRIMARY KEY ("board", "period", "member_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_leaderboard_rank" ON "leaderboard_entry" ("board", "period", "rank") `,
    );
    await queryRunner.query(
      `CREATE TABLE "leaderboard_optout" ("member_id" integer PRIMARY KEY NOT NULL, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(`DROP INDEX "idx_member_tier_expiry"`);
    await queryRunner.query(`DROP INDEX "idx_member_unionid"`);
    await queryRunner.query(`DROP INDEX "idx_member_nickname"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_member" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "openid" varchar(64), "unionid" varchar(64), "card_no" varchar(20), "nickname" varchar(32), "phone" varchar(20), "birthday" date, "external_ref" varchar(64), "stage" varchar(16) NOT NULL, "status" varchar(16) NOT NULL, "source" varchar(16) NOT NULL DEFAULT ('wechat'), "tier_code" varchar(32), "merged_into_id" integer, "first_seen_at" datetime(3) NOT NULL, "joined_at" datetime(3), "closed_at" datetime(3), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "tier_since" datetime(3), "tier_expires_at" datetime(3), "tier_notice_for" datetime(3), "earning_blocked" boolean NOT NULL DEFAULT (0), CONSTRAINT "UQ_4ec74c39ff606987e53d7e60576" UNIQUE ("openid"), CONSTRAINT "UQ_a6fe08f75c6920d9cf38eea000d" UNIQUE ("card_no"), CONSTRAINT "UQ_d73619f5e63108e8d57e8e1859d" UNIQUE ("phone"), CONSTRAINT "UQ_7b97b0865b5d67f116af58a3b66" UNIQUE ("external_ref"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_member"("id", "openid", "unionid", "card_no", "nickname", "phone", "birthday", "external_ref", "stage", "status", "source", "tier_code", "merged_into_id", "first_seen_at", "joined_at", "closed_at", "created_at", "updated_at", "tier_since", "tier_expires_at", "tier_notice_for") SELECT "id", "openid", "unionid", "card_no", "nickname", "phone", "birthday", "external_ref", "stage", "status", "source", "tier_code", "merged_into_id", "first_seen_at", "joined_at", "closed_at", "created_at", "updated_at", "tier_since", "tier_expires_at", "tier_notice_for" FROM "member"`,
    );
    await queryRunner.query(`DROP TABLE "member"`);
    await queryRunner.query(`ALTER TABLE "temporary_member" RENAME TO "member"`);
    await queryRunner.query(
      `CREATE INDEX "idx_member_tier_expiry" ON "member" ("tier_expires_at") `,
    );
    await queryRunner.query(`CREATE INDEX "idx_member_unionid" ON "member" ("unionid") `);
    await queryRunner.query(`CREATE INDEX "idx_member_nickname" ON "member" ("nickname") `);
    await queryRunner.query(
      `CREATE INDEX "idx_points_entry_created" ON "points_entry" ("created_at") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_points_entry_created"`);
    await queryRunner.query(`DROP INDEX "idx_member_nickname"`);
    await queryRunner.query(`DROP INDEX "idx_member_unionid"`);
    await queryRunner.query(`DROP INDEX "idx_member_tier_expiry"`);
    await queryRunner.query(`ALTER TABLE "member" RENAME TO "temporary_member"`);
    await queryRunner.query(
      `CREATE TABLE "member" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "openid" varchar(64), "unionid" varchar(64), "card_no" varchar(20), "nickname" varchar(32), "phone" varchar(20), "birthday" date, "external_ref" varchar(64), "stage" varchar(16) NOT NULL, "status" varchar(16) NOT NULL, "source" varchar(16) NOT NULL DEFAULT ('wechat'), "tier_code" varchar(32), "merged_into_id" integer, "first_seen_at" datetime(3) NOT NULL, "joined_at" datetime(3), "closed_at" datetime(3), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "tier_since" datetime(3), "tier_expires_at" datetime(3), "tier_notice_for" datetime(3), CONSTRAINT "UQ_4ec74c39ff606987e53d7e60576" UNIQUE ("openid"), CONSTRAINT "UQ_a6fe08f75c6920d9cf38eea000d" UNIQUE ("card_no"), CONSTRAINT "UQ_d73619f5e63108e8d57e8e1859d" UNIQUE ("phone"), CONSTRAINT "UQ_7b97b0865b5d67f116af58a3b66" UNIQUE ("external_ref"))`,
    );
    await queryRunner.query(
      `INSERT INTO "member"("id", "openid", "unionid", "card_no", "nickname", "phone", "birthday", "external_ref", "stage", "status", "source", "tier_code", "merged_into_id", "first_seen_at", "joined_at", "closed_at", "created_at", "updated_at", "tier_since", "tier_expires_at", "tier_notice_for") SELECT "id", "openid", "unionid", "card_no", "nickname", "phone", "birthday", "external_ref", "stage", "status", "source", "tier_code", "merged_into_id", "first_seen_at", "joined_at", "closed_at", "created_at", "updated_at", "tier_since", "tier_expires_at", "tier_notice_for" FROM "temporary_member"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_member"`);
    await queryRunner.query(`CREATE INDEX "idx_member_nickname" ON "member" ("nickname") `);
    await queryRunner.query(`CREATE INDEX "idx_member_unionid" ON "member" ("unionid") `);
    await queryRunner.query(
      `CREATE INDEX "idx_member_tier_expiry" ON "member" ("tier_expires_at") `,
    );
    await queryRunner.query(`DROP TABLE "leaderboard_optout"`);
    await queryRunner.query(`DROP INDEX "idx_leaderboard_rank"`);
    await queryRunner.query(`DROP TABLE "leaderboard_entry"`);
    await queryRunner.query(`DROP TABLE "checkin_member"`);
    await queryRunner.query(`DROP INDEX "uq_checkin_member_day"`);
    await queryRunner.query(`DROP INDEX "idx_checkin_day"`);
    await queryRunner.query(`DROP INDEX "idx_checkin_ip_time"`);
    await queryRunner.query(`DROP INDEX "idx_checkin_device_day"`);
    await queryRunner.query(`DROP TABLE "checkin"`);
    await queryRunner.query(`DROP TABLE "member_stat_event"`);
    await queryRunner.query(`DROP TABLE "member_stat"`);
    await queryRunner.query(`DROP INDEX "uq_member_badge"`);
    await queryRunner.query(`DROP INDEX "idx_member_badge_trigger"`);
    await queryRunner.query(`DROP TABLE "member_badge"`);
    await queryRunner.query(`DROP TABLE "badge"`);
  }
}
