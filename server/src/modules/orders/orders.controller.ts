import { Body, Controller, Param } from '@nestjs/common';
import { routes } from '@huoyue/shared';
import { CurrentActor } from '../../infra/auth/auth.guard.js';
import type { Actor } from '../../infra/auth/token.service.js';
import { Contract, type In } from '../../infra/http/contract.js';
import { OrdersService } from './orders.service.js';

const r = routes.points;

@Controller()
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Contract(r.createOrder)
  create(@CurrentActor() actor: Actor, @Body() body: In<typeof r.createOrder.body>) {
    return this.orders.record(body, actor);
  }

  @Contract(r.getOrder)
  get(@Param() params: In<typeof r.getOrder.params>) {
    return this.orders.get(params.orderNo);
  }

  @Contract(r.refund)
  refund(
    @CurrentActor() actor: Actor,
    @Param() params: In<typeof r.refund.params>,
    @Body() body: In<typeof r.refund.body>,
  ) {
    return this.orders.refund(params.orderNo, body, actor);
  }
}
