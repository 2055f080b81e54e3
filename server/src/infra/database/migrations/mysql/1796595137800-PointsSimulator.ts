import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PointsSimulator1796595137800 implements MigrationInterface {
  name = 'PointsSimulator1796595137800';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`points_simulation\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(60) NOT NULL, \`status\` varchar(16) NOT NULL, \`progress\` int NOT NULL DEFAULT '0', \`window_from\` varchar(10) NOT NULL, \`window_to\` varchar(10) NOT NULL, \`proposal\` text NULL, \`result\` text NULL, \`error\` varchar(500) NULL, \`owner\` varchar(64) NULL, \`heartbeat_at\` datetime(3) NULL, \`created_by\` int NULL, \`created_by_name\` varchar(64) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`finished_at\` datetime(3) NULL, \`applied_at\` datetime(3) NULL, INDEX \`idx_points_simulation_status\` (\`status\`, \`heartbeat_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`points_simulation_tier_span\` (\`id\` int NOT NULL AUTO_INCREMENT, \`run_id\` int NOT NULL, \`member_id\` int NOT NULL, \`tier_code\` varchar(32) NULL, \`prev_tier\` varchar(32) NULL, \`valid_from\` datetime(3) NULL, \`settled_at\` datetime(3) NULL, \`valid_to\` datetime(3) NULL, INDEX \`idx_points_simulation_tier_span\` (\`run_id\`, \`member_id\`, \`valid_from\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`points_simulation_window\` (\`id\` int NOT NULL AUTO_INCREMENT, \`run_id\` int NOT NULL, \`member_day_id\` int NOT NULL, \`starts_at\` datetime(3) NOT NULL, \`ends_at\` datetime(3) NOT NULL, \`tier_code\` varchar(32) NULL, \`stage\` varchar(16) NULL, \`defined_at\` datetime(3) NOT NULL, \`actual_multiplier\` double NOT NULL, \`simulated_multiplier\` double NOT NULL, INDEX \`idx_points_simulation_window\` (\`run_id\`, \`starts_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP INDEX \`idx_points_simulation_window\` ON \`points_simulation_window\``,
    );
    await queryRunner.query(`DROP TABLE \`points_simulation_window\``);
    await queryRunner.query(
      `DROP INDEX \`idx_points_simulation_tier_span\` ON \`points_simulation_tier_span\``,
    );
    await queryRunner.query(`DROP TABLE \`points_simulation_tier_span\``);
    await queryRunner.query(`DROP INDEX \`idx_points_simulation_status\` ON \`points_simulation\``);
    await queryRunner.query(`DROP TABLE \`points_simulation\``);
  }
}
