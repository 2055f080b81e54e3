import { Readable } from 'node:stream';
import { Controller, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { csvCell, routes } from '@huoyue/shared';
import { Contract, type In } from '../../../infra/http/contract.js';
import { PointsLiabilityService } from './liability.service.js';

const r = routes.liability;

const STATUS_TEXT = { projected: '已预测', too_young: '发放不足3个月', too_small: '发放积分过少' };
const line = (cells: unknown[]) => cells.map(csvCell).join(',') + '\n';

type Cohort = Awaited<ReturnType<PointsLiabilityService['breakageView']>>['cohorts'][number];

/** The cohort table of the CSV: title and value of each column. */
const COHORT_COLUMNS: [string, (c: Cohort) => unknown][] = [
  ['发放批次', (c) => c.month],
  ['发放积分', (c) => c.issued],
  ['已兑换', (c) => c.redeemed],
  ['已过期', (c) => c.expired],
  ['已扣回', (c) => c.reversed],
  ['未使用', (c) => c.outstanding],
  ['观察月数', (c) => c.age],
  ['状态', (c) => STATUS_TEXT[c.status]],
  ['预计最终兑换率', (c) => c.ultimateRate ?? ''],
  ['预计将兑换', (c) => c.futureRedemption],
  ['预计沉淀', (c) => c.expectedBreakage],
];

@Controller()
export class PointsLiabilityController {
  constructor(private readonly liability: PointsLiabilityService) {}

  @Contract(r.liability)
  get(@Query() query: In<typeof r.liability.query>) {
    return this.liability.liability(query.asOf);
  }

  @Contract(r.breakage)
  breakage(@Query() query: In<typeof r.breakage.query>) {
    return this.liability.breakageView(query.asOf);
  }

  @Contract(r.export)
  async export(@Query() query: In<typeof r.export.query>, @Res() reply: FastifyReply) {
    // Validate before the headers go out: a bad day answers 400 in the error shape, not a broken download.
    this.liability.valuation(query.asOf);
    const [liability, breakage] = await Promise.all([
      this.liability.liability(query.asOf),
      this.liability.breakageView(query.asOf),
    ]);
    async function* rows() {
      const head = `估值日 ${liability.asOf},每积分成本 ${liability.costPerPoint}`;
      yield `\uFEFF积分到期日历,${head}\n${line(['到期月份', '积分', '金额（元）'])}`;
      for (const e of liability.byExpiry) yield line([e.month ?? '永不过期', e.points, e.value]);
      yield '\n' + line(COHORT_COLUMNS.map(([title]) => title));
      for (const c of breakage.cohorts) yield line(COHORT_COLUMNS.map(([, value]) => value(c)));
    }
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="points-liability-${liability.asOf}.csv"`,
      )
      .send(Readable.from(rows()));
  }
}
