import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OrdersCoveringIndex1796191784361 implements MigrationInterface {
  name = 'OrdersCoveringIndex1796191784361';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_orders_member_paid"`);
    await queryRunner.query(
      `CREATE INDEX "idx_orders_member_paid" ON "orders" ("member_id", "paid_at", "amount", "refunded_amount") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_orders_member_paid"`);
    await queryRunner.query(
      `CREATE INDEX "idx_orders_member_paid" ON "orders" ("member_id", "paid_at") `,
    );
  }
}
