import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Issue17ConsoleAndMembership1796542905664 implements MigrationInterface {
  name = 'Issue17ConsoleAndMembership1796542905664';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "temporary_store" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(32) NOT NULL, "name" varchar(64) NOT NULL, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "address" varchar(128), "active" boolean NOT NULL DEFAULT (1), CONSTRAINT "UQ_40c711bd10299557bc2bc497206" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_store"("id", "code", "name", "created_at") SELECT "id", "code", "name", "created_at" FROM "store"`,
    );
    await queryRunner.query(`DROP TABLE "store"`);
    await queryRunner.query(`ALTER TABLE "temporary_store" RENAME TO "store"`);
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
    await queryRunner.query(`ALTER TABLE "store" RENAME TO "temporary_store"`);
    await queryRunner.query(
      `CREATE TABLE "store" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(32) NOT NULL, "name" varchar(64) NOT NULL, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_40c711bd10299557bc2bc497206" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `INSERT INTO "store"("id", "code", "name", "created_at") SELECT "id", "code", "name", "created_at" FROM "temporary_store"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_store"`);
  }
}
