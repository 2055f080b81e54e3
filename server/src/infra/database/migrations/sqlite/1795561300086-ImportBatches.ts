import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ImportBatches1795561300086 implements MigrationInterface {
  name = 'ImportBatches1795561300086';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "import_batch" ("import_id" integer NOT NULL, "first_row" integer NOT NULL, "last_row" integer NOT NULL, PRIMARY KEY ("import_id", "first_row"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "import_batch"`);
  }
}
