import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Imports1795556645099 implements MigrationInterface {
  name = 'Imports1795556645099';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`import_job\` (\`id\` int NOT NULL AUTO_INCREMENT, \`kind\` varchar(16) NOT NULL, \`status\` varchar(16) NOT NULL, \`credit_points\` tinyint NOT NULL DEFAULT 0, \`file_path\` varchar(500) NOT NULL, \`file_bytes\` bigint NOT NULL DEFAULT '0', \`rows_done\` int NOT NULL DEFAULT '0', \`rows_imported\` int NOT NULL DEFAULT '0', \`rows_skipped\` int NOT NULL DEFAULT '0', \`rows_rejected\` int NOT NULL DEFAULT '0', \`owner\` varchar(64) NULL, \`heartbeat_at\` datetime(3) NULL, \`error\` varchar(500) NULL, \`created_by\` int NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`finished_at\` datetime(3) NULL, INDEX \`idx_import_job_status\` (\`status\`, \`heartbeat_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`import_rejection\` (\`id\` int NOT NULL AUTO_INCREMENT, \`import_id\` int NOT NULL, \`row_no\` int NOT NULL, \`reason\` varchar(200) NOT NULL, \`line\` varchar(500) NOT NULL, INDEX \`idx_import_rejection_job\` (\`import_id\`, \`row_no\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_import_rejection_job\` ON \`import_rejection\``);
    await queryRunner.query(`DROP TABLE \`import_rejection\``);
    await queryRunner.query(`DROP INDEX \`idx_import_job_status\` ON \`import_job\``);
    await queryRunner.query(`DROP TABLE \`import_job\``);
  }
}
