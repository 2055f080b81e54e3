import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DataProtection1796547816261 implements MigrationInterface {
  name = 'DataProtection1796547816261';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "temporary_integration_key" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "key_id" varchar(32) NOT NULL, "name" varchar(64) NOT NULL, "secret_enc" varchar(255) NOT NULL, "active" boolean NOT NULL DEFAULT (1), "created_by" integer, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "secret_hint" varchar(8), "previous_secret_enc" varchar(255), "previous_valid_until" datetime(3), "rotated_at" datetime(3), "last_used_at" datetime(3), "revoked_at" datetime(3), CONSTRAINT "UQ_6bd8d07f035112d12375fde3f7e" UNIQUE ("key_id"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_integration_key"("id", "key_id", "name", "secret_enc", "active", "created_by", "created_at") SELECT "id", "key_id", "name", "secret_enc", "active", "created_by", "created_at" FROM "integration_key"`,
    );
    await queryRunner.query(`DROP TABLE "integration_key"`);
    await queryRunner.query(`ALTER TABLE "temporary_integration_key" RENAME TO "integration_key"`);
    await queryRunner.query(`DROP INDEX "idx_coupon_member_status"`);
    await queryRunner.query(`DROP INDEX "idx_coupon_status_expiry"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_coupon" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "template_id" integer NOT NULL, "member_id" integer NOT NULL, "code" varchar(32) NOT NULL, "status" varchar(12) NOT NULL, "valid_from" datetime(3) NOT NULL, "valid_to" datetime(3) NOT NULL, "source" varchar(12) NOT NULL, "claimed_at" datetime(3) NOT NULL, "used_at" datetime(3), "used_store_code" varchar(32), "used_order_no" varchar(64), "used_by_staff" integer, "expiry_notice_sent" boolean NOT NULL DEFAULT (0), "source_ref" varchar(64), CONSTRAINT "UQ_62d3c5b0ce63a82c48e86d904bc" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_coupon"("id", "template_id", "member_id", "code", "status", "valid_from", "valid_to", "source", "claimed_at", "used_at", "used_store_code", "used_order_no", "used_by_staff", "expiry_notice_sent") SELECT "id", "template_id", "member_id", "code", "status", "valid_from", "valid_to", "source", "claimed_at", "used_at", "used_store_code", "used_order_no", "used_by_staff", "expiry_notice_sent" FROM "coupon"`,
    );
    await queryRunner.query(`DROP TABLE "coupon"`);
    await queryRunner.query(`ALTER TABLE "temporary_coupon" RENAME TO "coupon"`);
    await queryRunner.query(
      `CREATE INDEX "idx_coupon_member_status" ON "coupon" ("member_id", "status", "valid_to") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_coupon_status_expiry" ON "coupon" ("status", "valid_to") `,
    );
    await queryRunner.query(`DROP INDEX "idx_mall_redemption_member"`);
    await queryRunner.query(`DROP INDEX "idx_mall_redemption_payment"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_mall_redemption" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "item_id" integer NOT NULL, "request_key" varchar(96) NOT NULL, "quantity" integer NOT NULL, "points_spent" integer NOT NULL, "cash_due" integer NOT NULL, "status" varchar(20) NOT NULL, "pay_before" datetime(3), "payment_ref" varchar(64), "address" text, "tracking_no" varchar(64), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "cash_refund_no" varchar(64), "cash_refunded_at" datetime(3), CONSTRAINT "UQ_4cfe8ef54ee5aca9225ba3b76b8" UNIQUE ("request_key"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_mall_redemption"("id", "member_id", "item_id", "request_key", "quantity", "points_spent", "cash_due", "status", "pay_before", "payment_ref", "address", "tracking_no", "created_at", "updated_at") SELECT "id", "member_id", "item_id", "request_key", "quantity", "points_spent", "cash_due", "status", "pay_before", "payment_ref", "address", "tracking_no", "created_at", "updated_at" FROM "mall_redemption"`,
    );
    await queryRunner.query(`DROP TABLE "mall_redemption"`);
    await queryRunner.query(`ALTER TABLE "temporary_mall_redemption" RENAME TO "mall_redemption"`);
    await queryRunner.query(
      `CREATE INDEX "idx_mall_redemption_member" ON "mall_redemption" ("member_id", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_mall_redemption_payment" ON "mall_redemption" ("status", "pay_before") `,
    );
    await queryRunner.query(`CREATE INDEX "idx_coupon_source_ref" ON "coupon" ("source_ref") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_coupon_source_ref"`);
    await queryRunner.query(`DROP INDEX "idx_mall_redemption_payment"`);
    await queryRunner.query(`DROP INDEX "idx_mall_redemption_member"`);
    await queryRunner.query(`ALTER TABLE "mall_redemption" RENAME TO "temporary_mall_redemption"`);
    await queryRunner.query(
      `CREATE TABLE "mall_redemption" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "item_id" integer NOT NULL, "request_key" varchar(96) NOT NULL, "quantity" integer NOT NULL, "points_spent" integer NOT NULL, "cash_due" integer NOT NULL, "status" varchar(20) NOT NULL, "pay_before" datetime(3), "payment_ref" varchar(64), "address" text, "tracking_no" varchar(64), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_4cfe8ef54ee5aca9225ba3b76b8" UNIQUE ("request_key"))`,
    );
    await queryRunner.query(
      `INSERT INTO "mall_redemption"("id", "member_id", "item_id", "request_key", "quantity", "points_spent", "cash_due", "status", "pay_before", "payment_ref", "address", "tracking_no", "created_at", "updated_at") SELECT "id", "member_id", "item_id", "request_key", "quantity", "points_spent", "cash_due", "status", "pay_before", "payment_ref", "address", "tracking_no", "created_at", "updated_at" FROM "temporary_mall_redemption"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_mall_redemption"`);
    await queryRunner.query(
      `CREATE INDEX "idx_mall_redemption_payment" ON "mall_redemption" ("status", "pay_before") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_mall_redemption_member" ON "mall_redemption" ("member_id", "id") `,
    );
    await queryRunner.query(`DROP INDEX "idx_coupon_status_expiry"`);
    await queryRunner.query(`DROP INDEX "idx_coupon_member_status"`);
    await queryRunner.query(`ALTER TABLE "coupon" RENAME TO "temporary_coupon"`);
    await queryRunner.query(
      `CREATE TABLE "coupon" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "template_id" integer NOT NULL, "member_id" integer NOT NULL, "code" varchar(32) NOT NULL, "status" varchar(12) NOT NULL, "valid_from" datetime(3) NOT NULL, "valid_to" datetime(3) NOT NULL, "source" varchar(12) NOT NULL, "claimed_at" datetime(3) NOT NULL, "used_at" datetime(3), "used_store_code" varchar(32), "used_order_no" varchar(64), "used_by_staff" integer, "expiry_notice_sent" boolean NOT NULL DEFAULT (0), CONSTRAINT "UQ_62d3c5b0ce63a82c48e86d904bc" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `INSERT INTO "coupon"("id", "template_id", "member_id", "code", "status", "valid_from", "valid_to", "source", "claimed_at", "used_at", "used_store_code", "used_order_no", "used_by_staff", "expiry_notice_sent") SELECT "id", "template_id", "member_id", "code", "status", "valid_from", "valid_to", "source", "claimed_at", "used_at", "used_store_code", "used_order_no", "used_by_staff", "expiry_notice_sent" FROM "temporary_coupon"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_coupon"`);
    await queryRunner.query(
      `CREATE INDEX "idx_coupon_status_expiry" ON "coupon" ("status", "valid_to") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_coupon_member_status" ON "coupon" ("member_id", "status", "valid_to") `,
    );
    await queryRunner.query(`ALTER TABLE "integration_key" RENAME TO "temporary_integration_key"`);
    await queryRunner.query(
      `CREATE TABLE "integration_key" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "key_id" varchar(32) NOT NULL, "name" varchar(64) NOT NULL, "secret_enc" varchar(255) NOT NULL, "active" boolean NOT NULL DEFAULT (1), "created_by" integer, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_6bd8d07f035112d12375fde3f7e" UNIQUE ("key_id"))`,
    );
    await queryRunner.query(
      `INSERT INTO "integration_key"("id", "key_id", "name", "secret_enc", "active", "created_by", "created_at") SELECT "id", "key_id", "name", "secret_enc", "active", "created_by", "created_at" FROM "temporary_integration_key"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_integration_key"`);
  }
}
