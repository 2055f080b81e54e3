import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PointsOrdersTiers1795556213028 implements MigrationInterface {
  name = 'PointsOrdersTiers1795556213028';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "points_entry" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "type" varchar(16) NOT NULL, "points" integer NOT NULL, "growth" integer NOT NULL DEFAULT (0), "balance_after" integer NOT NULL, "growth_after" integer NOT NULL, "idempotency_key" varchar(128) NOT NULL, "source_type" varchar(16) NOT NULL, "source_ref" varchar(96), "reason" varchar(200), "expires_at" datetime(3), "breakdown" text, "staff_id" integer, "created_at" datetime(3) NOT NULL, CONSTRAINT "UQ_265e9ba61b849989a83036aee3b" UNIQUE ("idempotency_key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_points_entry_source" ON "points_entry" ("source_type", "source_ref") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_points_entry_member" ON "points_entry" ("member_id", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "points_lot" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "amount" integer NOT NULL, "remaining" integer NOT NULL, "growth" integer NOT NULL DEFAULT (0), "status" varchar(16) NOT NULL, "expires_at" datetime(3), "available_at" datetime(3) NOT NULL, "source_type" varchar(16) NOT NULL, "source_ref" varchar(96), "idempotency_key" varchar(128) NOT NULL, "notice_sent_on" date, "created_at" datetime(3) NOT NULL, CONSTRAINT "UQ_7f01c3c28d8e8f42dab27d745a1" UNIQUE ("idempotency_key"), CONSTRAINT "chk_points_lot_remaining" CHECK (remaining >= 0 AND remaining <= amount))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_points_lot_release" ON "points_lot" ("status", "available_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_points_lot_expiry" ON "points_lot" ("status", "expires_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_points_lot_member" ON "points_lot" ("member_id", "status", "expires_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "tier_history" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "from_tier" varchar(32), "to_tier" varchar(32) NOT NULL, "reason" varchar(16) NOT NULL, "growth" integer NOT NULL, "period_growth" integer, "at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_tier_history_member" ON "tier_history" ("member_id", "at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "orders" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "order_no" varchar(64) NOT NULL, "member_id" integer NOT NULL, "amount" integer NOT NULL, "refunded_amount" integer NOT NULL DEFAULT (0), "paid_at" datetime(3) NOT NULL, "store_code" varchar(32), "channel" varchar(16) NOT NULL, "body_hash" varchar(64), "points" integer NOT NULL DEFAULT (0), "growth" integer NOT NULL DEFAULT (0), "points_status" varchar(16) NOT NULL DEFAULT ('none'), "points_available_at" datetime(3), "points_reversed" integer NOT NULL DEFAULT (0), "growth_reversed" integer NOT NULL DEFAULT (0), "breakdown" text, "details" text, "import_id" integer, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_035026a83bef9740d7ad05df383" UNIQUE ("order_no"), CONSTRAINT "chk_orders_amounts" CHECK (amount >= 0 AND refunded_amount >= 0 AND refunded_amount <= amount))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_orders_paid" ON "orders" ("paid_at") `);
    await queryRunner.query(
      `CREATE INDEX "idx_orders_member_paid" ON "orders" ("member_id", "paid_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "order_refund" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "refund_no" varchar(64) NOT NULL, "order_no" varchar(64) NOT NULL, "member_id" integer NOT NULL, "amount" integer NOT NULL, "points_reversed" integer NOT NULL, "growth_reversed" integer NOT NULL, "points_owed" integer NOT NULL, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_549550bd3389729fd7e61ea6cdb" UNIQUE ("refund_no"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_order_refund_order" ON "order_refund" ("order_no") `,
    );
    await queryRunner.query(
      `CREATE TABLE "integration_key" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "key_id" varchar(32) NOT NULL, "name" varchar(64) NOT NULL, "secret_enc" varchar(255) NOT NULL, "active" boolean NOT NULL DEFAULT (1), "created_by" integer, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_6bd8d07f035112d12375fde3f7e" UNIQUE ("key_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "request_nonce" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "signature" varchar(64) NOT NULL, "expires_at" datetime(3) NOT NULL, CONSTRAINT "UQ_f18ffdeb6aaa32dedb0b0ac53b5" UNIQUE ("signature"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_request_nonce_expiry" ON "request_nonce" ("expires_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "job_lease" ("name" varchar(64) PRIMARY KEY NOT NULL, "owner" varchar(64), "lease_until" datetime(3) NOT NULL, "last_run_at" datetime(3), "last_result" varchar(200))`,
    );
    await queryRunner.query(
      `CREATE TABLE "setting" ("key" varchar(64) PRIMARY KEY NOT NULL, "value" text NOT NULL, "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(`DROP INDEX "idx_member_nickname"`);
    await queryRunner.query(`DROP INDEX "idx_member_unionid"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_member" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "openid" varchar(64), "unionid" varchar(64), "card_no" varchar(20), "nickname" varchar(32), "phone" varchar(20), "birthday" date, "external_ref" varchar(64), "stage" varchar(16) NOT NULL, "status" varchar(16) NOT NULL, "source" varchar(16) NOT NULL DEFAULT ('wechat'), "tier_code" varchar(32), "merged_into_id" integer, "first_seen_at" datetime(3) NOT NULL, "joined_at" datetime(3), "closed_at" datetime(3), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "tier_since" datetime(3), "tier_expires_at" datetime(3), "tier_notice_for" datetime(3), CONSTRAINT "UQ_7b97b0865b5d67f116af58a3b66" UNIQUE ("external_ref"), CONSTRAINT "UQ_d73619f5e63108e8d57e8e1859d" UNIQUE ("phone"), CONSTRAINT "UQ_a6fe08f75c6920d9cf38eea000d" UNIQUE ("card_no"), CONSTRAINT "UQ_4ec74c39ff606987e53d7e60576" UNIQUE ("openid"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_member"("id", "openid", "unionid", "card_no", "nickname", "phone", "birthday", "external_ref", "stage", "status", "source", "tier_code", "merged_into_id", "first_seen_at", "joined_at", "closed_at", "created_at", "updated_at") SELECT "id", "openid", "unionid", "card_no", "nickname", "phone", "birthday", "external_ref", "stage", "status", "source", "tier_code", "merged_into_id", "first_seen_at", "joined_at", "closed_at", "created_at", "updated_at" FROM "member"`,
    );
    await queryRunner.query(`DROP TABLE "member"`);
    await queryRunner.query(`ALTER TABLE "temporary_member" RENAME TO "member"`);
    await queryRunner.query(`CREATE INDEX "idx_member_nickname" ON "member" ("nickname") `);
    await queryRunner.query(`CREATE INDEX "idx_member_unionid" ON "member" ("unionid") `);
    await queryRunner.query(
      `CREATE TABLE "temporary_tier" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(32) NOT NULL, "name" varchar(32) NOT NULL, "rank" integer NOT NULL DEFAULT (0), "growth_threshold" integer NOT NULL DEFAULT (0), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "retention_growth" integer NOT NULL DEFAULT (0), "validity_months" integer NOT NULL DEFAULT (0), "benefits" text, CONSTRAINT "UQ_3434223fbdc9d4744482d2986df" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_tier"("id", "code", "name", "rank", "growth_threshold", "created_at") SELECT "id", "code", "name", "rank", "growth_threshold", "created_at" FROM "tier"`,
    );
    await queryRunner.query(`DROP TABLE "tier"`);
    await queryRunner.query(`ALTER TABLE "temporary_tier" RENAME TO "tier"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_points_account" ("member_id" integer PRIMARY KEY NOT NULL, "balance" integer NOT NULL DEFAULT (0), "growth" integer NOT NULL DEFAULT (0), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "version" integer NOT NULL DEFAULT (0), "pending" integer NOT NULL DEFAULT (0), "owed" integer NOT NULL DEFAULT (0), CONSTRAINT "chk_points_account_growth" CHECK ((growth >= 0)), CONSTRAINT "chk_points_account_balance" CHECK ((balance >= 0)))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_points_account"("member_id", "balance", "growth", "updated_at", "version") SELECT "member_id", "balance", "growth", "updated_at", "version" FROM "points_account"`,
    );
    await queryRunner.query(`DROP TABLE "points_account"`);
    await queryRunner.query(`ALTER TABLE "temporary_points_account" RENAME TO "points_account"`);
    await queryRunner.query(
      `CREATE INDEX "idx_member_tier_expiry" ON "member" ("tier_expires_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "temporary_points_account" ("member_id" integer PRIMARY KEY NOT NULL, "balance" integer NOT NULL DEFAULT (0), "growth" integer NOT NULL DEFAULT (0), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "version" integer NOT NULL DEFAULT (0), "pending" integer NOT NULL DEFAULT (0), "owed" integer NOT NULL DEFAULT (0), CONSTRAINT "chk_points_account_growth" CHECK ((growth >= 0)), CONSTRAINT "chk_points_account_balance" CHECK ((balance >= 0)), CONSTRAINT "chk_points_account_owed" CHECK (owed >= 0), CONSTRAINT "chk_points_account_pending" CHECK (pending >= 0))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_points_account"("member_id", "balance", "growth", "updated_at", "version", "pending", "owed") SELECT "member_id", "balance", "growth", "updated_at", "version", "pending", "owed" FROM "points_account"`,
    );
    await queryRunner.query(`DROP TABLE "points_account"`);
    await queryRunner.query(`ALTER TABLE "temporary_points_account" RENAME TO "points_account"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "points_account" RENAME TO "temporary_points_account"`);
    await queryRunner.query(
      `CREATE TABLE "points_account" ("member_id" integer PRIMARY KEY NOT NULL, "balance" integer NOT NULL DEFAULT (0), "growth" integer NOT NULL DEFAULT (0), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "version" integer NOT NULL DEFAULT (0), "pending" integer NOT NULL DEFAULT (0), "owed" integer NOT NULL DEFAULT (0), CONSTRAINT "chk_points_account_growth" CHECK ((growth >= 0)), CONSTRAINT "chk_points_account_balance" CHECK ((balance >= 0)))`,
    );
    await queryRunner.query(
      `INSERT INTO "points_account"("member_id", "balance", "growth", "updated_at", "version", "pending", "owed") SELECT "member_id", "balance", "growth", "updated_at", "version", "pending", "owed" FROM "temporary_points_account"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_points_account"`);
    await queryRunner.query(`DROP INDEX "idx_member_tier_expiry"`);
    await queryRunner.query(`ALTER TABLE "points_account" RENAME TO "temporary_points_account"`);
    await queryRunner.query(
      `CREATE TABLE "points_account" ("member_id" integer PRIMARY KEY NOT NULL, "balance" integer NOT NULL DEFAULT (0), "growth" integer NOT NULL DEFAULT (0), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "version" integer NOT NULL DEFAULT (0), CONSTRAINT "chk_points_account_growth" CHECK ((growth >= 0)), CONSTRAINT "chk_points_account_balance" CHECK ((balance >= 0)))`,
    );
    await queryRunner.query(
      `INSERT INTO "points_account"("member_id", "balance", "growth", "updated_at", "version") SELECT "member_id", "balance", "growth", "updated_at", "version" FROM "temporary_points_account"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_points_account"`);
    await queryRunner.query(`ALTER TABLE "tier" RENAME TO "temporary_tier"`);
    await queryRunner.query(
      `CREATE TABLE "tier" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(32) NOT NULL, "name" varchar(32) NOT NULL, "rank" integer NOT NULL DEFAULT (0), "growth_threshold" integer NOT NULL DEFAULT (0), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_3434223fbdc9d4744482d2986df" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `INSERT INTO "tier"("id", "code", "name", "rank", "growth_threshold", "created_at") SELECT "id", "code", "name", "rank", "growth_threshold", "created_at" FROM "temporary_tier"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_tier"`);
    await queryRunner.query(`DROP INDEX "idx_member_unionid"`);
    await queryRunner.query(`DROP INDEX "idx_member_nickname"`);
    await queryRunner.query(`ALTER TABLE "member" RENAME TO "temporary_member"`);
    await queryRunner.query(
      `CREATE TABLE "member" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "openid" varchar(64), "unionid" varchar(64), "card_no" varchar(20), "nickname" varchar(32), "phone" varchar(20), "birthday" date, "external_ref" varchar(64), "stage" varchar(16) NOT NULL, "status" varchar(16) NOT NULL, "source" varchar(16) NOT NULL DEFAULT ('wechat'), "tier_code" varchar(32), "merged_into_id" integer, "first_seen_at" datetime(3) NOT NULL, "joined_at" datetime(3), "closed_at" datetime(3), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_7b97b0865b5d67f116af58a3b66" UNIQUE ("external_ref"), CONSTRAINT "UQ_d73619f5e63108e8d57e8e1859d" UNIQUE ("phone"), CONSTRAINT "UQ_a6fe08f75c6920d9cf38eea000d" UNIQUE ("card_no"), CONSTRAINT "UQ_4ec74c39ff606987e53d7e60576" UNIQUE ("openid"))`,
    );
    await queryRunner.query(
      `INSERT INTO "member"("id", "openid", "unionid", "card_no", "nickname", "phone", "birthday", "external_ref", "stage", "status", "source", "tier_code", "merged_into_id", "first_seen_at", "joined_at", "closed_at", "created_at", "updated_at") SELECT "id", "openid", "unionid", "card_no", "nickname", "phone", "birthday", "external_ref", "stage", "status", "source", "tier_code", "merged_into_id", "first_seen_at", "joined_at", "closed_at", "created_at", "updated_at" FROM "temporary_member"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_member"`);
    await queryRunner.query(`CREATE INDEX "idx_member_unionid" ON "member" ("unionid") `);
    await queryRunner.query(`CREATE INDEX "idx_member_nickname" ON "member" ("nickname") `);
    await queryRunner.query(`DROP TABLE "setting"`);
    await queryRunner.query(`DROP TABLE "job_lease"`);
    await queryRunner.query(`DROP INDEX "idx_request_nonce_expiry"`);
    await queryRunner.query(`DROP TABLE "request_nonce"`);
    await queryRunner.query(`DROP TABLE "integration_key"`);
    await queryRunner.query(`DROP INDEX "idx_order_refund_order"`);
    await queryRunner.query(`DROP TABLE "order_refund"`);
    await queryRunner.query(`DROP INDEX "idx_orders_member_paid"`);
    await queryRunner.query(`DROP INDEX "idx_orders_paid"`);
    await queryRunner.query(`DROP TABLE "orders"`);
    await queryRunner.query(`DROP INDEX "idx_tier_history_member"`);
    await queryRunner.query(`DROP TABLE "tier_history"`);
    await queryRunner.query(`DROP INDEX "idx_points_lot_member"`);
    await queryRunner.query(`DROP INDEX "idx_points_lot_expiry"`);
    await queryRunner.query(`DROP INDEX "idx_points_lot_release"`);
    await queryRunner.query(`DROP TABLE "points_lot"`);
    await queryRunner.query(`DROP INDEX "idx_points_entry_member"`);
    await queryRunner.query(`DROP INDEX "idx_points_entry_source"`);
    await queryRunner.query(`DROP TABLE "points_entry"`);
  }
}
