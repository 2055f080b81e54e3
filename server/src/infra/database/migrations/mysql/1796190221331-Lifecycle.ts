import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Lifecycle1796190221331 implements MigrationInterface {
  name = 'Lifecycle1796190221331';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`member_lifecycle\` (\`member_id\` int NOT NULL, \`first_dn\` int NULL, \`last_dn\` int NULL, \`purchase_days\` int NOT NULL DEFAULT '0', \`spend\` bigint NOT NULL DEFAULT '0', \`win_days\` int NOT NULL DEFAULT '0', \`win_spend\` bigint NOT NULL DEFAULT '0', \`last_interaction_dn\` int NULL, \`low_frequency\` tinyint NOT NULL DEFAULT 0, \`at_risk\` tinyint NOT NULL DEFAULT 0, \`r\` smallint NULL, \`f\` smallint NULL, \`m\` smallint NULL, \`segment\` varchar(24) NULL, \`version\` int NOT NULL DEFAULT '0', INDEX \`idx_member_lifecycle_segment\` (\`segment\`), PRIMARY KEY (\`member_id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`lifecycle_state\` (\`id\` int NOT NULL, \`window_from_dn\` int NOT NULL, \`interactions_dn\` int NOT NULL, \`last_recompute_day\` date NULL, \`last_recompute_at\` datetime(3) NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`lifecycle_transition\` (\`id\` int NOT NULL AUTO_INCREMENT, \`member_id\` int NOT NULL, \`from_stage\` varchar(16) NOT NULL, \`to_stage\` varchar(16) NOT NULL, \`day\` date NOT NULL, \`cause\` varchar(16) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_lifecycle_transition_day\` (\`day\`), INDEX \`idx_lifecycle_transition_member\` (\`member_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`lifecycle_snapshot\` (\`day\` date NOT NULL, \`stage\` varchar(16) NOT NULL, \`members\` int NOT NULL, PRIMARY KEY (\`day\`, \`stage\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`lifecycle_scratch\` (\`member_id\` int NOT NULL, \`stage_old\` varchar(16) NOT NULL, \`stage_new\` varchar(16) NOT NULL, \`r\` smallint NULL, \`f\` smallint NULL, \`m\` smallint NULL, \`segment\` varchar(24) NULL, \`low_frequency\` tinyint NOT NULL, \`at_risk\` tinyint NOT NULL, \`at_risk_old\` tinyint NOT NULL, \`version\` int NOT NULL, PRIMARY KEY (\`member_id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`lifecycle_history_agg\` (\`member_id\` int NOT NULL, \`first_dn\` int NULL, \`last_dn\` int NULL, \`purchase_days\` int NOT NULL DEFAULT '0', \`win_days\` int NOT NULL DEFAULT '0', \`win_spend\` bigint NOT NULL DEFAULT '0', \`last_interaction_dn\` int NULL, PRIMARY KEY (\`member_id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`lifecycle_model\` (\`id\` int NOT NULL AUTO_INCREMENT, \`model\` varchar(8) NOT NULL, \`r\` double NOT NULL, \`alpha\` double NOT NULL, \`a\` double NOT NULL, \`b\` double NOT NULL, \`log_likelihood\` double NOT NULL, \`members\` int NOT NULL, \`as_of\` date NOT NULL, \`fit_ms\` int NOT NULL, \`fitted_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_lifecycle_model_latest\` (\`model\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_lifecycle_model_latest\` ON \`lifecycle_model\``);
    await queryRunner.query(`DROP TABLE \`lifecycle_model\``);
    await queryRunner.query(`DROP TABLE \`lifecycle_history_agg\``);
    await queryRunner.query(`DROP TABLE \`lifecycle_scratch\``);
    await queryRunner.query(`DROP TABLE \`lifecycle_snapshot\``);
    await queryRunner.query(
      `DROP INDEX \`idx_lifecycle_transition_member\` ON \`lifecycle_transition\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_lifecycle_transition_day\` ON \`lifecycle_transition\``,
    );
    await queryRunner.query(`DROP TABLE \`lifecycle_transition\``);
    await queryRunner.query(`DROP TABLE \`lifecycle_state\``);
    await queryRunner.query(`DROP INDEX \`idx_member_lifecycle_segment\` ON \`member_lifecycle\``);
    await queryRunner.query(`DROP TABLE \`member_lifecycle\``);
  }
}
