import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LimitCounters1796548670788 implements MigrationInterface {
  name = 'LimitCounters1796548670788';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "checkin_limit" ("scope" varchar(16) NOT NULL, "subject" varchar(64) NOT NULL, "period" varchar(10) NOT NULL, "used" integer NOT NULL DEFAULT (0), PRIMARY KEY ("scope", "subject", "period"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "checkin_limit"`);
  }
}
