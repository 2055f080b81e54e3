import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Issue17ConsoleAndMembership1796542905664 implements MigrationInterface {
  name = 'Issue17ConsoleAndMembership1796542905664';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`store\` ADD \`address\` varchar(128) NULL`);
    await queryRunner.query(`ALTER TABLE \`store\` ADD \`active\` tinyint NOT NULL DEFAULT 1`);
    await queryRunner.query(`ALTER TABLE \`member\` ADD \`avatar\` text NULL`);
    await queryRunner.query(`ALTER TABLE \`member\` ADD \`home_store_code\` varchar(32) NULL`);
    await queryRunner.query(`CREATE INDEX \`idx_member_joined_at\` ON \`member\` (\`joined_at\`)`);
    await queryRunner.query(
      `CREATE INDEX \`idx_member_home_store_id\` ON \`member\` (\`home_store_code\`, \`id\`)`,
    );
    await queryRunner.query(
      `CREATE INDEX \`idx_member_tier_id\` ON \`member\` (\`tier_code\`, \`id\`)`,
    );
    await queryRunner.query(
      `CREATE INDEX \`idx_member_stage_id\` ON \`member\` (\`stage\`, \`id\`)`,
    );
    await queryRunner.query(
      `CREATE INDEX \`idx_member_status_id\` ON \`member\` (\`status\`, \`id\`)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_member_status_id\` ON \`member\``);
    await queryRunner.query(`DROP INDEX \`idx_member_stage_id\` ON \`member\``);
    await queryRunner.query(`DROP INDEX \`idx_member_tier_id\` ON \`member\``);
    await queryRunner.query(`DROP INDEX \`idx_member_home_store_id\` ON \`member\``);
    await queryRunner.query(`DROP INDEX \`idx_member_joined_at\` ON \`member\``);
    await queryRunner.query(`ALTER TABLE \`member\` DROP COLUMN \`home_store_code\``);
    await queryRunner.query(`ALTER TABLE \`member\` DROP COLUMN \`avatar\``);
    await queryRunner.query(`ALTER TABLE \`store\` DROP COLUMN \`active\``);
    await queryRunner.query(`ALTER TABLE \`store\` DROP COLUMN \`address\``);
  }
}
