import type { MigrationInterface, QueryRunner } from 'typeorm';

export class StaffSessionsAndLoginLimits1796547945076 implements MigrationInterface {
  name = 'StaffSessionsAndLoginLimits1796547945076';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "temporary_staff" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "username" varchar(32) NOT NULL, "password_hash" varchar(255) NOT NULL, "display_name" varchar(32), "role" varchar(16) NOT NULL, "store_code" varchar(32), "active" boolean NOT NULL DEFAULT (1), "last_login_at" datetime(3), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "token_version" integer NOT NULL DEFAULT (0), "failed_logins" integer NOT NULL DEFAULT (0), "login_blocked_until" datetime(3), CONSTRAINT "UQ_35aafb5ad218f3ff1ff70e281eb" UNIQUE ("username"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_staff"("id", "username", "password_hash", "display_name", "role", "store_code", "active", "last_login_at", "created_at", "updated_at") SELECT "id", "username", "password_hash", "display_name", "role", "store_code", "active", "last_login_at", "created_at", "updated_at" FROM "staff"`,
    );
    await queryRunner.query(`DROP TABLE "staff"`);
    await queryRunner.query(`ALTER TABLE "temporary_staff" RENAME TO "staff"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "staff" RENAME TO "temporary_staff"`);
    await queryRunner.query(
      `CREATE TABLE "staff" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "username" varchar(32) NOT NULL, "password_hash" varchar(255) NOT NULL, "display_name" varchar(32), "role" varchar(16) NOT NULL, "store_code" varchar(32), "active" boolean NOT NULL DEFAULT (1), "last_login_at" datetime(3), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "updated_at" datetime(6) NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_35aafb5ad218f3ff1ff70e281eb" UNIQUE ("username"))`,
    );
    await queryRunner.query(
      `INSERT INTO "staff"("id", "username", "password_hash", "display_name", "role", "store_code", "active", "last_login_at", "created_at", "updated_at") SELECT "id", "username", "password_hash", "display_name", "role", "store_code", "active", "last_login_at", "created_at", "updated_at" FROM "temporary_staff"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_staff"`);
  }
}
