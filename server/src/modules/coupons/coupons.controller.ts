import { Body, Controller, Param, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { routes } from '@huoyue/shared';
import { CurrentMember, CurrentStaff } from '../../infra/auth/auth.guard.js';
import type { MemberPrincipal, StaffPrincipal } from '../../infra/auth/token.service.js';
import { Contract, type In } from '../../infra/http/contract.js';
import { CouponTemplatesService } from './coupon-templates.service.js';
import { CouponWalletService } from './coupon-wallet.service.js';
import { CouponsService } from './coupons.service.js';
import { RiskService } from './risk.service.js';

const r = routes.coupons;

@Controller()
export class CouponsController {
  constructor(
    private readonly coupons: CouponsService,
    private readonly templateAdmin: CouponTemplatesService,
    private readonly wallets: CouponWalletService,
    private readonly risk: RiskService,
  ) {}

  @Contract(r.memberCoupons)
  async memberCoupons(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.memberCoupons.params>,
    @Query() query: In<typeof r.memberCoupons.query>,
  ) {
    // Least read for clerks: coupon codes only of the member standing at the desk
    // (docs/security.md, "Who may read what").
    if (staff.role === 'clerk') await this.wallets.assertPresent(params.id, query.cardCode);
    return { items: await this.wallets.wallet(params.id, query.status) };
  }

  @Contract(r.wallet)
  async wallet(@CurrentMember() me: MemberPrincipal, @Query() query: In<typeof r.wallet.query>) {
    return { items: await this.wallets.wallet(me.memberId, query.status) };
  }

  // Declared before :id so the literal segment wins.
  @Contract(r.center)
  async center(@CurrentMember() me: MemberPrincipal) {
    return { items: await this.coupons.center(me.memberId) };
  }

  @Contract(r.claim)
  async claim(
    @CurrentMember() me: MemberPrincipal,
    @Req() req: FastifyRequest,
    @Body() body: In<typeof r.claim.body>,
  ) {
    await this.risk.assertAcceptable(me.memberId, 'coupon_claim', req.ip ?? null);
    return this.coupons.claim(me.memberId, body.templateId);
  }

  @Contract(r.detail)
  detail(@CurrentMember() me: MemberPrincipal, @Param() params: In<typeof r.detail.params>) {
    return this.wallets.mine(me.memberId, params.id);
  }

  @Contract(r.listTemplates)
  async templates(@Query() query: In<typeof r.listTemplates.query>) {
    return { items: await this.templateAdmin.list(query) };
  }

  @Contract(r.createTemplate)
  create(@CurrentStaff() staff: StaffPrincipal, @Body() body: In<typeof r.createTemplate.body>) {
    return this.templateAdmin.create(staff, body);
  }

  @Contract(r.deleteTemplate)
  remove(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.deleteTemplate.params>,
  ) {
    return this.templateAdmin.remove(staff, params.id);
  }

  @Contract(r.updateTemplate)
  update(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.updateTemplate.params>,
    @Body() body: In<typeof r.updateTemplate.body>,
  ) {
    return this.templateAdmin.update(staff, params.id, body);
  }

  @Contract(r.redeem)
  redeem(@CurrentStaff() staff: StaffPrincipal, @Body() body: In<typeof r.redeem.body>) {
    return this.wallets.redeem(staff, body);
  }

  @Contract(r.getRiskRules)
  riskRules() {
    return this.risk.rules();
  }

  @Contract(r.putRiskRules)
  setRiskRules(
    @CurrentStaff() staff: StaffPrincipal,
    @Body() body: In<typeof r.putRiskRules.body>,
  ) {
    return this.risk.setRules(staff, body);
  }

  @Contract(r.riskRefusals)
  async refusals() {
    return { items: await this.risk.refusals() };
  }

  @Contract(r.undo)
  undo(@CurrentStaff() staff: StaffPrincipal, @Body() body: In<typeof r.undo.body>) {
    return this.wallets.undo(staff, body.code);
  }
}
