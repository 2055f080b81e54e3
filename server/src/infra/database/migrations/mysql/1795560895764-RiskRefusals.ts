import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RiskRefusals1795560895764 implements MigrationInterface {
  name = 'RiskRefusals1795560895764';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`risk_refusal\` (\`id\` int NOT NULL AUTO_INCREMENT, \`member_id\` int NOT NULL, \`action\` varchar(24) NOT NULL, \`rank\` int NOT NULL, \`client_ip\` varchar(64) NULL, \`at\` datetime(3) NOT NULL, INDEX \`idx_risk_refusal_at\` (\`at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_risk_refusal_at\` ON \`risk_refusal\``);
    await queryRunner.query(`DROP TABLE \`risk_refusal\``);
  }
}
