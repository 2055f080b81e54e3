import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CatalogueVouchers1796538481746 implements MigrationInterface {
  name = 'CatalogueVouchers1796538481746';

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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
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
    await queryRunner.query(`DROP INDEX "idx_mall_voucher_redemption"`);
    await queryRunner.query(`DROP INDEX "idx_mall_voucher_member"`);
    await queryRunner.query(`DROP TABLE "mall_voucher"`);
  }
}
