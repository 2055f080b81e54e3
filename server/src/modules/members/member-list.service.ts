import { Inject, Injectable } from '@nestjs/common';
import { Brackets, DataSource, type SelectQueryBuilder } from 'typeorm';
import {
  addDays,
  csvCell,
  formatBrandDateTime,
  LIFECYCLE_STAGE_LABELS,
  maskPhone,
  MEMBER_STATUS_LABELS,
  startOfBrandDay,
  type memberSummary,
  type MemberListFilter,
} from '@huoyue/shared';
import type { z } from 'zod';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { sqlInstant } from '../../infra/database/bulk.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { PointsReports } from '../points/index.js';
import { StoresService } from '../staff/index.js';
import { Member } from './entities/member.entity.js';
import { TierService } from './tier.service.js';

type MemberSummary = z.output<typeof memberSummary>;

/** Rows per page of the streamed export: bounded memory at any size. */
const EXPORT_BATCH = 1000;

const EXPORT_HEADER = [
  '卡号',
  '昵称',
  '手机号',
  '会员等级',
  '生命周期阶段',
  '状态',
  '归属门店',
  '积分',
  '成长值',
  '生日',
  '入会时间',
  '首次访问时间',
];

/**
 * The staff member list: filters (tier, stage, status, home store, join dates), the search (card number, phone or
 * its last four digits, nickname containing the text), pages by number or cursor with the filtered total, and
 * the whole filtered list as a CSV in Chinese, streamed. Newest first; indexes (status|stage|tier|store, id)
 * serve each filter's order.
 */
@Injectable()
export class MemberListService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly points: PointsReports,
    private readonly tiers: TierService,
    private readonly stores: StoresService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async search(
    filter: MemberListFilter,
    paging: { limit: number; cursor?: string; page?: number },
  ): Promise<{ items: MemberSummary[]; nextCursor: string | null; total: number }> {
    const before = paging.cursor === undefined ? undefined : Number(paging.cursor);
    if (before !== undefined && (!Number.isInteger(before) || before <= 0))
      throw new DomainError('VALIDATION_FAILED', '分页游标无效');
    const qb = this.filtered(filter);
    const total = await qb.clone().getCount();
    if (before) qb.andWhere('m.id < :before', { before });
    if (paging.page) qb.skip((paging.page - 1) * paging.limit);
    const rows = await qb
      .orderBy('m.id', 'DESC')
      .take(paging.limit + 1)
      .getMany();
    const page = rows.slice(0, paging.limit);
    return {
      items: await this.summaries(page),
      nextCursor: rows.length > paging.limit ? String(page[page.length - 1]!.id) : null,
      total,
    };
  }

  /** The whole filtered list as CSV lines (header first), in id pages. */
  async *exportRows(filter: MemberListFilter): AsyncGenerator<string> {
    yield `\ufeff${EXPORT_HEADER.join(',')}\n`;
    const tz = this.config.brandTimezone;
    for (let before = Number.MAX_SAFE_INTEGER; ;) {
      const rows = await this.filtered(filter)
        .andWhere('m.id < :before', { before })
        .orderBy('m.id', 'DESC')
        .take(EXPORT_BATCH)
        .getMany();
      if (rows.length === 0) return;
      before = rows[rows.length - 1]!.id;
      const [balances, names] = await Promise.all([
        this.points.balancesOf(rows.map((m) => m.id)),
        this.stores.names(),
      ]);
      const lines: string[] = [];
      for (const m of rows) {
        const tier = await this.tiers.byCode(m.tierCode);
        const account = balances.get(m.id);
        const line = [
          m.cardNo,
          m.nickname,
          maskPhone(m.phone),
          tier?.name,
          LIFECYCLE_STAGE_LABELS[m.stage],
          MEMBER_STATUS_LABELS[m.status],
          m.homeStoreCode ? (names.get(m.homeStoreCode) ?? m.homeStoreCode) : '',
          account?.balance ?? 0,
          account?.growth ?? 0,
          m.birthday,
          formatBrandDateTime(m.joinedAt, tz),
          formatBrandDateTime(m.firstSeenAt, tz),
        ];
        lines.push(line.map(csvCell).join(','));
      }
      yield `${lines.join('\n')}\n`;
    }
  }

  async summaries(members: Member[]): Promise<MemberSummary[]> {
    const [balances, names] = await Promise.all([
      this.points.balancesOf(members.map((m) => m.id)),
      this.stores.names(),
    ]);
    return Promise.all(
      members.map(async (m) => {
        const tier = await this.tiers.byCode(m.tierCode);
        const store = m.homeStoreCode
          ? { code: m.homeStoreCode, name: names.get(m.homeStoreCode) ?? m.homeStoreCode }
          : null;
        return {
          id: m.id,
          cardNo: m.cardNo,
          nickname: m.nickname,
          phoneMasked: maskPhone(m.phone),
          stage: m.stage,
          status: m.status,
          tier: tier ? { code: tier.code, name: tier.name } : null,
          homeStore: store,
          points: balances.get(m.id)?.balance ?? 0,
          joinedAt: m.joinedAt?.toISOString() ?? null,
        };
      }),
    );
  }

  private filtered(filter: MemberListFilter): SelectQueryBuilder<Member> {
    const kind = this.config.database.kind;
    const tz = this.config.brandTimezone;
    const qb = this.dataSource.getRepository(Member).createQueryBuilder('m');
    qb.where('m.status IN (:...statuses)', {
      statuses: filter.status ? [filter.status] : ['member', 'visitor'],
    });
    if (filter.tier) qb.andWhere('m.tier_code = :tier', { tier: filter.tier });
    if (filter.stage) qb.andWhere('m.stage = :stage', { stage: filter.stage });
    if (filter.storeCode) qb.andWhere('m.home_store_code = :store', { store: filter.storeCode });
    if (filter.joinedFrom)
      qb.andWhere('m.joined_at >= :joinedFrom', {
        joinedFrom: sqlInstant(kind, startOfBrandDay(filter.joinedFrom, tz)),
      });
    if (filter.joinedTo)
      qb.andWhere('m.joined_at < :joinedTo', {
        joinedTo: sqlInstant(kind, startOfBrandDay(addDays(filter.joinedTo, 1), tz)),
      });
    const q = filter.query?.trim();
    if (q) qb.andWhere(searchCondition(q));
    return qb;
  }
}

/**
 * What a typed search finds: 12 digits a card number, 11 a phone number, 4 the last four digits of a phone; any
 * text a nickname containing it. `!` escapes LIKE's wildcards the same way on both databases.
 */
function searchCondition(q: string): Brackets {
  const contains = `%${q.replace(/[!%_]/g, (c) => `!${c}`)}%`;
  return new Brackets((w) => {
    w.where("m.nickname LIKE :contains ESCAPE '!'", { contains });
    if (/^\d{12}$/.test(q)) w.orWhere('m.card_no = :cardNo', { cardNo: q });
    if (/^1\d{10}$/.test(q)) w.orWhere('m.phone = :phone', { phone: q });
    if (/^\d{4}$/.test(q)) w.orWhere('m.phone LIKE :tail', { tail: `%${q}` });
  });
}
