import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboxDeliveries1796552520460 implements MigrationInterface {
  name = 'OutboxDeliveries1796552520460';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "domain_event_delivery" ("event_id" integer NOT NULL, "handler" varchar(128) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "next_attempt_at" datetime(3), "claimed_until" datetime(3), "delivered_at" datetime(3), "last_error" varchar(500), PRIMARY KEY ("event_id", "handler"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_domain_event_delivery_due" ON "domain_event_delivery" ("delivered_at", "next_attempt_at") `,
    );
    await queryRunner.query(`DROP INDEX "idx_domain_event_pending"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_domain_event" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(64) NOT NULL, "payload" text NOT NULL, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "dispatched_at" datetime(3))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_domain_event"("id", "name", "payload", "created_at", "dispatched_at") SELECT "id", "name", "payload", "created_at", "dispatched_at" FROM "domain_event"`,
    );
    await queryRunner.query(`DROP TABLE "domain_event"`);
    await queryRunner.query(`ALTER TABLE "temporary_domain_event" RENAME TO "domain_event"`);
    await queryRunner.query(
      `CREATE INDEX "idx_domain_event_pending" ON "domain_event" ("dispatched_at", "id") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_domain_event_pending"`);
    await queryRunner.query(`ALTER TABLE "domain_event" RENAME TO "temporary_domain_event"`);
    await queryRunner.query(
      `CREATE TABLE "domain_event" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(64) NOT NULL, "payload" text NOT NULL, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "dispatched_at" datetime(3), "claimed_until" datetime(3), "attempts" integer NOT NULL DEFAULT (0), "last_error" varchar(500))`,
    );
    await queryRunner.query(
      `INSERT INTO "domain_event"("id", "name", "payload", "created_at", "dispatched_at") SELECT "id", "name", "payload", "created_at", "dispatched_at" FROM "temporary_domain_event"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_domain_event"`);
    await queryRunner.query(
      `CREATE INDEX "idx_domain_event_pending" ON "domain_event" ("dispatched_at", "id") `,
    );
    await queryRunner.query(`DROP INDEX "idx_domain_event_delivery_due"`);
    await queryRunner.query(`DROP TABLE "domain_event_delivery"`);
  }
}
