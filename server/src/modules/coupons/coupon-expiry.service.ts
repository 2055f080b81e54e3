import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { Coupon } from './coupon.entity.js';

/** The coupon jobs: marking coupons past their end expired, and the notice a few days before. */
@Injectable()
export class CouponExpiryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
  ) {}

  /** Marks coupons past their end as expired (one set-based UPDATE). */
  async expire(asOf: Date): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(Coupon)
      .set({ status: 'expired' })
      .where("status = 'available' AND valid_to <= :asOf", { asOf })
      .execute();
    return result.affected ?? 0;
  }

  /** "Your coupon expires in N days": once per coupon, three days ahead (messaging turns it into a service message). */
  async expiryNotices(asOf: Date): Promise<number> {
    const until = new Date(asOf.getTime() + 3 * 86_400_000);
    const due = await this.dataSource
      .getRepository(Coupon)
      .createQueryBuilder('c')
      .where(
        "c.status = 'available' AND c.expiry_notice_sent = :no AND c.valid_to > :asOf AND c.valid_to <= :until",
        { no: false, asOf, until },
      )
      .limit(5000)
      .getMany();
    let sent = 0;
    for (const coupon of due) {
      await this.uow.run(async (tx) => {
        const claimed = await tx.em.update(
          Coupon,
          { id: coupon.id, expiryNoticeSent: false },
          { expiryNoticeSent: true },
        );
        if ((claimed.affected ?? 0) !== 1) return;
        await tx.publish('coupon.expiring', {
          memberId: coupon.memberId,
          couponId: coupon.id,
          templateId: coupon.templateId,
          validTo: coupon.validTo.toISOString(),
          at: asOf.toISOString(),
        });
        sent++;
      });
    }
    return sent;
  }
}
