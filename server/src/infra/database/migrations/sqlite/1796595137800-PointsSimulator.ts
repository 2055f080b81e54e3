import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PointsSimulator1796595137800 implements MigrationInterface {
  name = 'PointsSimulator1796595137800';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "points_simulation" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(60) NOT NULL, "status" varchar(16) NOT NULL, "progress" integer NOT NULL DEFAULT (0), "window_from" varchar(10) NOT NULL, "window_to" varchar(10) NOT NULL, "proposal" text, "result" text, "error" varchar(500), "owner" varchar(64), "heartbeat_at" datetime(3), "created_by" integer, "created_by_name" varchar(64), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "finished_at" datetime(3), "applied_at" datetime(3))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_points_simulation_status" ON "points_simulation" ("status", "heartbeat_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "points_simulation_tier_span" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "run_id" integer NOT NULL, "member_id" integer NOT NULL, "tier_code" varchar(32), "prev_tier" varchar(32), "valid_from" datetime(3), "settled_at" datetime(3), "valid_to" datetime(3))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_points_simulation_tier_span" ON "points_simulation_tier_span" ("run_id", "member_id", "valid_from") `,
    );
    await queryRunner.query(
      `CREATE TABLE "points_simulation_window" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "run_id" integer NOT NULL, "member_day_id" integer NOT NULL, "starts_at" datetime(3) NOT NULL, "ends_at" datetime(3) NOT NULL, "tier_code" varchar(32), "stage" varchar(16), "defined_at" datetime(3) NOT NULL, "actual_multiplier" double NOT NULL, "simulated_multiplier" double NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_points_simulation_window" ON "points_simulation_window" ("run_id", "starts_at") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_points_simulation_window"`);
    await queryRunner.query(`DROP TABLE "points_simulation_window"`);
    await queryRunner.query(`DROP INDEX "idx_points_simulation_tier_span"`);
    await queryRunner.query(`DROP TABLE "points_simulation_tier_span"`);
    await queryRunner.query(`DROP INDEX "idx_points_simulation_status"`);
    await queryRunner.query(`DROP TABLE "points_simulation"`);
  }
}
