import { Body, Controller, Param, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { routes } from '@huoyue/shared';
import { CurrentMember, CurrentStaff } from '../../infra/auth/auth.guard.js';
import type { MemberPrincipal, StaffPrincipal } from '../../infra/auth/token.service.js';
import { Contract, type In } from '../../infra/http/contract.js';
import { type CheckinOutcome, CheckinsService } from './checkins.service.js';

const r = routes.engagement;

@Controller()
export class CheckinsController {
  constructor(private readonly checkins: CheckinsService) {}

  @Contract(r.checkin)
  async checkIn(
    @CurrentMember() me: MemberPrincipal,
    @Req() req: FastifyRequest,
    @Body() body: In<typeof r.checkin.body>,
  ) {
    const outcome = await this.checkins.checkIn(me.memberId, {
      ip: req.ip ?? null,
      deviceId: body.deviceId ?? null,
    });
    return this.result(outcome);
  }

  @Contract(r.makeup)
  async makeup(@CurrentMember() me: MemberPrincipal, @Body() body: In<typeof r.makeup.body>) {
    const outcome = await this.checkins.makeup(me.memberId, body.date);
    return this.result(outcome);
  }

  @Contract(r.checkinMonth)
  month(@CurrentMember() me: MemberPrincipal, @Query() query: In<typeof r.checkinMonth.query>) {
    return this.checkins.month(me.memberId, query.month);
  }

  @Contract(r.reminder)
  async reminder(@CurrentMember() me: MemberPrincipal, @Body() body: In<typeof r.reminder.body>) {
    return { enabled: await this.checkins.setReminder(me.memberId, body.enabled) };
  }

  @Contract(r.getCheckinRules)
  rules() {
    return this.checkins.rules();
  }

  @Contract(r.putCheckinRules)
  setRules(@CurrentStaff() staff: StaffPrincipal, @Body() body: In<typeof r.putCheckinRules.body>) {
    return this.checkins.setRules(staff, body);
  }

  @Contract(r.grantMakeupCards)
  async grant(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.grantMakeupCards.params>,
    @Body() body: In<typeof r.grantMakeupCards.body>,
  ) {
    return { cards: await this.checkins.grantCards(staff, params.id, body.count, body.reason) };
  }

  private result({ checkin, badges }: CheckinOutcome) {
    return {
      date: checkin.day,
      streak: checkin.streak,
      cycleDay: checkin.cycleDay,
      points: checkin.points,
      badges,
    };
  }
}
