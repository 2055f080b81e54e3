import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type riskRefusalView, riskRules } from '@huoyue/shared';
import type { z } from 'zod';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { SettingsService } from '../../infra/settings/settings.service.js';
import { WechatGateway } from '../../infra/wechat/wechat.gateway.js';
import { MemberDirectory } from '../members/member-directory.module.js';
import { AuditService } from '../staff/index.js';
import { RiskRefusal } from './risk-refusal.entity.js';

export type RiskRules = z.output<typeof riskRules>;
export const RISK_RULES_KEY = 'risk.rules';
const DEFAULT_RISK_RULES: RiskRules = { enabled: false, maxRank: 2 };

/**
 * Coupon farmers (羊毛党) claim with many accounts. When the brand turns it on, claims and redemptions first ask
 * WeChat's user risk rank (scene 1, marketing) and refuse ranks above the threshold with 403 RISK_REJECTED, logged.
 * When WeChat cannot answer, the member is served (fail open) and a warning is logged: an outage of a risk signal
 * should not close the shop.
 */
@Injectable()
export class RiskService {
  private readonly logger = new Logger('Risk');

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly settings: SettingsService,
    private readonly wechat: WechatGateway,
    private readonly members: MemberDirectory,
    private readonly audit: AuditService,
  ) {}

  rules(): Promise<RiskRules> {
    return this.settings.get(RISK_RULES_KEY, riskRules, DEFAULT_RISK_RULES);
  }

  setRules(actor: StaffPrincipal, value: RiskRules): Promise<RiskRules> {
    return this.uow.run(async (tx) => {
      const before = await this.settings.get(RISK_RULES_KEY, riskRules, DEFAULT_RISK_RULES, tx);
      const after = await this.settings.set(tx, RISK_RULES_KEY, riskRules, value);
      await this.audit.record(tx, actor, {
        action: 'risk.rules.update',
        entityType: 'setting',
        entityId: RISK_RULES_KEY,
        before,
        after,
      });
      return after;
    });
  }

  async assertAcceptable(
    memberId: number,
    action: 'coupon_claim' | 'mall_redeem',
    clientIp: string | null,
  ): Promise<void> {
    const rules = await this.rules();
    if (!rules.enabled) return;
    const profile = await this.members.profile(memberId);
    if (!profile?.openid) return; // offline members have no WeChat identity to rank
    let rank: number;
    try {
      rank = await this.wechat.getUserRiskRank({
        openid: profile.openid,
        scene: 1,
        clientIp: clientIp ?? '127.0.0.1',
      });
    } catch (err) {
      this.logger.warn({ err, memberId, action }, 'risk rank unavailable; serving the member');
      return;
    }
    if (rank <= rules.maxRank) return;
    await this.dataSource
      .getRepository(RiskRefusal)
      .insert({ memberId, action, rank, clientIp, at: new Date() });
    throw new DomainError('RISK_REJECTED', '当前账号存在风险，暂时无法参与此活动');
  }

  async refusals(): Promise<z.output<typeof riskRefusalView>[]> {
    const rows = await this.dataSource
      .getRepository(RiskRefusal)
      .find({ order: { id: 'DESC' }, take: 100 });
    return rows.map((r) => ({
      id: r.id,
      memberId: r.memberId,
      action: r.action,
      rank: r.rank,
      clientIp: r.clientIp,
      at: r.at.toISOString(),
    }));
  }
}
