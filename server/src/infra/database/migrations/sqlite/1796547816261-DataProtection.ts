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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
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
