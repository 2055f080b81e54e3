import { Body, Controller, Param, Query } from '@nestjs/common';
import { routes } from '@huoyue/shared';
import { CurrentMember, CurrentStaff } from '../../infra/auth/auth.guard.js';
import type { MemberPrincipal, StaffPrincipal } from '../../infra/auth/token.service.js';
import { Contract, type In } from '../../infra/http/contract.js';
import { MallService } from './mall.service.js';

const r = routes.mall;

@Controller()
export class MallController {
  constructor(private readonly mall: MallService) {}

  @Contract(r.items)
  async items() {
    return { items: await this.mall.onSale() };
  }

  @Contract(r.item)
  item(@Param() params: In<typeof r.item.params>) {
    return this.mall.item(params.id);
  }

  @Contract(r.redeem)
  redeem(@CurrentMember() me: MemberPrincipal, @Param() params: In<typeof r.redeem.params>, @Body() body: In<typeof r.redeem.body>) {
    return this.mall.redeem(me.memberId, params.id, body);
  }

  @Contract(r.pay)
  pay(@CurrentMember() me: MemberPrincipal, @Param() params: In<typeof r.pay.params>) {
    return this.mall.confirmPayment(me.memberId, params.id);
  }

  @Contract(r.mine)
  mine(@CurrentMember() me: MemberPrincipal, @Query() query: In<typeof r.mine.query>) {
    return this.mall.mine(me.memberId, query.limit, query.cursor);
  }

  @Contract(r.listItems)
  async all() {
    return { items: await this.mall.allItems() };
  }

  @Contract(r.createItem)
  create(@CurrentStaff() staff: StaffPrincipal, @Body() body: In<typeof r.createItem.body>) {
    return this.mall.createItem(staff, body);
  }

  @Contract(r.ship)
  ship(@CurrentStaff() staff: StaffPrincipal, @Param() params: In<typeof r.ship.params>, @Body() body: In<typeof r.ship.body>) {
    return this.mall.ship(staff, params.id, body.trackingNo);
  }

  @Contract(r.cancel)
  cancel(@CurrentStaff() staff: StaffPrincipal, @Param() params: In<typeof r.cancel.params>, @Body() body: In<typeof r.cancel.body>) {
    return this.mall.cancel(staff, params.id, body.reason);
  }
}
