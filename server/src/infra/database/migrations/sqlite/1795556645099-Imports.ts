import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Imports1795556645099 implements MigrationInterface {
  name = 'Imports1795556645099';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "import_job" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "kind" varchar(16) NOT NULL, "status" varchar(16) NOT NULL, "credit_points" boolean NOT NULL DEFAULT (0), "file_path" varchar(500) NOT NULL, "file_bytes" bigint NOT NULL DEFAULT (0), "rows_done" integer NOT NULL DEFAULT (0), "rows_imported" integer NOT NULL DEFAULT (0), "rows_skipped" integer NOT NULL DEFAULT (0), "rows_rejected" integer NOT NULL DEFAULT (0), "owner" varchar(64), "heartbeat_at" datetime(3), "error" varchar(500), "created_by" integer, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "finished_at" datetime(3))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_import_job_status" ON "import_job" ("status", "heartbeat_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "import_rejection" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "import_id" integer NOT NULL, "row_no" integer NOT NULL, "reason" varchar(200) NOT NULL, "line" varchar(500) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_import_rejection_job" ON "import_rejection" ("import_id", "row_no") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_import_rejection_job"`);
    await queryRunner.query(`DROP TABLE "import_rejection"`);
    await queryRunner.query(`DROP INDEX "idx_import_job_status"`);
    await queryRunner.query(`DROP TABLE "import_job"`);
  }
}
