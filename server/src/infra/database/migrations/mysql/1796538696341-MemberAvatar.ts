import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MemberAvatar1796538696341 implements MigrationInterface {
  name = 'MemberAvatar1796538696341';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`member\` ADD \`avatar\` text NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`member\` DROP COLUMN \`avatar\``);
  }
}
