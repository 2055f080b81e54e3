import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Mall1795560575403 implements MigrationInterface {
  name = 'Mall1795560575403';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "mall_item" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(60) NOT NULL, "kind" varchar(12) NOT NULL, "coupon_template_id" integer, "points_price" integer NOT NULL, "cash_price" integer NOT NULL DEFAULT (0), "stock" integer NOT NULL, "per_member_limit" integer NOT NULL DEFAULT (1), "available_from" datetime(3), "available_to" datetime(3), "tiers" text NOT NULL, "member_day_only" boolean NOT NULL DEFAULT (0), "image_url" varchar(500), "description" varchar(1000) NOT NULL DEFAULT (''), "active" boolean NOT NULL DEFAULT (1), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "chk_mall_item_stock" CHECK (stock >= 0))`,
    );
    await queryRunner.query(
      `CREATE TABLE "mall_redemption" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "item_id" integer NOT NULL, "request_key" varchar(96) NOT NULL, "quantity" integer NOT NULL, "points_spent" integer NOT NULL, "cash_due" integer NOT NULL, "status" varchar(20) NOT NULL, "pay_before" datetime(3), "payment_ref" varchar(64), "address" text, "tracking_no" varchar(64), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_4cfe8ef54ee5aca9225ba3b76b8" UNIQUE ("request_key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_mall_redemption_payment" ON "mall_redemption" ("status", "pay_before") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_mall_redemption_member" ON "mall_redemption" ("member_id", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "mall_member_count" ("member_id" integer NOT NULL, "item_id" integer NOT NULL, "n" integer NOT NULL DEFAULT (0), PRIMARY KEY ("member_id", "item_id"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "mall_member_count"`);
    await queryRunner.query(`DROP INDEX "idx_mall_redemption_member"`);
    await queryRunner.query(`DROP INDEX "idx_mall_redemption_payment"`);
    await queryRunner.query(`DROP TABLE "mall_redemption"`);
    await queryRunner.query(`DROP TABLE "mall_item"`);
  }
}
