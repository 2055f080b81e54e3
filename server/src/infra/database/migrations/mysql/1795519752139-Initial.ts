import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795519752139 implements MigrationInterface {
  name = 'Initial1795519752139';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`domain_event\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(64) NOT NULL, \`payload\` text NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`dispatched_at\` datetime(3) NULL, \`claimed_until\` datetime(3) NULL, \`attempts\` int NOT NULL DEFAULT '0', \`last_error\` varchar(500) NULL, INDEX \`idx_domain_event_pending\` (\`dispatched_at\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`wechat_access_token\` (\`app_id\` varchar(32) NOT NULL, \`token\` varchar(600) NOT NULL, \`expires_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, PRIMARY KEY (\`app_id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`engagement_event\` (\`id\` int NOT NULL AUTO_INCREMENT, \`member_id\` int NOT NULL, \`type\` varchar(32) NOT NULL, \`occurred_at\` datetime(3) NOT NULL, \`day\` date NOT NULL, \`properties\` text NULL, \`source_ref\` varchar(96) NULL, UNIQUE INDEX \`uq_engagement_source\` (\`type\`, \`source_ref\`), INDEX \`idx_engagement_day_type\` (\`day\`, \`type\`), INDEX \`idx_engagement_member_type_time\` (\`member_id\`, \`type\`, \`occurred_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`member\` (\`id\` int NOT NULL AUTO_INCREMENT, \`openid\` varchar(64) NULL, \`unionid\` varchar(64) NULL, \`card_no\` varchar(20) NULL, \`nickname\` varchar(32) NULL, \`phone\` varchar(20) NULL, \`birthday\` date NULL, \`external_ref\` varchar(64) NULL, \`stage\` varchar(16) NOT NULL, \`status\` varchar(16) NOT NULL, \`source\` varchar(16) NOT NULL DEFAULT 'wechat', \`tier_code\` varchar(32) NULL, \`merged_into_id\` int NULL, \`first_seen_at\` datetime(3) NOT NULL, \`joined_at\` datetime(3) NULL, \`closed_at\` datetime(3) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`idx_member_unionid\` (\`unionid\`), INDEX \`idx_member_nickname\` (\`nickname\`), UNIQUE INDEX \`IDX_4ec74c39ff606987e53d7e6057\` (\`openid\`), UNIQUE INDEX \`IDX_a6fe08f75c6920d9cf38eea000\` (\`card_no\`), UNIQUE INDEX \`IDX_d73619f5e63108e8d57e8e1859\` (\`phone\`), UNIQUE INDEX \`IDX_7b97b0865b5d67f116af58a3b6\` (\`external_ref\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`tier\` (\`id\` int NOT NULL AUTO_INCREMENT, \`code\` varchar(32) NOT NULL, \`name\` varchar(32) NOT NULL, \`rank\` int NOT NULL DEFAULT '0', \`growth_threshold\` int NOT NULL DEFAULT '0', \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`IDX_3434223fbdc9d4744482d2986d\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`points_account\` (\`member_id\` int NOT NULL, \`balance\` int NOT NULL DEFAULT '0', \`growth\` int NOT NULL DEFAULT '0', \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`version\` int NOT NULL DEFAULT '0', PRIMARY KEY (\`member_id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`audit_log\` (\`id\` int NOT NULL AUTO_INCREMENT, \`staff_id\` int NULL, \`staff_username\` varchar(32) NULL, \`action\` varchar(64) NOT NULL, \`entity_type\` varchar(32) NOT NULL, \`entity_id\` varchar(64) NULL, \`before_json\` text NULL, \`after_json\` text NULL, \`at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_audit_entity\` (\`entity_type\`, \`entity_id\`), INDEX \`idx_audit_staff_at\` (\`staff_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`staff\` (\`id\` int NOT NULL AUTO_INCREMENT, \`username\` varchar(32) NOT NULL, \`password_hash\` varchar(255) NOT NULL, \`display_name\` varchar(32) NULL, \`role\` varchar(16) NOT NULL, \`store_code\` varchar(32) NULL, \`active\` tinyint NOT NULL DEFAULT 1, \`last_login_at\` datetime(3) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`IDX_35aafb5ad218f3ff1ff70e281e\` (\`username\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`store\` (\`id\` int NOT NULL AUTO_INCREMENT, \`code\` varchar(32) NOT NULL, \`name\` varchar(64) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`IDX_40c711bd10299557bc2bc49720\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    // Added by hand: TypeORM's MySQL driver skips @Check, and a balance must never go negative.
    await queryRunner.query(
      `ALTER TABLE \`points_account\` ADD CONSTRAINT \`chk_points_account_balance\` CHECK (\`balance\` >= 0)`,
    );
    await queryRunner.query(
      `ALTER TABLE \`points_account\` ADD CONSTRAINT \`chk_points_account_growth\` CHECK (\`growth\` >= 0)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`IDX_40c711bd10299557bc2bc49720\` ON \`store\``);
    await queryRunner.query(`DROP TABLE \`store\``);
    await queryRunner.query(`DROP INDEX \`IDX_35aafb5ad218f3ff1ff70e281e\` ON \`staff\``);
    await queryRunner.query(`DROP TABLE \`staff\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_staff_at\` ON \`audit_log\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_entity\` ON \`audit_log\``);
    await queryRunner.query(`DROP TABLE \`audit_log\``);
    await queryRunner.query(`DROP TABLE \`points_account\``);
    await queryRunner.query(`DROP INDEX \`IDX_3434223fbdc9d4744482d2986d\` ON \`tier\``);
    await queryRunner.query(`DROP TABLE \`tier\``);
    await queryRunner.query(`DROP INDEX \`IDX_7b97b0865b5d67f116af58a3b6\` ON \`member\``);
    await queryRunner.query(`DROP INDEX \`IDX_d73619f5e63108e8d57e8e1859\` ON \`member\``);
    await queryRunner.query(`DROP INDEX \`IDX_a6fe08f75c6920d9cf38eea000\` ON \`member\``);
    await queryRunner.query(`DROP INDEX \`IDX_4ec74c39ff606987e53d7e6057\` ON \`member\``);
    await queryRunner.query(`DROP INDEX \`idx_member_nickname\` ON \`member\``);
    await queryRunner.query(`DROP INDEX \`idx_member_unionid\` ON \`member\``);
    await queryRunner.query(`DROP TABLE \`member\``);
    await queryRunner.query(
      `DROP INDEX \`idx_engagement_member_type_time\` ON \`engagement_event\``,
    );
    await queryRunner.query(`DROP INDEX \`idx_engagement_day_type\` ON \`engagement_event\``);
    await queryRunner.query(`DROP INDEX \`uq_engagement_source\` ON \`engagement_event\``);
    await queryRunner.query(`DROP TABLE \`engagement_event\``);
    await queryRunner.query(`DROP TABLE \`wechat_access_token\``);
    await queryRunner.query(`DROP INDEX \`idx_domain_event_pending\` ON \`domain_event\``);
    await queryRunner.query(`DROP TABLE \`domain_event\``);
  }
}
