import { Body, Controller, Param, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { routes } from '@huoyue/shared';
import { CurrentMember, CurrentStaff } from '../../infra/auth/auth.guard.js';
import type { MemberPrincipal, StaffPrincipal } from '../../infra/auth/token.service.js';
import { Contract, type In } from '../../infra/http/contract.js';
import { RiskService } from '../coupons/index.js';
import { MallService } from './mall.service.js';
import { MallCatalogueService } from './mall-catalogue.service.js';
import { VouchersService } from './vouchers.service.js';
import { RedemptionsService } from './redemptions.service.js';

const r = routes.mall;

@Controller()
export class MallController {
  constructor(
    private readonly mall: MallService,
    private readonly redemptionService: RedemptionsService,
    private readonly risk: RiskService,
    private readonly catalogue: MallCatalogueService,
    private readonly vouchers: VouchersService,
  ) {}

  @Contract(r.items)
  async items(@CurrentMember() me: MemberPrincipal) {
    return { items: await this.mall.onSale(new Date(), me.memberId) };
  }

  @Contract(r.item)
  item(@CurrentMember() me: MemberPrincipal, @Param() params: In<typeof r.item.params>) {
    return this.mall.item(params.id, me.memberId);
  }

  @Contract(r.redeem)
  async redeem(
    @CurrentMember() me: MemberPrincipal,
    @Req() req: FastifyRequest,
    @Param() params: In<typeof r.redeem.params>,
    @Body() body: In<typeof r.redeem.body>,
  ) {
    await this.risk.assertAcceptable(me.memberId, 'mall_redeem', req.ip ?? null);
    return this.mall.redeem(me.memberId, params.id, body);
  }

  @Contract(r.mine)
  mine(@CurrentMember() me: MemberPrincipal, @Query() query: In<typeof r.mine.query>) {
    return this.redemptionService.mine(me.memberId, query.limit, query.cursor);
  }

  @Contract(r.redemption)
  redemption(
    @CurrentMember() me: MemberPrincipal,
    @Param() params: In<typeof r.redemption.params>,
  ) {
    return this.redemptionService.mineOne(me.memberId, params.id);
  }

  @Contract(r.redemptions)
  redemptions(@Query() query: In<typeof r.redemptions.query>) {
    return this.redemptionService.list(query.status, query.limit, query.cursor);
  }

  @Contract(r.listItems)
  async all(@Query() query: In<typeof r.listItems.query>) {
    return { items: await this.catalogue.list(query.status) };
  }

  @Contract(r.createItem)
  create(@CurrentStaff() staff: StaffPrincipal, @Body() body: In<typeof r.createItem.body>) {
    return this.catalogue.create(staff, body);
  }

  @Contract(r.deleteItem)
  remove(@CurrentStaff() staff: StaffPrincipal, @Param() params: In<typeof r.deleteItem.params>) {
    return this.catalogue.remove(staff, params.id);
  }

  @Contract(r.redeemVoucher)
  redeemVoucher(
    @CurrentStaff() staff: StaffPrincipal,
    @Body() body: In<typeof r.redeemVoucher.body>,
  ) {
    return this.vouchers.redeem(staff, body);
  }

  @Contract(r.updateItem)
  update(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.updateItem.params>,
    @Body() body: In<typeof r.updateItem.body>,
  ) {
    return this.catalogue.update(staff, params.id, body);
  }

  @Contract(r.ship)
  ship(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.ship.params>,
    @Body() body: In<typeof r.ship.body>,
  ) {
    return this.redemptionService.ship(staff, params.id, body.trackingNo);
  }

  @Contract(r.deliver)
  deliver(@CurrentStaff() staff: StaffPrincipal, @Param() params: In<typeof r.deliver.params>) {
    return this.redemptionService.deliver(staff, params.id);
  }

  @Contract(r.cancel)
  cancel(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.cancel.params>,
    @Body() body: In<typeof r.cancel.body>,
  ) {
    return this.redemptionService.cancel(staff, params.id, body.reason);
  }
}
