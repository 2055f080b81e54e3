import { Readable } from 'node:stream';
import { Controller, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { csvCell, routes } from '@huoyue/shared';
import { Contract, type In } from '../../../infra/http/contract.js';
import { PointsLiabilityService } from './liability.service.js';

const r = routes.liability;

const STATUS_TEXT = { projected: '已预测', too_young: '发放不足3个月', too_small: '发放积分过少' };
const line = (cells: unknown[]) => cells.map(csvCell).join(',') + '\n';

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
      yield (
        '\uFEFF' +
        line(['积分到期日历', `估值日 ${liability.asOf}`, `每积分成本 ${liability.costPerPoint}`])
      );
      yield line(['到期月份', '积分', '金额（元）']);
      for (const e of liability.byExpiry) yield line([e.month ?? '永不过期', e.points, e.value]);
      yield (
        '\n' +
        line([
          '发放批次',
          '发放积分',
          '已兑换',
          '已过期',
          '已扣回',
          '未使用',
          '观察月数',
          '状态',
          '预计最终兑换率',
          '预计将兑换',
          '预计沉淀',
        ])
      );
      for (const c of breakage.cohorts)
        yield line([
          c.month,
          c.issued,
          c.redeemed,
          c.expired,
          c.reversed,
          c.outstanding,
          c.age,
          STATUS_TEXT[c.status],
          c.ultimateRate ?? '',
          c.futureRedemption,
          c.expectedBreakage,
        ]);
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
