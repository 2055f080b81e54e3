import { Controller, Logger, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { routes } from '@huoyue/shared';
import { CurrentMember } from '../../infra/auth/auth.guard.js';
import type { MemberPrincipal } from '../../infra/auth/token.service.js';
import { Contract, type In } from '../../infra/http/contract.js';
import { PaymentGateway, PayNotificationError } from './payment.gateway.js';
import { PaymentMismatch, RedemptionSettlement } from './redemption-settlement.js';

const r = routes.mall;

/** Paying for points + cash: the member's two calls, and WeChat Pay's notifications. */
@Controller()
export class PaymentsController {
  private readonly logger = new Logger('Payments');

  constructor(
    private readonly settlement: RedemptionSettlement,
    private readonly payments: PaymentGateway,
  ) {}

  @Contract(r.payment)
  payment(@CurrentMember() me: MemberPrincipal, @Param() params: In<typeof r.payment.params>) {
    return this.settlement.paymentFor(me.memberId, params.id);
  }

  @Contract(r.pay)
  pay(@CurrentMember() me: MemberPrincipal, @Param() params: In<typeof r.pay.params>) {
    return this.settlement.confirm(me.memberId, params.id);
  }

  /**
   * WeChat Pay's documented answer: 2xx once handled (a duplicate too: it changes nothing); otherwise 4xx/5xx with
   * {code: FAIL, message}, and WeChat Pay sends it again later. A notification that does not verify is refused
   * before its body is parsed.
   */
  @Contract(r.wechatPayNotify)
  async wechatPayNotify(
    @Req() req: FastifyRequest & { rawBody?: Buffer },
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const fail = (status: number, message: string) => {
      void reply.status(status);
      return { code: 'FAIL' as const, message };
    };
    let notification;
    try {
      notification = this.payments.open(req.headers, req.rawBody ?? Buffer.alloc(0));
    } catch (err) {
      if (!(err instanceof PayNotificationError)) throw err;
      this.logger.warn(`notification refused: ${err.refusal}`);
      return fail(err.refusal === 'body' || err.refusal === 'algorithm' ? 400 : 401, '验签失败');
    }
    try {
      await this.settlement.notified(notification);
    } catch (err) {
      if (!(err instanceof PaymentMismatch)) throw err;
      this.logger.error(
        `notification ${notification.id} does not match its redemption: ${err.message}`,
      );
      return fail(400, '订单信息不符');
    }
    return null;
  }
}
