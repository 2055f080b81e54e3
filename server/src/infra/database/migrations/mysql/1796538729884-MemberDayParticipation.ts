import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MemberDayParticipation1796538729884 implements MigrationInterface {
  name = 'MemberDayParticipation1796538729884';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`member_day_participation\` (\`id\` int NOT NULL AUTO_INCREMENT, \`member_day_id\` int NOT NULL, \`day\` date NOT NULL, \`member_id\` int NOT NULL, \`via\` varchar(16) NOT NULL, \`first_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_member_day_participation\` (\`member_day_id\`, \`day\`, \`member_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP INDEX \`uq_member_day_participation\` ON \`member_day_participation\``,
    );
    await queryRunner.query(`DROP TABLE \`member_day_participation\``);
  }
}
