import { Injectable, Logger } from '@nestjs/common';
import type { z } from 'zod';
import { DomainError } from '../../infra/http/domain-error.js';
import type { churnModel, memberLifecycleView } from '@huoyue/shared';
import {
  driftAgeModified,
  expectedPurchases,
  fit,
  pAliveModified,
  type BgNbdParams,
} from './bgnbd.js';
import type { LifecycleModel } from './lifecycle.entities.js';
import { dayNumber, dayOf } from './lifecycle-sql.js';
import { LifecycleReports } from './lifecycle-reports.service.js';
import { LifecycleService } from './lifecycle.service.js';
import { ModelStore, type ModelName } from './model-store.js';

type ModelView = z.output<typeof churnModel>;
type MemberLifecycleView = z.output<typeof memberLifecycleView>;

/** Fewer buyers than this and the fit says nothing useful: refused with a clear message instead. */
const MIN_BUYERS = 20;

/**
 * Churn prediction (流失预警): BG/NBD and MBG/NBD fitted by maximum likelihood on distinct purchase days, in days.
 * The fit runs on the distinct (x, t_x, T) triples with their counts, so memory grows with the triples, not the
 * members. Per member: P(alive) from MBG/NBD (BG/NBD would say 1 for every one-time buyer), expected purchases from
 * BG/NBD, and the drift date on which P(alive) falls below the brand's threshold without a new purchase.
 */
@Injectable()
export class ChurnService {
  private readonly logger = new Logger('Churn');

  constructor(
    private readonly lifecycle: LifecycleService,
    private readonly reports: LifecycleReports,
    private readonly store: ModelStore,
  ) {}

  async fit(asOfDay: string): Promise<{ bgnbd: ModelView; mbgnbd: ModelView }> {
    const data = await this.reports.fitData(asOfDay);
    const buyers = data.reduce((sum, c) => sum + c.n, 0);
    if (buyers < MIN_BUYERS)
      throw new DomainError(
        'BUSINESS_RULE',
        `截至 ${asOfDay} 有消费的会员只有 ${buyers} 位，至少需要 ${MIN_BUYERS} 位才能拟合流失模型`,
      );
    const rows: Omit<LifecycleModel, 'id' | 'fittedAt'>[] = [];
    for (const model of ['bgnbd', 'mbgnbd'] as const) {
      const started = Date.now();
      const result = fit(model, data);
      rows.push({
        model,
        r: result.r,
        alpha: result.alpha,
        a: result.a,
        b: result.b,
        logLikelihood: result.logLikelihood,
        members: buyers,
        asOf: asOfDay,
        fitMs: Date.now() - started,
      });
    }
    const [bg, mbg] = await this.store.save(rows);
    this.logger.log(
      { asOf: asOfDay, buyers, triples: data.length, bgnbd: rows[0], mbgnbd: rows[1] },
      'churn models fitted',
    );
    return { bgnbd: view(bg!), mbgnbd: view(mbg!) };
  }

  async latest(model: ModelName): Promise<ModelView> {
    const row = await this.store.latest(model);
    if (!row) throw new DomainError('NOT_FOUND', '还没有拟合过流失模型，请先运行一次拟合');
    return view(row);
  }

  /** Refits weekly (the scheduled job); answers 1 when it fitted. */
  async refitIfDue(now: Date): Promise<number> {
    const last = await this.store.latest('bgnbd');
    if (last && now.getTime() - last.fittedAt.getTime() < 7 * 86_400_000) return 0;
    try {
      await this.fit(this.lifecycle.today(now));
      return 1;
    } catch (err) {
      if (err instanceof DomainError) return 0; // too few buyers yet: try again next time
      throw err;
    }
  }

  /** The lifecycle part of the staff's member page, as of today. */
  async memberView(memberId: number): Promise<Omit<MemberLifecycleView, 'stage'>> {
    const [row, history, bg, mbg, settings] = await Promise.all([
      this.reports.memberRow(memberId),
      this.reports.history(memberId),
      this.store.latest('bgnbd'),
      this.store.latest('mbgnbd'),
      this.lifecycle.settings(),
    ]);
    const today = dayNumber(this.lifecycle.today());
    const bought = row && row.purchaseDays > 0 && row.firstDn !== null && row.lastDn !== null;
    const customer = bought
      ? {
          x: row.purchaseDays - 1,
          tx: row.lastDn! - row.firstDn!,
          T: Math.max(0, today - row.firstDn!),
        }
      : null;
    const round = (v: number) => Math.round(v * 10_000) / 10_000;
    const drift =
      customer && mbg
        ? row!.firstDn! +
          Math.ceil(driftAgeModified(params(mbg), customer, settings.atRiskThreshold) - 1e-9)
        : null;
    return {
      lowFrequency: Boolean(row?.lowFrequency),
      atRisk: Boolean(row?.atRisk),
      rfm:
        row && row.r !== null && row.f !== null && row.m !== null && row.segment
          ? { r: row.r, f: row.f, m: row.m, segment: row.segment }
          : null,
      pAlive: customer && mbg ? round(pAliveModified(params(mbg), customer)) : null,
      expectedPurchases30d:
        customer && bg ? round(expectedPurchases(params(bg), customer, 30)) : null,
      expectedPurchases90d:
        customer && bg ? round(expectedPurchases(params(bg), customer, 90)) : null,
      driftDate: drift === null ? null : dayOf(drift),
      firstPurchaseDate: bought ? dayOf(row.firstDn!) : null,
      lastPurchaseDate: bought ? dayOf(row.lastDn!) : null,
      purchaseDays: row?.purchaseDays ?? 0,
      stageHistory: history.map((h) => ({
        from: h.fromStage,
        to: h.toStage,
        day: String(h.day).slice(0, 10),
        at: h.createdAt.toISOString(),
        cause: h.cause,
      })),
    };
  }
}

const params = (m: LifecycleModel): BgNbdParams => ({ r: m.r, alpha: m.alpha, a: m.a, b: m.b });

function view(m: LifecycleModel): ModelView {
  return {
    model: m.model,
    r: m.r,
    alpha: m.alpha,
    a: m.a,
    b: m.b,
    timeUnit: 'day',
    logLikelihood: m.logLikelihood,
    members: m.members,
    asOf: String(m.asOf).slice(0, 10),
    fittedAt: m.fittedAt.toISOString(),
    fitMs: m.fitMs,
  };
}
