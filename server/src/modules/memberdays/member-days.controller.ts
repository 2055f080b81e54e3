import { Body, Controller, Param, Query } from '@nestjs/common';
import { routes } from '@huoyue/shared';
import { CurrentMember, CurrentStaff } from '../../infra/auth/auth.guard.js';
import type { MemberPrincipal, StaffPrincipal } from '../../infra/auth/token.service.js';
import { Contract, type In } from '../../infra/http/contract.js';
import { MemberDayReports } from './member-day-report.js';
import { MemberDaysService } from './member-days.service.js';

const r = routes.memberDays;

@Controller()
export class MemberDaysController {
  constructor(
    private readonly days: MemberDaysService,
    private readonly reports: MemberDayReports,
  ) {}

  @Contract(r.current)
  async current(@CurrentMember() me: MemberPrincipal) {
    return { current: await this.days.current(me.memberId) };
  }

  @Contract(r.next)
  async next(@CurrentMember() me: MemberPrincipal) {
    return { next: await this.days.next(me.memberId) };
  }

  @Contract(r.list)
  async list() {
    return { items: await this.days.list() };
  }

  @Contract(r.create)
  create(@CurrentStaff() staff: StaffPrincipal, @Body() body: In<typeof r.create.body>) {
    return this.days.save(staff, body);
  }

  @Contract(r.update)
  update(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.update.params>,
    @Body() body: In<typeof r.update.body>,
  ) {
    return this.days.save(staff, body, params.id);
  }

  @Contract(r.setActive)
  setActive(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.setActive.params>,
    @Body() body: In<typeof r.setActive.body>,
  ) {
    return this.days.setActive(staff, params.id, body.active);
  }

  @Contract(r.remove)
  async remove(@CurrentStaff() staff: StaffPrincipal, @Param() params: In<typeof r.remove.params>) {
    await this.days.remove(staff, params.id);
    return { deleted: true as const };
  }

  @Contract(r.preview)
  async preview(
    @Param() params: In<typeof r.preview.params>,
    @Query() query: In<typeof r.preview.query>,
  ) {
    return { items: await this.days.preview(params.id, query.count) };
  }

  @Contract(r.occurrences)
  async occurrences(@Param() params: In<typeof r.occurrences.params>) {
    return { items: await this.days.occurrences(params.id) };
  }

  @Contract(r.report)
  report(@Param() params: In<typeof r.report.params>) {
    return this.reports.report(params.id);
  }
}
