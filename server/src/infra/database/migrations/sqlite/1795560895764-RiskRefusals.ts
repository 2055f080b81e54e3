import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RiskRefusals1795560895764 implements MigrationInterface {
  name = 'RiskRefusals1795560895764';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "risk_refusal" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "member_id" integer NOT NULL, "action" varchar(24) NOT NULL, "rank" integer NOT NULL, "client_ip" varchar(64), "at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "idx_risk_refusal_at" ON "risk_refusal" ("at") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_risk_refusal_at"`);
    await queryRunner.query(`DROP TABLE "risk_refusal"`);
  }
}
