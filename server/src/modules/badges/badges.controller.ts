import { Body, Controller, Param } from '@nestjs/common';
import { routes } from '@huoyue/shared';
import { CurrentMember, CurrentStaff } from '../../infra/auth/auth.guard.js';
import type { MemberPrincipal, StaffPrincipal } from '../../infra/auth/token.service.js';
import { Contract, type In } from '../../infra/http/contract.js';
import { BadgesService } from './badges.service.js';

const r = routes.engagement;

@Controller()
export class BadgesController {
  constructor(private readonly badges: BadgesService) {}

  @Contract(r.memberBadges)
  memberBadges(@Param() params: In<typeof r.memberBadges.params>) {
    return this.badges.mine(params.id);
  }

  @Contract(r.myBadges)
  mine(@CurrentMember() me: MemberPrincipal) {
    return this.badges.mine(me.memberId);
  }

  @Contract(r.listBadges)
  async list() {
    return { items: (await this.badges.all()).map((b) => this.badges.toView(b)) };
  }

  @Contract(r.createBadge)
  create(@CurrentStaff() staff: StaffPrincipal, @Body() body: In<typeof r.createBadge.body>) {
    return this.badges.create(staff, body);
  }

  @Contract(r.updateBadge)
  update(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.updateBadge.params>,
    @Body() body: In<typeof r.updateBadge.body>,
  ) {
    return this.badges.update(staff, params.code, body);
  }

  @Contract(r.deleteBadge)
  async remove(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.deleteBadge.params>,
  ) {
    await this.badges.remove(staff, params.code);
    return { deleted: true as const };
  }

  @Contract(r.backfillBadge)
  async backfill(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.backfillBadge.params>,
  ) {
    return { awarded: await this.badges.backfill(staff, params.code) };
  }
}
