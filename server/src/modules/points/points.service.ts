import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PointsAccount } from './points-account.entity.js';

export interface Balances {
  balance: number;
  growth: number;
}

/** Balances of points and growth. Earning and spending (with the ledger) arrive in the points issue. */
@Injectable()
export class PointsService {
  constructor(private readonly dataSource: DataSource) {}

  async balances(memberId: number): Promise<Balances> {
    // Read on every card view: plain SQL, TypeORM's query building cost more than the query (docs/benchmarks.md).
    const rows: { balance: number; growth: number }[] = await this.dataSource.query('SELECT balance, growth FROM points_account WHERE member_id = ?', [memberId]);
    return { balance: Number(rows[0]?.balance ?? 0), growth: Number(rows[0]?.growth ?? 0) };
  }

  /** Folds one account into another when two member records are merged. */
  async merge(em: EntityManager, fromMemberId: number, toMemberId: number): Promise<void> {
    const from = await em.findOneBy(PointsAccount, { memberId: fromMemberId });
    if (!from || (from.balance === 0 && from.growth === 0)) {
      if (from) await em.delete(PointsAccount, { memberId: fromMemberId });
      return;
    }
    await em.createQueryBuilder().insert().into(PointsAccount).values({ memberId: toMemberId, balance: 0, growth: 0 }).orIgnore().execute();
    await em
      .createQueryBuilder()
      .update(PointsAccount)
      .set({ balance: () => `balance + ${from.balance}`, growth: () => `growth + ${from.growth}`, version: () => 'version + 1' })
      .where({ memberId: toMemberId })
      .execute();
    await em.delete(PointsAccount, { memberId: fromMemberId });
  }
}
