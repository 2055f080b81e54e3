import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Coupons1795560334124 implements MigrationInterface {
  name = 'Coupons1795560334124';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "coupon_template" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(40) NOT NULL, "kind" varchar(12) NOT NULL, "value" integer NOT NULL DEFAULT (0), "threshold" integer NOT NULL DEFAULT (0), "cap" integer, "gift_name" varchar(40), "validity_kind" varchar(8) NOT NULL, "valid_from" datetime(3), "valid_to" datetime(3), "valid_days" integer, "total_quantity" integer, "issued" integer NOT NULL DEFAULT (0), "per_member_limit" integer NOT NULL DEFAULT (1), "audience_tiers" text NOT NULL, "audience_stages" text NOT NULL, "channels" text NOT NULL, "active" boolean NOT NULL DEFAULT (1), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "chk_coupon_template_issued" CHECK (issued >= 0 AND (total_quantity IS NULL OR issued <= total_quantity)))`,
    );
    await queryRunner.query(
      `CREATE TABLE "coupon" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "template_id" integer NOT NULL, "member_id" integer NOT NULL, "code" varchar(32) NOT NULL, "status" varchar(12) NOT NULL, "valid_from" datetime(3) NOT NULL, "valid_to" datetime(3) NOT NULL, "source" varchar(12) NOT NULL, "claimed_at" datetime(3) NOT NULL, "used_at" datetime(3), "used_store_code" varchar(32), "used_order_no" varchar(64), "used_by_staff" integer, "expiry_notice_sent" boolean NOT NULL DEFAULT (0), CONSTRAINT "UQ_62d3c5b0ce63a82c48e86d904bc" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_coupon_status_expiry" ON "coupon" ("status", "valid_to") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_coupon_member_status" ON "coupon" ("member_id", "status", "valid_to") `,
    );
    await queryRunner.query(
      `CREATE TABLE "coupon_member_count" ("member_id" integer NOT NULL, "template_id" integer NOT NULL, "n" integer NOT NULL DEFAULT (0), PRIMARY KEY ("member_id", "template_id"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "coupon_member_count"`);
    await queryRunner.query(`DROP INDEX "idx_coupon_member_status"`);
    await queryRunner.query(`DROP INDEX "idx_coupon_status_expiry"`);
    await queryRunner.query(`DROP TABLE "coupon"`);
    await queryRunner.query(`DROP TABLE "coupon_template"`);
  }
}
