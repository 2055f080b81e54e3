import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Issue17ConsoleCatalogueMembership1796543690970 implements MigrationInterface {
  name = 'Issue17ConsoleCatalogueMembership1796543690970';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "mall_voucher" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(32) NOT NULL, "redemption_id" integer NOT NULL, "member_id" integer NOT NULL, "item_id" integer NOT NULL, "status" varchar(12) NOT NULL, "valid_to" datetime(3) NOT NULL, "used_at" datetime(3), "used_store_code" varchar(32), "used_by_staff" integer, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_d515d422927ee5ba57838b910ee" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_mall_voucher_member" ON "mall_voucher" ("member_id", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_mall_voucher_redemption" ON "mall_voucher" ("redemption_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "member_day_participation" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_day_id" integer NOT NULL, "day" date NOT NULL, "member_id" integer NOT NULL, "via" varchar(16) NOT NULL, "first_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_member_day_participation" ON "member_day_participation" ("member_day_id", "day", "member_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "temporary_store" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(32) NOT NULL, "name" varchar(64) NOT NULL, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "address" varchar(128), "active" boolean NOT NULL DEFAULT (1), CONSTRAINT "UQ_40c711bd10299557bc2bc497206" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_store"("id", "code", "name", "created_at") SELECT "id", "code", "name", "created_at" FROM "store"`,
    );
    await queryRunner.query(`DROP TABLE "store"`);
    await queryRunner.query(`ALTER TABLE "temporary_store" RENAME TO "store"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_coupon_template" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(40) NOT NULL, "kind" varchar(12) NOT NULL, "value" integer NOT NULL DEFAULT (0), "threshold" integer NOT NULL DEFAULT (0), "cap" integer, "gift_name" varchar(40), "validity_kind" varchar(8) NOT NULL, "valid_from" datetime(3), "valid_to" datetime(3), "valid_days" integer, "total_quantity" integer, "issued" integer NOT NULL DEFAULT (0), "per_member_limit" integer NOT NULL DEFAULT (1), "audience_tiers" text NOT NULL, "audience_stages" text NOT NULL, "channels" text NOT NULL, "active" boolean NOT NULL DEFAULT (1), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "description" varchar(200) NOT NULL DEFAULT (''), "store_codes" text, CONSTRAINT "chk_coupon_template_issued" CHECK ((issued >= 0 AND (total_quantity IS NULL OR issued <= total_quantity))))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_coupon_template"("id", "name", "kind", "value", "threshold", "cap", "gift_name", "validity_kind", "valid_from", "valid_to", "valid_days", "total_quantity", "issued", "per_member_limit", "audience_tiers", "audience_stages", "channels", "active", "created_at") SELECT "id", "name", "kind", "value", "threshold", "cap", "gift_name", "validity_kind", "valid_from", "valid_to", "valid_days", "total_quantity", "issued", "per_member_limit", "audience_tiers", "audience_stages", "channels", "active", "created_at" FROM "coupon_template"`,
    );
    await queryRunner.query(`DROP TABLE "coupon_template"`);
    await queryRunner.query(`ALTER TABLE "temporary_coupon_template" RENAME TO "coupon_template"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_mall_item" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(60) NOT NULL, "kind" varchar(12) NOT NULL, "coupon_template_id" integer, "points_price" integer NOT NULL, "cash_price" integer NOT NULL DEFAULT (0), "stock" integer NOT NULL, "per_member_limit" integer NOT NULL DEFAULT (1), "available_from" datetime(3), "available_to" datetime(3), "tiers" text NOT NULL, "member_day_only" boolean NOT NULL DEFAULT (0), "image_url" varchar(500), "description" varchar(1000) NOT NULL DEFAULT (''), "active" boolean NOT NULL DEFAULT (1), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "store_codes" text, "voucher_days" integer NOT NULL DEFAULT (30), CONSTRAINT "chk_mall_item_stock" CHECK ((stock >= 0)))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_mall_item"("id", "name", "kind", "coupon_template_id", "points_price", "cash_price", "stock", "per_member_limit", "available_from", "available_to", "tiers", "member_day_only", "image_url", "description", "active", "created_at") SELECT "id", "name", "kind", "coupon_template_id", "points_price", "cash_price", "stock", "per_member_limit", "available_from", "available_to", "tiers", "member_day_only", "image_url", "description", "active", "created_at" FROM "mall_item"`,
    );
    await queryRunner.query(`DROP TABLE "mall_item"`);
    await queryRunner.query(`ALTER TABLE "temporary_mall_item" RENAME TO "mall_item"`);
    await queryRunner.query(`DROP INDEX "idx_member_nickname"`);
    await queryRunner.query(`DROP INDEX "idx_member_unionid"`);
    await queryRunner.query(`DROP INDEX "idx_member_tier_expiry"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_member" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "openid" varchar(64), "unionid" varchar(64), "card_no" varchar(20), "nickname" varchar(32), "phone" varchar(20), "birthday" date, "external_ref" varchar(64), "stage" varchar(16) NOT NULL, "status" varchar(16) NOT NULL, "source" varchar(16) NOT NULL DEFAULT ('wechat'), "tier_code" varchar(32), "merged_into_id" integer, "first_seen_at" datetime(3) NOT NULL, "joined_at" datetime(3), "closed_at" datetime(3), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "tier_since" datetime(3), "tier_expires_at" datetime(3), "tier_notice_for" datetime(3), "earning_blocked" boolean NOT NULL DEFAULT (0), "avatar" text, "home_store_code" varchar(32), CONSTRAINT "UQ_7b97b0865b5d67f116af58a3b66" UNIQUE ("external_ref"), CONSTRAINT "UQ_d73619f5e63108e8d57e8e1859d" UNIQUE ("phone"), CONSTRAINT "UQ_a6fe08f75c6920d9cf38eea000d" UNIQUE ("card_no"), CONSTRAINT "UQ_4ec74c39ff606987e53d7e60576" UNIQUE ("openid"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_member"("id", "openid", "unionid", "card_no", "nickname", "phone", "birthday", "external_ref", "stage", "status", "source", "tier_code", "merged_into_id", "first_seen_at", "joined_at", "closed_at", "created_at", "updated_at", "tier_since", "tier_expires_at", "tier_notice_for", "earning_blocked") SELECT "id", "openid", "unionid", "card_no", "nickname", "phone", "birthday", "external_ref", "stage", "status", "source", "tier_code", "merged_into_id", "first_seen_at", "joined_at", "closed_at", "created_at", "updated_at", "tier_since", "tier_expires_at", "tier_notice_for", "earning_blocked" FROM "member"`,
    );
    await queryRunner.query(`DROP TABLE "member"`);
    await queryRunner.query(`ALTER TABLE "temporary_member" RENAME TO "member"`);
    await queryRunner.query(`CREATE INDEX "idx_member_nickname" ON "member" ("nickname") `);
    await queryRunner.query(`CREATE INDEX "idx_member_unionid" ON "member" ("unionid") `);
    await queryRunner.query(
      `CREATE INDEX "idx_member_tier_expiry" ON "member" ("tier_expires_at") `,
    );
    await queryRunner.query(`CREATE INDEX "idx_member_joined_at" ON "member" ("joined_at") `);
    await queryRunner.query(
      `CREATE INDEX "idx_member_home_store_id" ON "member" ("home_store_code", "id") `,
    );
    await queryRunner.query(`CREATE INDEX "idx_member_tier_id" ON "member" ("tier_code", "id") `);
    await queryRunner.query(`CREATE INDEX "idx_member_stage_id" ON "member" ("stage", "id") `);
    await queryRunner.query(`CREATE INDEX "idx_member_status_id" ON "member" ("status", "id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_member_status_id"`);
    await queryRunner.query(`DROP INDEX "idx_member_stage_id"`);
    await queryRunner.query(`DROP INDEX "idx_member_tier_id"`);
    await queryRunner.query(`DROP INDEX "idx_member_home_store_id"`);
    await queryRunner.query(`DROP INDEX "idx_member_joined_at"`);
    await queryRunner.query(`DROP INDEX "idx_member_tier_expiry"`);
    await queryRunner.query(`DROP INDEX "idx_member_unionid"`);
    await queryRunner.query(`DROP INDEX "idx_member_nickname"`);
    await queryRunner.query(`ALTER TABLE "member" RENAME TO "temporary_member"`);
    await queryRunner.query(
      `CREATE TABLE "member" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "openid" varchar(64), "unionid" varchar(64), "card_no" varchar(20), "nickname" varchar(32), "phone" varchar(20), "birthday" date, "external_ref" varchar(64), "stage" varchar(16) NOT NULL, "status" varchar(16) NOT NULL, "source" varchar(16) NOT NULL DEFAULT ('wechat'), "tier_code" varchar(32), "merged_into_id" integer, "first_seen_at" datetime(3) NOT NULL, "joined_at" datetime(3), "closed_at" datetime(3), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "tier_since" datetime(3), "tier_expires_at" datetime(3), "tier_notice_for" datetime(3), "earning_blocked" boolean NOT NULL DEFAULT (0), CONSTRAINT "UQ_7b97b0865b5d67f116af58a3b66" UNIQUE ("external_ref"), CONSTRAINT "UQ_d73619f5e63108e8d57e8e1859d" UNIQUE ("phone"), CONSTRAINT "UQ_a6fe08f75c6920d9cf38eea000d" UNIQUE ("card_no"), CONSTRAINT "UQ_4ec74c39ff606987e53d7e60576" UNIQUE ("openid"))`,
    );
    await queryRunner.query(
      `INSERT INTO "member"("id", "openid", "unionid", "card_no", "nickname", "phone", "birthday", "external_ref", "stage", "status", "source", "tier_code", "merged_into_id", "first_seen_at", "joined_at", "closed_at", "created_at", "updated_at", "tier_since", "tier_expires_at", "tier_notice_for", "earning_blocked") SELECT "id", "openid", "unionid", "card_no", "nickname", "phone", "birthday", "external_ref", "stage", "status", "source", "tier_code", "merged_into_id", "first_seen_at", "joined_at", "closed_at", "created_at", "updated_at", "tier_since", "tier_expires_at", "tier_notice_for", "earning_blocked" FROM "temporary_member"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_member"`);
    await queryRunner.query(
      `CREATE INDEX "idx_member_tier_expiry" ON "member" ("tier_expires_at") `,
    );
    await queryRunner.query(`CREATE INDEX "idx_member_unionid" ON "member" ("unionid") `);
    await queryRunner.query(`CREATE INDEX "idx_member_nickname" ON "member" ("nickname") `);
    await queryRunner.query(`ALTER TABLE "mall_item" RENAME TO "temporary_mall_item"`);
    await queryRunner.query(
      `CREATE TABLE "mall_item" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(60) NOT NULL, "kind" varchar(12) NOT NULL, "coupon_template_id" integer, "points_price" integer NOT NULL, "cash_price" integer NOT NULL DEFAULT (0), "stock" integer NOT NULL, "per_member_limit" integer NOT NULL DEFAULT (1), "available_from" datetime(3), "available_to" datetime(3), "tiers" text NOT NULL, "member_day_only" boolean NOT NULL DEFAULT (0), "image_url" varchar(500), "description" varchar(1000) NOT NULL DEFAULT (''), "active" boolean NOT NULL DEFAULT (1), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "chk_mall_item_stock" CHECK ((stock >= 0)))`,
    );
    await queryRunner.query(
      `INSERT INTO "mall_item"("id", "name", "kind", "coupon_template_id", "points_price", "cash_price", "stock", "per_member_limit", "available_from", "available_to", "tiers", "member_day_only", "image_url", "description", "active", "created_at") SELECT "id", "name", "kind", "coupon_template_id", "points_price", "cash_price", "stock", "per_member_limit", "available_from", "available_to", "tiers", "member_day_only", "image_url", "description", "active", "created_at" FROM "temporary_mall_item"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_mall_item"`);
    await queryRunner.query(`ALTER TABLE "coupon_template" RENAME TO "temporary_coupon_template"`);
    await queryRunner.query(
      `CREATE TABLE "coupon_template" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(40) NOT NULL, "kind" varchar(12) NOT NULL, "value" integer NOT NULL DEFAULT (0), "threshold" integer NOT NULL DEFAULT (0), "cap" integer, "gift_name" varchar(40), "validity_kind" varchar(8) NOT NULL, "valid_from" datetime(3), "valid_to" datetime(3), "valid_days" integer, "total_quantity" integer, "issued" integer NOT NULL DEFAULT (0), "per_member_limit" integer NOT NULL DEFAULT (1), "audience_tiers" text NOT NULL, "audience_stages" text NOT NULL, "channels" text NOT NULL, "active" boolean NOT NULL DEFAULT (1), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "chk_coupon_template_issued" CHECK ((issued >= 0 AND (total_quantity IS NULL OR issued <= total_quantity))))`,
    );
    await queryRunner.query(
      `INSERT INTO "coupon_template"("id", "name", "kind", "value", "threshold", "cap", "gift_name", "validity_kind", "valid_from", "valid_to", "valid_days", "total_quantity", "issued", "per_member_limit", "audience_tiers", "audience_stages", "channels", "active", "created_at") SELECT "id", "name", "kind", "value", "threshold", "cap", "gift_name", "validity_kind", "valid_from", "valid_to", "valid_days", "total_quantity", "issued", "per_member_limit", "audience_tiers", "audience_stages", "channels", "active", "created_at" FROM "temporary_coupon_template"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_coupon_template"`);
    await queryRunner.query(`ALTER TABLE "store" RENAME TO "temporary_store"`);
    await queryRunner.query(
      `CREATE TABLE "store" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(32) NOT NULL, "name" varchar(64) NOT NULL, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_40c711bd10299557bc2bc497206" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `INSERT INTO "store"("id", "code", "name", "created_at") SELECT "id", "code", "name", "created_at" FROM "temporary_store"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_store"`);
    await queryRunner.query(`DROP INDEX "uq_member_day_participation"`);
    await queryRunner.query(`DROP TABLE "member_day_participation"`);
    await queryRunner.query(`DROP INDEX "idx_mall_voucher_redemption"`);
    await queryRunner.query(`DROP INDEX "idx_mall_voucher_member"`);
    await queryRunner.query(`DROP TABLE "mall_voucher"`);
  }
}
