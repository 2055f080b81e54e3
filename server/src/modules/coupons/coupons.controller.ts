import { Body, Controller, Param, Query } from '@nestjs/common';
import { routes } from '@huoyue/shared';
import { CurrentMember, CurrentStaff } from '../../infra/auth/auth.guard.js';
import type { MemberPrincipal, StaffPrincipal } from '../../infra/auth/token.service.js';
import { Contract, type In } from '../../infra/http/contract.js';
import { CouponsService } from './coupons.service.js';

const r = routes.coupons;

@Controller()
export class CouponsController {
  constructor(private readonly coupons: CouponsService) {}

  @Contract(r.wallet)
  async wallet(@CurrentMember() me: MemberPrincipal, @Query() query: In<typeof r.wallet.query>) {
    return { items: await this.coupons.wallet(me.memberId, query.status) };
  }

  // Declared before :id so the literal segment wins.
  @Contract(r.center)
  async center(@CurrentMember() me: MemberPrincipal) {
    return { items: await this.coupons.center(me.memberId) };
  }

  @Contract(r.claim)
  claim(@CurrentMember() me: MemberPrincipal, @Body() body: In<typeof r.claim.body>) {
    return this.coupons.claim(me.memberId, body.templateId);
  }

  @Contract(r.detail)
  detail(@CurrentMember() me: MemberPrincipal, @Param() params: In<typeof r.detail.params>) {
    return this.coupons.mine(me.memberId, params.id);
  }

  @Contract(r.listTemplates)
  async templates() {
    return { items: await this.coupons.templates() };
  }

  @Contract(r.createTemplate)
  create(@CurrentStaff() staff: StaffPrincipal, @Body() body: In<typeof r.createTemplate.body>) {
    return this.coupons.createTemplate(staff, body);
  }

  @Contract(r.redeem)
  redeem(@CurrentStaff() staff: StaffPrincipal, @Body() body: In<typeof r.redeem.body>) {
    return this.coupons.redeem(staff, body);
  }

  @Contract(r.undo)
  undo(@CurrentStaff() staff: StaffPrincipal, @Body() body: In<typeof r.undo.body>) {
    return this.coupons.undo(staff, body.code);
  }
}
