import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SharedLimitWindows1796584345816 implements MigrationInterface {
  name = 'SharedLimitWindows1796584345816';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`limit_window\` (\`limit_key\` varchar(191) NOT NULL, \`window_start\` bigint NOT NULL, \`hits\` int NOT NULL DEFAULT '0', \`expires_at\` bigint NOT NULL, INDEX \`idx_limit_window_expires\` (\`expires_at\`), PRIMARY KEY (\`limit_key\`, \`window_start\`)) ENGINE=InnoDB`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_limit_window_expires\` ON \`limit_window\``);
    await queryRunner.query(`DROP TABLE \`limit_window\``);
  }
}
