import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MemberDays1796193900688 implements MigrationInterface {
  name = 'MemberDays1796193900688';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "member_day" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(40) NOT NULL, "schedule" text NOT NULL, "start_time" varchar(5) NOT NULL, "end_time" varchar(5) NOT NULL, "audience" text NOT NULL, "benefits" text NOT NULL, "active" boolean NOT NULL DEFAULT (1), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE TABLE "member_day_occurrence" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_day_id" integer NOT NULL, "day" date NOT NULL, "starts_at" datetime(3) NOT NULL, "ends_at" datetime(3) NOT NULL, "status" varchar(10) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_member_day_occurrence_due" ON "member_day_occurrence" ("status", "starts_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_member_day_occurrence" ON "member_day_occurrence" ("member_day_id", "day") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "uq_member_day_occurrence"`);
    await queryRunner.query(`DROP INDEX "idx_member_day_occurrence_due"`);
    await queryRunner.query(`DROP TABLE "member_day_occurrence"`);
    await queryRunner.query(`DROP TABLE "member_day"`);
  }
}
