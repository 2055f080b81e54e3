import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import type { deskLookupResult } from '@huoyue/shared';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { CouponWalletService } from '../coupons/index.js';
import { VouchersService } from '../mall/index.js';
import { MemberLookupService, memberRef } from '../members/index.js';
import { deskStore, StoresService } from '../staff/index.js';

type DeskLookup = z.output<typeof deskLookupResult>;

/** Coupon and voucher codes: 8-32 letters and digits (ours are 16 from an alphabet without look-alikes). */
const TICKET_CODE = /^[A-Za-z0-9]{8,32}$/;

const UNRECOGNISED = '无法识别：请扫描会员码或券码，或输入 12 位会员卡号、11 位手机号';

/**
 * The clerk desk: a scanned or typed code is first looked up and shown (a coupon with its face, threshold, validity
 * and holder; a voucher with its item and holder; a member with tier and points), verifying is a second step. The
 * coupons and mall modules verify, each once.
 */
@Injectable()
export class DeskService {
  constructor(
    private readonly coupons: CouponWalletService,
    private readonly vouchers: VouchersService,
    private readonly members: MemberLookupService,
    private readonly stores: StoresService,
  ) {}

  async lookup(actor: StaffPrincipal, raw: string, storeCode?: string): Promise<DeskLookup> {
    const code = raw.replace(/\s+/g, '');
    const ref = memberRef(code);
    if (ref) return this.members.find(ref);
    if (/^\d+$/.test(code) || !TICKET_CODE.test(code))
      throw new DomainError('VALIDATION_FAILED', UNRECOGNISED, { field: 'code' });
    const store = await deskStore(this.stores, actor, storeCode);
    const found =
      (await this.coupons.lookup(code, store)) ?? (await this.vouchers.lookup(code, store));
    if (!found) throw new DomainError('NOT_FOUND', '未找到该券码，请核对后重试');
    return found;
  }
}
