import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RobustInput1796548345310 implements MigrationInterface {
  name = 'RobustInput1796548345310';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "temporary_member_stat" ("member_id" integer PRIMARY KEY NOT NULL, "checkins" integer NOT NULL DEFAULT (0), "best_streak" integer NOT NULL DEFAULT (0), "purchases" integer NOT NULL DEFAULT (0), "spend" integer NOT NULL DEFAULT (0), "redemptions" integer NOT NULL DEFAULT (0), "coupons_used" integer NOT NULL DEFAULT (0), "member_days" integer NOT NULL DEFAULT (0), "tier_rank" integer NOT NULL DEFAULT (0), "joined_at" datetime(3))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_member_stat"("member_id", "checkins", "best_streak", "purchases", "spend", "redemptions", "coupons_used", "member_days", "tier_rank", "joined_at") SELECT "member_id", "checkins", "best_streak", "purchases", "spend", "redemptions", "coupons_used", "member_days", "tier_rank", "joined_at" FROM "member_stat"`,
    );
    await queryRunner.query(`DROP TABLE "member_stat"`);
    await queryRunner.query(`ALTER TABLE "temporary_member_stat" RENAME TO "member_stat"`);
    await queryRunner.query(`DROP INDEX "idx_leaderboard_rank"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_leaderboard_entry" ("board" varchar(24) NOT NULL, "period" varchar(7) NOT NULL, "member_id" integer NOT NULL, "rank" integer NOT NULL, "score" integer NOT NULL, "computed_at" datetime(3) NOT NULL, PRIMARY KEY ("board", "period", "member_id"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_leaderboard_entry"("board", "period", "member_id", "rank", "score", "computed_at") SELECT "board", "period", "member_id", "rank", "score", "computed_at" FROM "leaderboard_entry"`,
    );
    await queryRunner.query(`DROP TABLE "leaderboard_entry"`);
    await queryRunner.query(
      `ALTER TABLE "temporary_leaderboard_entry" RENAME TO "leaderboard_entry"`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_leaderboard_rank" ON "leaderboard_entry" ("board", "period", "rank") `,
    );
    await queryRunner.query(
      `CREATE TABLE "request_key" ("scope" varchar(32) NOT NULL, "request_key" varchar(128) NOT NULL, "request_hash" varchar(64) NOT NULL, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), PRIMARY KEY ("scope", "request_key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "temporary_member_stat" ("member_id" integer PRIMARY KEY NOT NULL, "checkins" integer NOT NULL DEFAULT (0), "best_streak" integer NOT NULL DEFAULT (0), "purchases" integer NOT NULL DEFAULT (0), "spend" bigint NOT NULL DEFAULT (0), "redemptions" integer NOT NULL DEFAULT (0), "coupons_used" integer NOT NULL DEFAULT (0), "member_days" integer NOT NULL DEFAULT (0), "tier_rank" integer NOT NULL DEFAULT (0), "joined_at" datetime(3))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_member_stat"("member_id", "checkins", "best_streak", "purchases", "spend", "redemptions", "coupons_used", "member_days", "tier_rank", "joined_at") SELECT "member_id", "checkins", "best_streak", "purchases", "spend", "redemptions", "coupons_used", "member_days", "tier_rank", "joined_at" FROM "member_stat"`,
    );
    await queryRunner.query(`DROP TABLE "member_stat"`);
    await queryRunner.query(`ALTER TABLE "temporary_member_stat" RENAME TO "member_stat"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_points_account" ("member_id" integer PRIMARY KEY NOT NULL, "balance" bigint NOT NULL DEFAULT (0), "growth" bigint NOT NULL DEFAULT (0), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "version" integer NOT NULL DEFAULT (0), "pending" bigint NOT NULL DEFAULT (0), "owed" bigint NOT NULL DEFAULT (0), CONSTRAINT "chk_points_account_growth" CHECK (((growth >= 0))), CONSTRAINT "chk_points_account_balance" CHECK (((balance >= 0))), CONSTRAINT "chk_points_account_owed" CHECK ((owed >= 0)), CONSTRAINT "chk_points_account_pending" CHECK ((pending >= 0)))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_points_account"("member_id", "balance", "growth", "updated_at", "version", "pending", "owed") SELECT "member_id", "balance", "growth", "updated_at", "version", "pending", "owed" FROM "points_account"`,
    );
    await queryRunner.query(`DROP TABLE "points_account"`);
    await queryRunner.query(`ALTER TABLE "temporary_points_account" RENAME TO "points_account"`);
    await queryRunner.query(`DROP INDEX "idx_points_entry_created"`);
    await queryRunner.query(`DROP INDEX "idx_points_entry_member"`);
    await queryRunner.query(`DROP INDEX "idx_points_entry_source"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_points_entry" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "type" varchar(16) NOT NULL, "points" bigint NOT NULL, "growth" bigint NOT NULL DEFAULT (0), "balance_after" bigint NOT NULL, "growth_after" bigint NOT NULL, "idempotency_key" varchar(128) NOT NULL, "source_type" varchar(16) NOT NULL, "source_ref" varchar(96), "reason" varchar(200), "expires_at" datetime(3), "breakdown" text, "staff_id" integer, "created_at" datetime(3) NOT NULL, CONSTRAINT "UQ_265e9ba61b849989a83036aee3b" UNIQUE ("idempotency_key"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_points_entry"("id", "member_id", "type", "points", "growth", "balance_after", "growth_after", "idempotency_key", "source_type", "source_ref", "reason", "expires_at", "breakdown", "staff_id", "created_at") SELECT "id", "member_id", "type", "points", "growth", "balance_after", "growth_after", "idempotency_key", "source_type", "source_ref", "reason", "expires_at", "breakdown", "staff_id", "created_at" FROM "points_entry"`,
    );
    await queryRunner.query(`DROP TABLE "points_entry"`);
    await queryRunner.query(`ALTER TABLE "temporary_points_entry" RENAME TO "points_entry"`);
    await queryRunner.query(
      `CREATE INDEX "idx_points_entry_created" ON "points_entry" ("created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_points_entry_member" ON "points_entry" ("member_id", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_points_entry_source" ON "points_entry" ("source_type", "source_ref") `,
    );
    await queryRunner.query(`DROP INDEX "idx_points_lot_member"`);
    await queryRunner.query(`DROP INDEX "idx_points_lot_expiry"`);
    await queryRunner.query(`DROP INDEX "idx_points_lot_release"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_points_lot" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "amount" bigint NOT NULL, "remaining" bigint NOT NULL, "growth" bigint NOT NULL DEFAULT (0), "status" varchar(16) NOT NULL, "expires_at" datetime(3), "available_at" datetime(3) NOT NULL, "source_type" varchar(16) NOT NULL, "source_ref" varchar(96), "idempotency_key" varchar(128) NOT NULL, "notice_sent_on" date, "created_at" datetime(3) NOT NULL, CONSTRAINT "UQ_7f01c3c28d8e8f42dab27d745a1" UNIQUE ("idempotency_key"), CONSTRAINT "chk_points_lot_remaining" CHECK ((remaining >= 0 AND remaining <= amount)))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_points_lot"("id", "member_id", "amount", "remaining", "growth", "status", "expires_at", "available_at", "source_type", "source_ref", "idempotency_key", "notice_sent_on", "created_at") SELECT "id", "member_id", "amount", "remaining", "growth", "status", "expires_at", "available_at", "source_type", "source_ref", "idempotency_key", "notice_sent_on", "created_at" FROM "points_lot"`,
    );
    await queryRunner.query(`DROP TABLE "points_lot"`);
    await queryRunner.query(`ALTER TABLE "temporary_points_lot" RENAME TO "points_lot"`);
    await queryRunner.query(
      `CREATE INDEX "idx_points_lot_member" ON "points_lot" ("member_id", "status", "expires_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_points_lot_expiry" ON "points_lot" ("status", "expires_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_points_lot_release" ON "points_lot" ("status", "available_at") `,
    );
    await queryRunner.query(`DROP INDEX "idx_leaderboard_rank"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_leaderboard_entry" ("board" varchar(24) NOT NULL, "period" varchar(7) NOT NULL, "member_id" integer NOT NULL, "rank" integer NOT NULL, "score" bigint NOT NULL, "computed_at" datetime(3) NOT NULL, PRIMARY KEY ("board", "period", "member_id"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_leaderboard_entry"("board", "period", "member_id", "rank", "score", "computed_at") SELECT "board", "period", "member_id", "rank", "score", "computed_at" FROM "leaderboard_entry"`,
    );
    await queryRunner.query(`DROP TABLE "leaderboard_entry"`);
    await queryRunner.query(
      `ALTER TABLE "temporary_leaderboard_entry" RENAME TO "leaderboard_entry"`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_leaderboard_rank" ON "leaderboard_entry" ("board", "period", "rank") `,
    );
    await queryRunner.query(
      `CREATE TABLE "temporary_tier" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(32) NOT NULL, "name" varchar(32) NOT NULL, "rank" integer NOT NULL DEFAULT (0), "growth_threshold" bigint NOT NULL DEFAULT (0), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "retention_growth" bigint NOT NULL DEFAULT (0), "validity_months" integer NOT NULL DEFAULT (0), "benefits" text, CONSTRAINT "UQ_3434223fbdc9d4744482d2986df" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_tier"("id", "code", "name", "rank", "growth_threshold", "created_at", "retention_growth", "validity_months", "benefits") SELECT "id", "code", "name", "rank", "growth_threshold", "created_at", "retention_growth", "validity_months", "benefits" FROM "tier"`,
    );
    await queryRunner.query(`DROP TABLE "tier"`);
    await queryRunner.query(`ALTER TABLE "temporary_tier" RENAME TO "tier"`);
    await queryRunner.query(`DROP INDEX "idx_tier_history_member"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_tier_history" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "from_tier" varchar(32), "to_tier" varchar(32) NOT NULL, "reason" varchar(16) NOT NULL, "growth" bigint NOT NULL, "period_growth" bigint, "at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_tier_history"("id", "member_id", "from_tier", "to_tier", "reason", "growth", "period_growth", "at") SELECT "id", "member_id", "from_tier", "to_tier", "reason", "growth", "period_growth", "at" FROM "tier_history"`,
    );
    await queryRunner.query(`DROP TABLE "tier_history"`);
    await queryRunner.query(`ALTER TABLE "temporary_tier_history" RENAME TO "tier_history"`);
    await queryRunner.query(
      `CREATE INDEX "idx_tier_history_member" ON "tier_history" ("member_id", "at") `,
    );
    await queryRunner.query(`DROP INDEX "idx_orders_member_paid"`);
    await queryRunner.query(`DROP INDEX "idx_orders_paid"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_orders" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "order_no" varchar(64) NOT NULL, "member_id" integer NOT NULL, "amount" bigint NOT NULL, "refunded_amount" bigint NOT NULL DEFAULT (0), "paid_at" datetime(3) NOT NULL, "store_code" varchar(32), "channel" varchar(16) NOT NULL, "body_hash" varchar(64), "points" bigint NOT NULL DEFAULT (0), "growth" bigint NOT NULL DEFAULT (0), "points_status" varchar(16) NOT NULL DEFAULT ('none'), "points_available_at" datetime(3), "points_reversed" bigint NOT NULL DEFAULT (0), "growth_reversed" bigint NOT NULL DEFAULT (0), "breakdown" text, "details" text, "import_id" integer, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_035026a83bef9740d7ad05df383" UNIQUE ("order_no"), CONSTRAINT "chk_orders_amounts" CHECK ((amount >= 0 AND refunded_amount >= 0 AND refunded_amount <= amount)))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_orders"("id", "order_no", "member_id", "amount", "refunded_amount", "paid_at", "store_code", "channel", "body_hash", "points", "growth", "points_status", "points_available_at", "points_reversed", "growth_reversed", "breakdown", "details", "import_id", "created_at") SELECT "id", "order_no", "member_id", "amount", "refunded_amount", "paid_at", "store_code", "channel", "body_hash", "points", "growth", "points_status", "points_available_at", "points_reversed", "growth_reversed", "breakdown", "details", "import_id", "created_at" FROM "orders"`,
    );
    await queryRunner.query(`DROP TABLE "orders"`);
    await queryRunner.query(`ALTER TABLE "temporary_orders" RENAME TO "orders"`);
    await queryRunner.query(`CREATE INDEX "idx_orders_paid" ON "orders" ("paid_at") `);
    await queryRunner.query(`DROP INDEX "idx_order_refund_order"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_order_refund" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "refund_no" varchar(64) NOT NULL, "order_no" varchar(64) NOT NULL, "member_id" integer NOT NULL, "amount" bigint NOT NULL, "points_reversed" bigint NOT NULL, "growth_reversed" bigint NOT NULL, "points_owed" bigint NOT NULL, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_549550bd3389729fd7e61ea6cdb" UNIQUE ("refund_no"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_order_refund"("id", "refund_no", "order_no", "member_id", "amount", "points_reversed", "growth_reversed", "points_owed", "created_at") SELECT "id", "refund_no", "order_no", "member_id", "amount", "points_reversed", "growth_reversed", "points_owed", "created_at" FROM "order_refund"`,
    );
    await queryRunner.query(`DROP TABLE "order_refund"`);
    await queryRunner.query(`ALTER TABLE "temporary_order_refund" RENAME TO "order_refund"`);
    await queryRunner.query(
      `CREATE INDEX "idx_order_refund_order" ON "order_refund" ("order_no") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_orders_member_paid" ON "orders" ("member_id", "paid_at", "amount", "refunded_amount") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_orders_member_paid"`);
    await queryRunner.query(`DROP INDEX "idx_order_refund_order"`);
    await queryRunner.query(`ALTER TABLE "order_refund" RENAME TO "temporary_order_refund"`);
    await queryRunner.query(
      `CREATE TABLE "order_refund" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "refund_no" varchar(64) NOT NULL, "order_no" varchar(64) NOT NULL, "member_id" integer NOT NULL, "amount" integer NOT NULL, "points_reversed" integer NOT NULL, "growth_reversed" integer NOT NULL, "points_owed" integer NOT NULL, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_549550bd3389729fd7e61ea6cdb" UNIQUE ("refund_no"))`,
    );
    await queryRunner.query(
      `INSERT INTO "order_refund"("id", "refund_no", "order_no", "member_id", "amount", "points_reversed", "growth_reversed", "points_owed", "created_at") SELECT "id", "refund_no", "order_no", "member_id", "amount", "points_reversed", "growth_reversed", "points_owed", "created_at" FROM "temporary_order_refund"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_order_refund"`);
    await queryRunner.query(
      `CREATE INDEX "idx_order_refund_order" ON "order_refund" ("order_no") `,
    );
    await queryRunner.query(`DROP INDEX "idx_orders_paid"`);
    await queryRunner.query(`ALTER TABLE "orders" RENAME TO "temporary_orders"`);
    await queryRunner.query(
      `CREATE TABLE "orders" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "order_no" varchar(64) NOT NULL, "member_id" integer NOT NULL, "amount" integer NOT NULL, "refunded_amount" integer NOT NULL DEFAULT (0), "paid_at" datetime(3) NOT NULL, "store_code" varchar(32), "channel" varchar(16) NOT NULL, "body_hash" varchar(64), "points" integer NOT NULL DEFAULT (0), "growth" integer NOT NULL DEFAULT (0), "points_status" varchar(16) NOT NULL DEFAULT ('none'), "points_available_at" datetime(3), "points_reversed" integer NOT NULL DEFAULT (0), "growth_reversed" integer NOT NULL DEFAULT (0), "breakdown" text, "details" text, "import_id" integer, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_035026a83bef9740d7ad05df383" UNIQUE ("order_no"), CONSTRAINT "chk_orders_amounts" CHECK ((amount >= 0 AND refunded_amount >= 0 AND refunded_amount <= amount)))`,
    );
    await queryRunner.query(
      `INSERT INTO "orders"("id", "order_no", "member_id", "amount", "refunded_amount", "paid_at", "store_code", "channel", "body_hash", "points", "growth", "points_status", "points_available_at", "points_reversed", "growth_reversed", "breakdown", "details", "import_id", "created_at") SELECT "id", "order_no", "member_id", "amount", "refunded_amount", "paid_at", "store_code", "channel", "body_hash", "points", "growth", "points_status", "points_available_at", "points_reversed", "growth_reversed", "breakdown", "details", "import_id", "created_at" FROM "temporary_orders"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_orders"`);
    await queryRunner.query(`CREATE INDEX "idx_orders_paid" ON "orders" ("paid_at") `);
    await queryRunner.query(
      `CREATE INDEX "idx_orders_member_paid" ON "orders" ("member_id", "paid_at", "amount", "refunded_amount") `,
    );
    await queryRunner.query(`DROP INDEX "idx_tier_history_member"`);
    await queryRunner.query(`ALTER TABLE "tier_history" RENAME TO "temporary_tier_history"`);
    await queryRunner.query(
      `CREATE TABLE "tier_history" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "from_tier" varchar(32), "to_tier" varchar(32) NOT NULL, "reason" varchar(16) NOT NULL, "growth" integer NOT NULL, "period_growth" integer, "at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "tier_history"("id", "member_id", "from_tier", "to_tier", "reason", "growth", "period_growth", "at") SELECT "id", "member_id", "from_tier", "to_tier", "reason", "growth", "period_growth", "at" FROM "temporary_tier_history"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_tier_history"`);
    await queryRunner.query(
      `CREATE INDEX "idx_tier_history_member" ON "tier_history" ("member_id", "at") `,
    );
    await queryRunner.query(`ALTER TABLE "tier" RENAME TO "temporary_tier"`);
    await queryRunner.query(
      `CREATE TABLE "tier" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(32) NOT NULL, "name" varchar(32) NOT NULL, "rank" integer NOT NULL DEFAULT (0), "growth_threshold" integer NOT NULL DEFAULT (0), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "retention_growth" integer NOT NULL DEFAULT (0), "validity_months" integer NOT NULL DEFAULT (0), "benefits" text, CONSTRAINT "UQ_3434223fbdc9d4744482d2986df" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `INSERT INTO "tier"("id", "code", "name", "rank", "growth_threshold", "created_at", "retention_growth", "validity_months", "benefits") SELECT "id", "code", "name", "rank", "growth_threshold", "created_at", "retention_growth", "validity_months", "benefits" FROM "temporary_tier"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_tier"`);
    await queryRunner.query(`DROP INDEX "idx_leaderboard_rank"`);
    await queryRunner.query(
      `ALTER TABLE "leaderboard_entry" RENAME TO "temporary_leaderboard_entry"`,
    );
    await queryRunner.query(
      `CREATE TABLE "leaderboard_entry" ("board" varchar(24) NOT NULL, "period" varchar(7) NOT NULL, "member_id" integer NOT NULL, "rank" integer NOT NULL, "score" integer NOT NULL, "computed_at" datetime(3) NOT NULL, PRIMARY KEY ("board", "period", "member_id"))`,
    );
    await queryRunner.query(
      `INSERT INTO "leaderboard_entry"("board", "period", "member_id", "rank", "score", "computed_at") SELECT "board", "period", "member_id", "rank", "score", "computed_at" FROM "temporary_leaderboard_entry"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_leaderboard_entry"`);
    await queryRunner.query(
      `CREATE INDEX "idx_leaderboard_rank" ON "leaderboard_entry" ("board", "period", "rank") `,
    );
    await queryRunner.query(`DROP INDEX "idx_points_lot_release"`);
    await queryRunner.query(`DROP INDEX "idx_points_lot_expiry"`);
    await queryRunner.query(`DROP INDEX "idx_points_lot_member"`);
    await queryRunner.query(`ALTER TABLE "points_lot" RENAME TO "temporary_points_lot"`);
    await queryRunner.query(
      `CREATE TABLE "points_lot" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "amount" integer NOT NULL, "remaining" integer NOT NULL, "growth" integer NOT NULL DEFAULT (0), "status" varchar(16) NOT NULL, "expires_at" datetime(3), "available_at" datetime(3) NOT NULL, "source_type" varchar(16) NOT NULL, "source_ref" varchar(96), "idempotency_key" varchar(128) NOT NULL, "notice_sent_on" date, "created_at" datetime(3) NOT NULL, CONSTRAINT "UQ_7f01c3c28d8e8f42dab27d745a1" UNIQUE ("idempotency_key"), CONSTRAINT "chk_points_lot_remaining" CHECK ((remaining >= 0 AND remaining <= amount)))`,
    );
    await queryRunner.query(
      `INSERT INTO "points_lot"("id", "member_id", "amount", "remaining", "growth", "status", "expires_at", "available_at", "source_type", "source_ref", "idempotency_key", "notice_sent_on", "created_at") SELECT "id", "member_id", "amount", "remaining", "growth", "status", "expires_at", "available_at", "source_type", "source_ref", "idempotency_key", "notice_sent_on", "created_at" FROM "temporary_points_lot"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_points_lot"`);
    await queryRunner.query(
      `CREATE INDEX "idx_points_lot_release" ON "points_lot" ("status", "available_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_points_lot_expiry" ON "points_lot" ("status", "expires_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_points_lot_member" ON "points_lot" ("member_id", "status", "expires_at") `,
    );
    await queryRunner.query(`DROP INDEX "idx_points_entry_source"`);
    await queryRunner.query(`DROP INDEX "idx_points_entry_member"`);
    await queryRunner.query(`DROP INDEX "idx_points_entry_created"`);
    await queryRunner.query(`ALTER TABLE "points_entry" RENAME TO "temporary_points_entry"`);
    await queryRunner.query(
      `CREATE TABLE "points_entry" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "type" varchar(16) NOT NULL, "points" integer NOT NULL, "growth" integer NOT NULL DEFAULT (0), "balance_after" integer NOT NULL, "growth_after" integer NOT NULL, "idempotency_key" varchar(128) NOT NULL, "source_type" varchar(16) NOT NULL, "source_ref" varchar(96), "reason" varchar(200), "expires_at" datetime(3), "breakdown" text, "staff_id" integer, "created_at" datetime(3) NOT NULL, CONSTRAINT "UQ_265e9ba61b849989a83036aee3b" UNIQUE ("idempotency_key"))`,
    );
    await queryRunner.query(
      `INSERT INTO "points_entry"("id", "member_id", "type", "points", "growth", "balance_after", "growth_after", "idempotency_key", "source_type", "source_ref", "reason", "expires_at", "breakdown", "staff_id", "created_at") SELECT "id", "member_id", "type", "points", "growth", "balance_after", "growth_after", "idempotency_key", "source_type", "source_ref", "reason", "expires_at", "breakdown", "staff_id", "created_at" FROM "temporary_points_entry"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_points_entry"`);
    await queryRunner.query(
      `CREATE INDEX "idx_points_entry_source" ON "points_entry" ("source_type", "source_ref") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_points_entry_member" ON "points_entry" ("member_id", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_points_entry_created" ON "points_entry" ("created_at") `,
    );
    await queryRunner.query(`ALTER TABLE "points_account" RENAME TO "temporary_points_account"`);
    await queryRunner.query(
      `CREATE TABLE "points_account" ("member_id" integer PRIMARY KEY NOT NULL, "balance" integer NOT NULL DEFAULT (0), "growth" integer NOT NULL DEFAULT (0), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "version" integer NOT NULL DEFAULT (0), "pending" integer NOT NULL DEFAULT (0), "owed" integer NOT NULL DEFAULT (0), CONSTRAINT "chk_points_account_growth" CHECK (((growth >= 0))), CONSTRAINT "chk_points_account_balance" CHECK (((balance >= 0))), CONSTRAINT "chk_points_account_owed" CHECK ((owed >= 0)), CONSTRAINT "chk_points_account_pending" CHECK ((pending >= 0)))`,
    );
    await queryRunner.query(
      `INSERT INTO "points_account"("member_id", "balance", "growth", "updated_at", "version", "pending", "owed") SELECT "member_id", "balance", "growth", "updated_at", "version", "pending", "owed" FROM "temporary_points_account"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_points_account"`);
    await queryRunner.query(`ALTER TABLE "member_stat" RENAME TO "temporary_member_stat"`);
    await queryRunner.query(
      `CREATE TABLE "member_stat" ("member_id" integer PRIMARY KEY NOT NULL, "checkins" integer NOT NULL DEFAULT (0), "best_streak" integer NOT NULL DEFAULT (0), "purchases" integer NOT NULL DEFAULT (0), "spend" integer NOT NULL DEFAULT (0), "redemptions" integer NOT NULL DEFAULT (0), "coupons_used" integer NOT NULL DEFAULT (0), "member_days" integer NOT NULL DEFAULT (0), "tier_rank" integer NOT NULL DEFAULT (0), "joined_at" datetime(3))`,
    );
    await queryRunner.query(
      `INSERT INTO "member_stat"("member_id", "checkins", "best_streak", "purchases", "spend", "redemptions", "coupons_used", "member_days", "tier_rank", "joined_at") SELECT "member_id", "checkins", "best_streak", "purchases", "spend", "redemptions", "coupons_used", "member_days", "tier_rank", "joined_at" FROM "temporary_member_stat"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_member_stat"`);
    await queryRunner.query(`DROP TABLE "request_key"`);
    await queryRunner.query(`DROP INDEX "idx_leaderboard_rank"`);
    await queryRunner.query(
      `ALTER TABLE "leaderboard_entry" RENAME TO "temporary_leaderboard_entry"`,
    );
    await queryRunner.query(
      `CREATE TABLE "leaderboard_entry" ("board" varchar(24) NOT NULL, "period" varchar(7) NOT NULL, "member_id" integer NOT NULL, "rank" integer NOT NULL, "score" integer NOT NULL, "computed_at" datetime(3) NOT NULL, PRIMARY KEY ("board", "period", "member_id"))`,
    );
    await queryRunner.query(
      `INSERT INTO "leaderboard_entry"("board", "period", "member_id", "rank", "score", "computed_at") SELECT "board", "period", "member_id", "rank", "score", "computed_at" FROM "temporary_leaderboard_entry"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_leaderboard_entry"`);
    await queryRunner.query(
      `CREATE INDEX "idx_leaderboard_rank" ON "leaderboard_entry" ("board", "period", "rank") `,
    );
    await queryRunner.query(`ALTER TABLE "member_stat" RENAME TO "temporary_member_stat"`);
    await queryRunner.query(
      `CREATE TABLE "member_stat" ("member_id" integer PRIMARY KEY NOT NULL, "checkins" integer NOT NULL DEFAULT (0), "best_streak" integer NOT NULL DEFAULT (0), "purchases" integer NOT NULL DEFAULT (0), "spend" integer NOT NULL DEFAULT (0), "redemptions" integer NOT NULL DEFAULT (0), "coupons_used" integer NOT NULL DEFAULT (0), "member_days" integer NOT NULL DEFAULT (0), "tier_rank" integer NOT NULL DEFAULT (0), "joined_at" datetime(3))`,
    );
    await queryRunner.query(
      `INSERT INTO "member_stat"("member_id", "checkins", "best_streak", "purchases", "spend", "redemptions", "coupons_used", "member_days", "tier_rank", "joined_at") SELECT "member_id", "checkins", "best_streak", "purchases", "spend", "redemptions", "coupons_used", "member_days", "tier_rank", "joined_at" FROM "temporary_member_stat"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_member_stat"`);
  }
}
