import type { LedgerType, RouteOutput, routes } from '@huoyue/shared';

type LedgerEntry = RouteOutput<typeof routes.points.ledger>['items'][number];

const TYPE_LABELS: Record<LedgerType, string> = {
  earn: '消费得积分',
  spend: '积分兑换',
  expire: '积分过期',
  refund: '退款退回',
  adjust: '积分调整',
  reward: '活动奖励',
  clawback: '退款扣回',
  import: '门店积分导入',
};

const SOURCE_LABELS: Record<string, string> = {
  checkin: '签到奖励',
  badge: '勋章奖励',
  automation: '会员关怀礼',
  mall: '积分商城兑换',
  order: '消费得积分',
  staff: '客服调整',
  tier: '等级礼遇',
  welcome: '开卡礼',
};

/** One line of the points history in the member's words. */
export function ledgerLabel(e: Pick<LedgerEntry, 'type' | 'sourceType' | 'reason'>): string {
  if (e.type === 'expire') return TYPE_LABELS.expire;
  if (e.sourceType === 'mall' && e.type === 'refund') return '兑换取消，积分退回';
  const base =
    e.type === 'reward' || e.type === 'earn' || e.type === 'spend'
      ? (SOURCE_LABELS[e.sourceType] ?? TYPE_LABELS[e.type])
      : TYPE_LABELS[e.type];
  return e.type === 'adjust' && e.reason ? `${base}（${e.reason}）` : base;
}
