import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PortableClaims1796584607837 implements MigrationInterface {
  name = 'PortableClaims1796584607837';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_domain_event_pending"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_domain_event" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(64) NOT NULL, "payload" text NOT NULL, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "dispatched_at" datetime(3), "batch" varchar(24))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_domain_event"("id", "name", "payload", "created_at", "dispatched_at") SELECT "id", "name", "payload", "created_at", "dispatched_at" FROM "domain_event"`,
    );
    await queryRunner.query(`DROP TABLE "domain_event"`);
    await queryRunner.query(`ALTER TABLE "temporary_domain_event" RENAME TO "domain_event"`);
    await queryRunner.query(
      `CREATE INDEX "idx_domain_event_pending" ON "domain_event" ("dispatched_at", "id") `,
    );
    await queryRunner.query(`DROP INDEX "idx_message_automation"`);
    await queryRunner.query(`DROP INDEX "idx_message_member_sent"`);
    await queryRunner.query(`DROP INDEX "idx_message_due"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_message" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "template_id" integer NOT NULL, "fallback" text NOT NULL, "channel" varchar(16) NOT NULL, "purpose" varchar(16) NOT NULL, "automation_id" integer, "dedupe_key" varchar(128) NOT NULL, "status" varchar(12) NOT NULL, "reason" varchar(64), "variables" text, "data" text, "track_token" varchar(24) NOT NULL, "due_at" datetime(3) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "claimed_until" datetime(3), "msgid" varchar(32), "sent_at" datetime(3), "opened_at" datetime(3), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "credit_template_id" varchar(64), "claim_token" varchar(24), CONSTRAINT "UQ_7eb8a1fd555e17ae2c87240f2df" UNIQUE ("dedupe_key"), CONSTRAINT "UQ_8c4b903484a94192f6ea648c318" UNIQUE ("track_token"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_message"("id", "member_id", "template_id", "fallback", "channel", "purpose", "automation_id", "dedupe_key", "status", "reason", "variables", "data", "track_token", "due_at", "attempts", "claimed_until", "msgid", "sent_at", "opened_at", "created_at", "credit_template_id") SELECT "id", "member_id", "template_id", "fallback", "channel", "purpose", "automation_id", "dedupe_key", "status", "reason", "variables", "data", "track_token", "due_at", "attempts", "claimed_until", "msgid", "sent_at", "opened_at", "created_at", "credit_template_id" FROM "message"`,
    );
    await queryRunner.query(`DROP TABLE "message"`);
    await queryRunner.query(`ALTER TABLE "temporary_message" RENAME TO "message"`);
    await queryRunner.query(
      `CREATE INDEX "idx_message_automation" ON "message" ("automation_id", "status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_message_member_sent" ON "message" ("member_id", "sent_at") `,
    );
    await queryRunner.query(`CREATE INDEX "idx_message_due" ON "message" ("status", "due_at") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_message_due"`);
    await queryRunner.query(`DROP INDEX "idx_message_member_sent"`);
    await queryRunner.query(`DROP INDEX "idx_message_automation"`);
    await queryRunner.query(`ALTER TABLE "message" RENAME TO "temporary_message"`);
    await queryRunner.query(
      `CREATE TABLE "message" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "template_id" integer NOT NULL, "fallback" text NOT NULL, "channel" varchar(16) NOT NULL, "purpose" varchar(16) NOT NULL, "automation_id" integer, "dedupe_key" varchar(128) NOT NULL, "status" varchar(12) NOT NULL, "reason" varchar(64), "variables" text, "data" text, "track_token" varchar(24) NOT NULL, "due_at" datetime(3) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "claimed_until" datetime(3), "msgid" varchar(32), "sent_at" datetime(3), "opened_at" datetime(3), "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "credit_template_id" varchar(64), CONSTRAINT "UQ_7eb8a1fd555e17ae2c87240f2df" UNIQUE ("dedupe_key"), CONSTRAINT "UQ_8c4b903484a94192f6ea648c318" UNIQUE ("track_token"))`,
    );
    await queryRunner.query(
      `INSERT INTO "message"("id", "member_id", "template_id", "fallback", "channel", "purpose", "automation_id", "dedupe_key", "status", "reason", "variables", "data", "track_token", "due_at", "attempts", "claimed_until", "msgid", "sent_at", "opened_at", "created_at", "credit_template_id") SELECT "id", "member_id", "template_id", "fallback", "channel", "purpose", "automation_id", "dedupe_key", "status", "reason", "variables", "data", "track_token", "due_at", "attempts", "claimed_until", "msgid", "sent_at", "opened_at", "created_at", "credit_template_id" FROM "temporary_message"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_message"`);
    await queryRunner.query(`CREATE INDEX "idx_message_due" ON "message" ("status", "due_at") `);
    await queryRunner.query(
      `CREATE INDEX "idx_message_member_sent" ON "message" ("member_id", "sent_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_message_automation" ON "message" ("automation_id", "status") `,
    );
    await queryRunner.query(`DROP INDEX "idx_domain_event_pending"`);
    await queryRunner.query(`ALTER TABLE "domain_event" RENAME TO "temporary_domain_event"`);
    await queryRunner.query(
      `CREATE TABLE "domain_event" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(64) NOT NULL, "payload" text NOT NULL, "created_at" datetime(6) NOT NULL DEFAULT (datetime('now')), "dispatched_at" datetime(3))`,
    );
    await queryRunner.query(
      `INSERT INTO "domain_event"("id", "name", "payload", "created_at", "dispatched_at") SELECT "id", "name", "payload", "created_at", "dispatched_at" FROM "temporary_domain_event"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_domain_event"`);
    await queryRunner.query(
      `CREATE INDEX "idx_domain_event_pending" ON "domain_event" ("dispatched_at", "id") `,
    );
  }
}
