import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Lifecycle1796190221331 implements MigrationInterface {
  name = 'Lifecycle1796190221331';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "member_lifecycle" ("member_id" integer PRIMARY KEY NOT NULL, "first_dn" integer, "last_dn" integer, "purchase_days" integer NOT NULL DEFAULT (0), "spend" bigint NOT NULL DEFAULT (0), "win_days" integer NOT NULL DEFAULT (0), "win_spend" bigint NOT NULL DEFAULT (0), "last_interaction_dn" integer, "low_frequency" boolean NOT NULL DEFAULT (0), "at_risk" boolean NOT NULL DEFAULT (0), "r" smallint, "f" smallint, "m" smallint, "segment" varchar(24), "version" integer NOT NULL DEFAULT (0))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_member_lifecycle_segment" ON "member_lifecycle" ("segment") `,
    );
    await queryRunner.query(
      `CREATE TABLE "lifecycle_state" ("id" integer PRIMARY KEY NOT NULL, "window_from_dn" integer NOT NULL, "interactions_dn" integer NOT NULL, "last_recompute_day" date, "last_recompute_at" datetime(3))`,
    );
    await queryRunner.query(
      `CREATE TABLE "lifecycle_transition" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "from_stage" varchar(16) NOT NULL, "to_stage" varchar(16) NOT NULL, "day" date NOT NULL, "cause" varchar(16) NOT NULL, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_lifecycle_transition_day" ON "lifecycle_transition" ("day") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_lifecycle_transition_member" ON "lifecycle_transition" ("member_id", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "lifecycle_snapshot" ("day" date NOT NULL, "stage" varchar(16) NOT NULL, "members" integer NOT NULL, PRIMARY KEY ("day", "stage"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "lifecycle_scratch" ("member_id" integer PRIMARY KEY NOT NULL, "stage_old" varchar(16) NOT NULL, "stage_new" varchar(16) NOT NULL, "r" smallint, "f" smallint, "m" smallint, "segment" varchar(24), "low_frequency" boolean NOT NULL, "at_risk" boolean NOT NULL, "at_risk_old" boolean NOT NULL, "version" integer NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "lifecycle_history_agg" ("member_id" integer PRIMARY KEY NOT NULL, "first_dn" integer, "last_dn" integer, "purchase_days" integer NOT NULL DEFAULT (0), "win_days" integer NOT NULL DEFAULT (0), "win_spend" bigint NOT NULL DEFAULT (0), "last_interaction_dn" integer)`,
    );
    await queryRunner.query(
      `CREATE TABLE "lifecycle_model" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "model" varchar(8) NOT NULL, "r" double NOT NULL, "alpha" double NOT NULL, "a" double NOT NULL, "b" double NOT NULL, "log_likelihood" double NOT NULL, "members" integer NOT NULL, "as_of" date NOT NULL, "fit_ms" integer NOT NULL, "fitted_at" datetime(6) NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_lifecycle_model_latest" ON "lifecycle_model" ("model", "id") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_lifecycle_model_latest"`);
    await queryRunner.query(`DROP TABLE "lifecycle_model"`);
    await queryRunner.query(`DROP TABLE "lifecycle_history_agg"`);
    await queryRunner.query(`DROP TABLE "lifecycle_scratch"`);
    await queryRunner.query(`DROP TABLE "lifecycle_snapshot"`);
    await queryRunner.query(`DROP INDEX "idx_lifecycle_transition_member"`);
    await queryRunner.query(`DROP INDEX "idx_lifecycle_transition_day"`);
    await queryRunner.query(`DROP TABLE "lifecycle_transition"`);
    await queryRunner.query(`DROP TABLE "lifecycle_state"`);
    await queryRunner.query(`DROP INDEX "idx_member_lifecycle_segment"`);
    await queryRunner.query(`DROP TABLE "member_lifecycle"`);
  }
}
