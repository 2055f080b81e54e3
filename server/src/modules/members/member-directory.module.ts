import { Global, Injectable, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { LifecycleStage } from '@huoyue/shared';
import { MemberStatusChecker } from '../../infra/auth/auth.guard.js';
import type { Tx } from '../../infra/events/unit-of-work.js';
import { placeholders } from '../../infra/database/bulk.js';
import { MemberDirectory, type MemberContact, type MemberProfile } from './member-directory.js';
import { MemberSessionStatus } from './member-session-status.js';
import { CardCodeService } from './card-code.service.js';

export { MemberDirectory, type MemberContact, type MemberProfile };

/** SQLite hands back datetimes as UTC text without a zone; MySQL (timezone Z) as Date. */
const utcInstant = (v: Date | string): Date =>
  v instanceof Date ? v : new Date(v.includes('T') ? v : `${v.replace(' ', 'T')}Z`);

/** The members module's answer to "who is this member?", for modules that must not read the member table. */
@Injectable()
export class MemberTableDirectory extends MemberDirectory {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cardCodes: CardCodeService,
  ) {
    super();
  }

  async byCardCode(code: string): Promise<number | null> {
    const cardNo = this.cardCodes.verify(code);
    if (!cardNo) return null;
    const [row] = (await this.dataSource.query(
      `SELECT id FROM member WHERE card_no = ? AND status = 'member'`,
      [cardNo],
    )) as { id: number }[];
    return row ? Number(row.id) : null;
  }

  async contacts(memberIds: number[]): Promise<Map<number, MemberContact>> {
    if (memberIds.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT id, card_no, nickname, phone FROM member WHERE id IN (${memberIds.map(() => '?').join(', ')})`,
      memberIds,
    )) as { id: number; card_no: string | null; nickname: string | null; phone: string | null }[];
    return new Map(
      rows.map((r) => [Number(r.id), { cardNo: r.card_no, nickname: r.nickname, phone: r.phone }]),
    );
  }

  async withBirthdayOn(monthDays: string[]): Promise<number[]> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM member
       WHERE status = 'member' AND SUBSTR(birthday, 6, 5) IN (${monthDays.map(() => '?').join(', ')})`,
      monthDays,
    )) as { id: number }[];
    return rows.map((r) => Number(r.id));
  }

  async earningStandings(
    memberIds: number[],
    tx?: Tx,
  ): Promise<Map<number, 'none' | 'blocked' | 'ok'>> {
    const standings = new Map<number, 'none' | 'blocked' | 'ok'>(
      memberIds.map((id) => [id, 'none']),
    );
    if (memberIds.length === 0) return standings;
    const rows = (await (tx?.em ?? this.dataSource.manager).query(
      `SELECT id, status, earning_blocked FROM member WHERE id IN (${placeholders(memberIds.length)})`,
      memberIds,
    )) as { id: number | string; status: string; earning_blocked: number | boolean }[];
    for (const r of rows) {
      if (r.status !== 'member') continue;
      standings.set(Number(r.id), Number(r.earning_blocked) ? 'blocked' : 'ok');
    }
    return standings;
  }

  async profile(memberId: number, tx?: Tx): Promise<MemberProfile | null> {
    return (await this.profiles([memberId], tx)).get(memberId) ?? null;
  }

  async profiles(memberIds: number[], tx?: Tx): Promise<Map<number, MemberProfile>> {
    if (memberIds.length === 0) return new Map();
    const ids = [...new Set(memberIds)];
    const rows = (await (tx?.em ?? this.dataSource.manager).query(
      `SELECT id, status, tier_code, stage, earning_blocked, openid, unionid, phone, nickname, card_no,
       joined_at FROM member WHERE id IN (${placeholders(ids.length)})`,
      ids,
    )) as ProfileRow[];
    return new Map(rows.map((row) => [Number(row.id), toProfile(row)]));
  }
}

interface ProfileRow {
  id: number | string;
  status: string;
  tier_code: string | null;
  stage: LifecycleStage;
  earning_blocked: number | boolean;
  openid: string | null;
  unionid: string | null;
  phone: string | null;
  nickname: string | null;
  card_no: string | null;
  joined_at: Date | string | null;
}

const toProfile = (row: ProfileRow): MemberProfile => ({
  status: row.status,
  tierCode: row.tier_code,
  stage: row.stage,
  blocked: Boolean(Number(row.earning_blocked)),
  openid: row.openid,
  unionid: row.unionid,
  phone: row.phone,
  nickname: row.nickname,
  cardNo: row.card_no,
  joinedAt: row.joined_at === null ? null : utcInstant(row.joined_at),
});

/**
 * Global and dependency-free, so the points module can ask without importing the members module (which imports
 * it), and the auth guard can ask whether a member's tokens still count.
 */
@Global()
@Module({
  providers: [
    CardCodeService,
    { provide: MemberDirectory, useClass: MemberTableDirectory },
    MemberSessionStatus,
    { provide: MemberStatusChecker, useExisting: MemberSessionStatus },
  ],
  exports: [MemberDirectory, MemberSessionStatus, MemberStatusChecker],
})
export class MemberDirectoryModule {}
