import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Campaigns1796192599903 implements MigrationInterface {
  name = 'Campaigns1796192599903';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "automation" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(40) NOT NULL, "playbook" varchar(32), "trigger" text NOT NULL, "conditions" text NOT NULL, "actions" text NOT NULL, "dedupe_days" integer NOT NULL, "control_percent" integer NOT NULL, "conversion" text NOT NULL, "active" boolean NOT NULL DEFAULT (1), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE TABLE "automation_enrollment" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "automation_id" integer NOT NULL, "member_id" integer NOT NULL, "grp" varchar(10) NOT NULL, "window_key" integer NOT NULL, "enrolled_at" datetime(3) NOT NULL, "converted_at" datetime(3), "error" varchar(120))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_enrollment_member_open" ON "automation_enrollment" ("member_id", "converted_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_enrollment_window" ON "automation_enrollment" ("automation_id", "member_id", "window_key") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "uq_enrollment_window"`);
    await queryRunner.query(`DROP INDEX "idx_enrollment_member_open"`);
    await queryRunner.query(`DROP TABLE "automation_enrollment"`);
    await queryRunner.query(`DROP TABLE "automation"`);
  }
}
