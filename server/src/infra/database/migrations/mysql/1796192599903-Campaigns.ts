import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Campaigns1796192599903 implements MigrationInterface {
  name = 'Campaigns1796192599903';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`automation\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(40) NOT NULL, \`playbook\` varchar(32) NULL, \`trigger\` text NOT NULL, \`conditions\` text NOT NULL, \`actions\` text NOT NULL, \`dedupe_days\` int NOT NULL, \`control_percent\` int NOT NULL, \`conversion\` text NOT NULL, \`active\` tinyint NOT NULL DEFAULT 1, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`automation_enrollment\` (\`id\` int NOT NULL AUTO_INCREMENT, \`automation_id\` int NOT NULL, \`member_id\` int NOT NULL, \`grp\` varchar(10) NOT NULL, \`window_key\` int NOT NULL, \`enrolled_at\` datetime(3) NOT NULL, \`converted_at\` datetime(3) NULL, \`error\` varchar(120) NULL, INDEX \`idx_enrollment_member_open\` (\`member_id\`, \`converted_at\`), UNIQUE INDEX \`uq_enrollment_window\` (\`automation_id\`, \`member_id\`, \`window_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`uq_enrollment_window\` ON \`automation_enrollment\``);
    await queryRunner.query(
      `DROP INDEX \`idx_enrollment_member_open\` ON \`automation_enrollment\``,
    );
    await queryRunner.query(`DROP TABLE \`automation_enrollment\``);
    await queryRunner.query(`DROP TABLE \`automation\``);
  }
}
