import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MemberDays1796193900688 implements MigrationInterface {
  name = 'MemberDays1796193900688';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`member_day\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(40) NOT NULL, \`schedule\` text NOT NULL, \`start_time\` varchar(5) NOT NULL, \`end_time\` varchar(5) NOT NULL, \`audience\` text NOT NULL, \`benefits\` text NOT NULL, \`active\` tinyint NOT NULL DEFAULT 1, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`member_day_occurrence\` (\`id\` int NOT NULL AUTO_INCREMENT, \`member_day_id\` int NOT NULL, \`day\` date NOT NULL, \`starts_at\` datetime(3) NOT NULL, \`ends_at\` datetime(3) NOT NULL, \`status\` varchar(10) NOT NULL, INDEX \`idx_member_day_occurrence_due\` (\`status\`, \`starts_at\`), UNIQUE INDEX \`uq_member_day_occurrence\` (\`member_day_id\`, \`day\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`uq_member_day_occurrence\` ON \`member_day_occurrence\``);
    await queryRunner.query(
      `DROP INDEX \`idx_member_day_occurrence_due\` ON \`member_day_occurrence\``,
    );
    await queryRunner.query(`DROP TABLE \`member_day_occurrence\``);
    await queryRunner.query(`DROP TABLE \`member_day\``);
  }
}
