import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Messaging1796192141100 implements MigrationInterface {
  name = 'Messaging1796192141100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "message_template" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(32) NOT NULL, "name" varchar(40) NOT NULL, "channel" varchar(16) NOT NULL, "purpose" varchar(16) NOT NULL, "wechat_template_id" varchar(64), "fields" text NOT NULL, "sms_text" varchar(300), "page" varchar(120), "active" boolean NOT NULL DEFAULT (1), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_768307c76ffdff02a8a4a2562d5" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "subscription_quota" ("member_id" integer NOT NULL, "template_id" varchar(64) NOT NULL, "remaining" integer NOT NULL DEFAULT (0), "banned" boolean NOT NULL DEFAULT (0), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "chk_subscription_quota_remaining" CHECK (remaining >= 0), PRIMARY KEY ("member_id", "template_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "message_preference" ("member_id" integer PRIMARY KEY NOT NULL, "reminders" boolean NOT NULL DEFAULT (1), "marketing_sms" boolean NOT NULL DEFAULT (0), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE TABLE "oa_follower" ("unionid" varchar(64) PRIMARY KEY NOT NULL, "oa_openid" varchar(64) NOT NULL, "following" boolean NOT NULL DEFAULT (1), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE TABLE "message" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "template_id" integer NOT NULL, "fallback" text NOT NULL, "channel" varchar(16) NOT NULL, "purpose" varchar(16) NOT NULL, "automation_id" integer, "dedupe_key" varchar(128) NOT NULL, "status" varchar(12) NOT NULL, "reason" varchar(64), "variables" text, "data" text, "track_token" varchar(24) NOT NULL, "due_at" datetime(3) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "claimed_until" datetime(3), "msgid" varchar(32), "sent_at" datetime(3), "opened_at" datetime(3), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_7eb8a1fd555e17ae2c87240f2df" UNIQUE ("dedupe_key"), CONSTRAINT "UQ_8c4b903484a94192f6ea648c318" UNIQUE ("track_token"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_message_automation" ON "message" ("automation_id", "status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_message_member_sent" ON "message" ("member_id", "sent_at") `,
    );
    await queryRunner.query(`CREATE INDEX "idx_message_due" ON "message" ("status", "due_at") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_message_due"`);
    await queryRunner.query(`DROP INDEX "idx_message_member_sent"`);
    await queryRunner.query(`DROP INDEX "idx_message_automation"`);
    await queryRunner.query(`DROP TABLE "message"`);
    await queryRunner.query(`DROP TABLE "oa_follower"`);
    await queryRunner.query(`DROP TABLE "message_preference"`);
    await queryRunner.query(`DROP TABLE "subscription_quota"`);
    await queryRunner.query(`DROP TABLE "message_template"`);
  }
}
