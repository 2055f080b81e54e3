import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795519752139 implements MigrationInterface {
  name = 'Initial1795519752139';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "domain_event" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(64) NOT NULL, "payload" text NOT NULL, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "dispatched_at" datetime(3), "claimed_until" datetime(3), "attempts" integer NOT NULL DEFAULT (0), "last_error" varchar(500))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_domain_event_pending" ON "domain_event" ("dispatched_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "wechat_access_token" ("app_id" varchar(32) PRIMARY KEY NOT NULL, "token" varchar(600) NOT NULL, "expires_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "engagement_event" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "type" varchar(32) NOT NULL, "occurred_at" datetime(3) NOT NULL, "day" date NOT NULL, "properties" text, "source_ref" varchar(96))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_engagement_source" ON "engagement_event" ("type", "source_ref") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_engagement_day_type" ON "engagement_event" ("day", "type") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_engagement_member_type_time" ON "engagement_event" ("member_id", "type", "occurred_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "member" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "openid" varchar(64), "unionid" varchar(64), "card_no" varchar(20), "nickname" varchar(32), "phone" varchar(20), "birthday" date, "external_ref" varchar(64), "stage" varchar(16) NOT NULL, "status" varchar(16) NOT NULL, "source" varchar(16) NOT NULL DEFAULT ('wechat'), "tier_code" varchar(32), "merged_into_id" integer, "first_seen_at" datetime(3) NOT NULL, "joined_at" datetime(3), "closed_at" datetime(3), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_4ec74c39ff606987e53d7e60576" UNIQUE ("openid"), CONSTRAINT "UQ_a6fe08f75c6920d9cf38eea000d" UNIQUE ("card_no"), CONSTRAINT "UQ_d73619f5e63108e8d57e8e1859d" UNIQUE ("phone"), CONSTRAINT "UQ_7b97b0865b5d67f116af58a3b66" UNIQUE ("external_ref"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_member_unionid" ON "member" ("unionid") `);
    await queryRunner.query(`CREATE INDEX "idx_member_nickname" ON "member" ("nickname") `);
    await queryRunner.query(
      `CREATE TABLE "tier" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(32) NOT NULL, "name" varchar(32) NOT NULL, "rank" integer NOT NULL DEFAULT (0), "growth_threshold" integer NOT NULL DEFAULT (0), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_3434223fbdc9d4744482d2986df" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "points_account" ("member_id" integer PRIMARY KEY NOT NULL, "balance" integer NOT NULL DEFAULT (0), "growth" integer NOT NULL DEFAULT (0), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "version" integer NOT NULL DEFAULT (0), CONSTRAINT "chk_points_account_growth" CHECK (growth >= 0), CONSTRAINT "chk_points_account_balance" CHECK (balance >= 0))`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_log" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "staff_id" integer, "staff_username" varchar(32), "action" varchar(64) NOT NULL, "entity_type" varchar(32) NOT NULL, "entity_id" varchar(64), "before_json" text, "after_json" text, "at" datetime(6) NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_audit_entity" ON "audit_log" ("entity_type", "entity_id") `,
    );
    await queryRunner.query(`CREATE INDEX "idx_audit_staff_at" ON "audit_log" ("staff_id", "id") `);
    await queryRunner.query(
      `CREATE TABLE "staff" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "username" varchar(32) NOT NULL, "password_hash" varchar(255) NOT NULL, "display_name" varchar(32), "role" varchar(16) NOT NULL, "store_code" varchar(32), "active" boolean NOT NULL DEFAULT (1), "last_login_at" datetime(3), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_35aafb5ad218f3ff1ff70e281eb" UNIQUE ("username"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "store" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(32) NOT NULL, "name" varchar(64) NOT NULL, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_40c711bd10299557bc2bc497206" UNIQUE ("code"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "store"`);
    await queryRunner.query(`DROP TABLE "staff"`);
    await queryRunner.query(`DROP INDEX "idx_audit_staff_at"`);
    await queryRunner.query(`DROP INDEX "idx_audit_entity"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
    await queryRunner.query(`DROP TABLE "points_account"`);
    await queryRunner.query(`DROP TABLE "tier"`);
    await queryRunner.query(`DROP INDEX "idx_member_nickname"`);
    await queryRunner.query(`DROP INDEX "idx_member_unionid"`);
    await queryRunner.query(`DROP TABLE "member"`);
    await queryRunner.query(`DROP INDEX "idx_engagement_member_type_time"`);
    await queryRunner.query(`DROP INDEX "idx_engagement_day_type"`);
    await queryRunner.query(`DROP INDEX "uq_engagement_source"`);
    await queryRunner.query(`DROP TABLE "engagement_event"`);
    await queryRunner.query(`DROP TABLE "wechat_access_token"`);
    await queryRunner.query(`DROP INDEX "idx_domain_event_pending"`);
    await queryRunner.query(`DROP TABLE "domain_event"`);
  }
}
