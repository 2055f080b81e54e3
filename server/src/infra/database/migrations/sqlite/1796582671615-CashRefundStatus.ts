import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CashRefundStatus1796582671615 implements MigrationInterface {
  name = 'CashRefundStatus1796582671615';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_mall_redemption_payment"`);
    await queryRunner.query(`DROP INDEX "idx_mall_redemption_member"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_mall_redemption" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "item_id" integer NOT NULL, "request_key" varchar(96) NOT NULL, "quantity" integer NOT NULL, "points_spent" integer NOT NULL, "cash_due" integer NOT NULL, "status" varchar(20) NOT NULL, "pay_before" datetime(3), "payment_ref" varchar(64), "address" text, "tracking_no" varchar(64), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "cash_refund_no" varchar(64), "cash_refunded_at" datetime(3), "cash_refund_status" varchar(16), CONSTRAINT "UQ_4cfe8ef54ee5aca9225ba3b76b8" UNIQUE ("request_key"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_mall_redemption"("id", "member_id", "item_id", "request_key", "quantity", "points_spent", "cash_due", "status", "pay_before", "payment_ref", "address", "tracking_no", "created_at", "updated_at", "cash_refund_no", "cash_refunded_at") SELECT "id", "member_id", "item_id", "request_key", "quantity", "points_spent", "cash_due", "status", "pay_before", "payment_ref", "address", "tracking_no", "created_at", "updated_at", "cash_refund_no", "cash_refunded_at" FROM "mall_redemption"`,
    );
    await queryRunner.query(`DROP TABLE "mall_redemption"`);
    await queryRunner.query(`ALTER TABLE "temporary_mall_redemption" RENAME TO "mall_redemption"`);
    await queryRunner.query(
      `CREATE INDEX "idx_mall_redemption_payment" ON "mall_redemption" ("status", "pay_before") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_mall_redemption_member" ON "mall_redemption" ("member_id", "id") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_mall_redemption_member"`);
    await queryRunner.query(`DROP INDEX "idx_mall_redemption_payment"`);
    await queryRunner.query(`ALTER TABLE "mall_redemption" RENAME TO "temporary_mall_redemption"`);
    await queryRunner.query(
      `CREATE TABLE "mall_redemption" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "item_id" integer NOT NULL, "request_key" varchar(96) NOT NULL, "quantity" integer NOT NULL, "points_spent" integer NOT NULL, "cash_due" integer NOT NULL, "status" varchar(20) NOT NULL, "pay_before" datetime(3), "payment_ref" varchar(64), "address" text, "tracking_no" varchar(64), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "cash_refund_no" varchar(64), "cash_refunded_at" datetime(3), CONSTRAINT "UQ_4cfe8ef54ee5aca9225ba3b76b8" UNIQUE ("request_key"))`,
    );
    await queryRunner.query(
      `INSERT INTO "mall_redemption"("id", "member_id", "item_id", "request_key", "quantity", "points_spent", "cash_due", "status", "pay_before", "payment_ref", "address", "tracking_no", "created_at", "updated_at", "cash_refund_no", "cash_refunded_at") SELECT "id", "member_id", "item_id", "request_key", "quantity", "points_spent", "cash_due", "status", "pay_before", "payment_ref", "address", "tracking_no", "created_at", "updated_at", "cash_refund_no", "cash_refunded_at" FROM "temporary_mall_redemption"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_mall_redemption"`);
    await queryRunner.query(
      `CREATE INDEX "idx_mall_redemption_member" ON "mall_redemption" ("member_id", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_mall_redemption_payment" ON "mall_redemption" ("status", "pay_before") `,
    );
  }
}
