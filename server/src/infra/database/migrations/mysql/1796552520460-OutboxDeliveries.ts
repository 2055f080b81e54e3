import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboxDeliveries1796552520460 implements MigrationInterface {
  name = 'OutboxDeliveries1796552520460';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`domain_event_delivery\` (\`event_id\` int NOT NULL, \`handler\` varchar(128) NOT NULL, \`attempts\` int NOT NULL DEFAULT '0', \`next_attempt_at\` datetime(3) NULL, \`claimed_until\` datetime(3) NULL, \`delivered_at\` datetime(3) NULL, \`last_error\` varchar(500) NULL, INDEX \`idx_domain_event_delivery_due\` (\`delivered_at\`, \`next_attempt_at\`), PRIMARY KEY (\`event_id\`, \`handler\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(`ALTER TABLE \`domain_event\` DROP COLUMN \`claimed_until\``);
    await queryRunner.query(`ALTER TABLE \`domain_event\` DROP COLUMN \`attempts\``);
    await queryRunner.query(`ALTER TABLE \`domain_event\` DROP COLUMN \`last_error\``);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`domain_event\` ADD \`last_error\` varchar(500) NULL`);
    await queryRunner.query(`ALTER TABLE \`domain_event\` ADD \`attempts\` int NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE \`domain_event\` ADD \`claimed_until\` datetime(3) NULL`);
    await queryRunner.query(
      `DROP INDEX \`idx_domain_event_delivery_due\` ON \`domain_event_delivery\``,
    );
    await queryRunner.query(`DROP TABLE \`domain_event_delivery\``);
  }
}
