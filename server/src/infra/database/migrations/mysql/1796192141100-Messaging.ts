import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Messaging1796192141100 implements MigrationInterface {
  name = 'Messaging1796192141100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`message_template\` (\`id\` int NOT NULL AUTO_INCREMENT, \`code\` varchar(32) NOT NULL, \`name\` varchar(40) NOT NULL, \`channel\` varchar(16) NOT NULL, \`purpose\` varchar(16) NOT NULL, \`wechat_template_id\` varchar(64) NULL, \`fields\` text NOT NULL, \`sms_text\` varchar(300) NULL, \`page\` varchar(120) NULL, \`active\` tinyint NOT NULL DEFAULT 1, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`IDX_768307c76ffdff02a8a4a2562d\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`subscription_quota\` (\`member_id\` int NOT NULL, \`template_id\` varchar(64) NOT NULL, \`remaining\` int NOT NULL DEFAULT '0', \`banned\` tinyint NOT NULL DEFAULT 0, \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), PRIMARY KEY (\`member_id\`, \`template_id\`)) ENGINE=InnoDB`,
    );
    // TypeORM does not write CHECK constraints for MySQL; MySQL 8.0.16+ and MariaDB enforce them.
    await queryRunner.query(
      `ALTER TABLE \`subscription_quota\` ADD CONSTRAINT \`chk_subscription_quota_remaining\` CHECK (\`remaining\` >= 0)`,
    );
    await queryRunner.query(
      `CREATE TABLE \`message_preference\` (\`member_id\` int NOT NULL, \`reminders\` tinyint NOT NULL DEFAULT 1, \`marketing_sms\` tinyint NOT NULL DEFAULT 0, \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), PRIMARY KEY (\`member_id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`oa_follower\` (\`unionid\` varchar(64) NOT NULL, \`oa_openid\` varchar(64) NOT NULL, \`following\` tinyint NOT NULL DEFAULT 1, \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), PRIMARY KEY (\`unionid\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`message\` (\`id\` int NOT NULL AUTO_INCREMENT, \`member_id\` int NOT NULL, \`template_id\` int NOT NULL, \`fallback\` text NOT NULL, \`channel\` varchar(16) NOT NULL, \`purpose\` varchar(16) NOT NULL, \`automation_id\` int NULL, \`dedupe_key\` varchar(128) NOT NULL, \`status\` varchar(12) NOT NULL, \`reason\` varchar(64) NULL, \`variables\` text NULL, \`data\` text NULL, \`track_token\` varchar(24) NOT NULL, \`due_at\` datetime(3) NOT NULL, \`attempts\` int NOT NULL DEFAULT '0', \`claimed_until\` datetime(3) NULL, \`msgid\` varchar(32) NULL, \`sent_at\` datetime(3) NULL, \`opened_at\` datetime(3) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_message_automation\` (\`automation_id\`, \`status\`), INDEX \`idx_message_member_sent\` (\`member_id\`, \`sent_at\`), INDEX \`idx_message_due\` (\`status\`, \`due_at\`), UNIQUE INDEX \`IDX_7eb8a1fd555e17ae2c87240f2d\` (\`dedupe_key\`), UNIQUE INDEX \`IDX_8c4b903484a94192f6ea648c31\` (\`track_token\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`IDX_8c4b903484a94192f6ea648c31\` ON \`message\``);
    await queryRunner.query(`DROP INDEX \`IDX_7eb8a1fd555e17ae2c87240f2d\` ON \`message\``);
    await queryRunner.query(`DROP INDEX \`idx_message_due\` ON \`message\``);
    await queryRunner.query(`DROP INDEX \`idx_message_member_sent\` ON \`message\``);
    await queryRunner.query(`DROP INDEX \`idx_message_automation\` ON \`message\``);
    await queryRunner.query(`DROP TABLE \`message\``);
    await queryRunner.query(`DROP TABLE \`oa_follower\``);
    await queryRunner.query(`DROP TABLE \`message_preference\``);
    await queryRunner.query(
      `ALTER TABLE \`subscription_quota\` DROP CONSTRAINT \`chk_subscription_quota_remaining\``,
    );
    await queryRunner.query(`DROP TABLE \`subscription_quota\``);
    await queryRunner.query(
      `DROP INDEX \`IDX_768307c76ffdff02a8a4a2562d\` ON \`message_template\``,
    );
    await queryRunner.query(`DROP TABLE \`message_template\``);
  }
}
