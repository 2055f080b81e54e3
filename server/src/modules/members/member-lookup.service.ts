import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { type deskMember, maskPhone } from '@huoyue/shared';
import { DomainError } from '../../infra/http/domain-error.js';
import { PointsService } from '../points/index.js';
import { CardCodeService } from './card-code.service.js';
import { Member } from './entities/member.entity.js';
import { TierService } from './tier.service.js';

type DeskMember = z.output<typeof deskMember>;

/** What a clerk typed or scanned that may name a member, told apart by its digits. */
export type MemberRef =
  | { by: 'card_code'; value: string }
  | { by: 'card_no'; value: string }
  | { by: 'phone'; value: string };

/** 18 digits: the rotating card code; 12: the printed card number; 11 starting 1[3-9]: a mainland mobile number. */
export function memberRef(code: string): MemberRef | null {
  if (/^\d{18}$/.test(code)) return { by: 'card_code', value: code };
  if (/^\d{12}$/.test(code)) return { by: 'card_no', value: code };
  if (/^1[3-9]\d{9}$/.test(code)) return { by: 'phone', value: code };
  return null;
}

/**
 * The clerk desk's "who is this?": a member by the rotating card code on their phone, the card number printed on a
 * card, or their phone number, each with a message that says what was not found (an unknown number is not "expired").
 */
@Injectable()
export class MemberLookupService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cardCodes: CardCodeService,
    private readonly tiers: TierService,
    private readonly points: PointsService,
  ) {}

  async find(ref: MemberRef): Promise<DeskMember> {
    const member = await this.member(ref);
    const [tier, balances] = await Promise.all([
      this.tiers.byCode(member.tierCode),
      this.points.balances(member.id),
    ]);
    return {
      kind: 'member',
      cardNo: member.cardNo,
      // The member is at the till showing their card: the clerk may greet them by name.
      nickname: member.nickname ?? '会员',
      phoneMasked: maskPhone(member.phone),
      tierName: tier?.name ?? null,
      points: balances.balance,
      foundBy: ref.by,
    };
  }

  private async member(ref: MemberRef): Promise<Member> {
    const repo = this.dataSource.getRepository(Member);
    if (ref.by === 'card_code') {
      const cardNo = this.cardCodes.verify(ref.value);
      const found = cardNo ? await repo.findOneBy({ cardNo, status: 'member' }) : null;
      if (!found) throw await this.badCardCode(ref.value);
      return found;
    }
    if (ref.by === 'card_no') {
      const found = await repo.findOneBy({ cardNo: ref.value, status: 'member' });
      if (!found)
        throw new DomainError('NOT_FOUND', `未找到卡号为 ${ref.value} 的会员，请核对卡号`);
      return found;
    }
    const found = await repo.findOneBy({ phone: ref.value, status: 'member' });
    if (!found) throw new DomainError('NOT_FOUND', `未找到手机号为 ${maskPhone(ref.value)} 的会员`);
    return found;
  }

  /** A code whose card number is a member's but whose signature is stale is expired; anything else is unknown. */
  private async badCardCode(code: string): Promise<DomainError> {
    const known = await this.dataSource
      .getRepository(Member)
      .existsBy({ cardNo: code.slice(0, 12), status: 'member' });
    return known
      ? new DomainError('CARD_CODE_INVALID', '会员码已过期，请让顾客刷新会员码后重新出示')
      : new DomainError('NOT_FOUND', '未找到该会员码对应的会员，请让顾客重新出示会员码');
  }
}
