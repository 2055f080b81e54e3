import { Readable } from 'node:stream';
import { Body, Controller, Query, Param, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ThrottlerGuard } from '@nestjs/throttler';
import { routes } from '@huoyue/shared';
import { Contract, type In } from '../../infra/http/contract.js';
import { CurrentMember, CurrentStaff } from '../../infra/auth/auth.guard.js';
import {
  MEMBER_TOKEN_TTL_SECONDS,
  type MemberPrincipal,
  type StaffPrincipal,
  TokenService,
} from '../../infra/auth/token.service.js';
import { MemberAccountService } from './member-account.service.js';
import { MemberAdminService } from './member-admin.service.js';
import { MemberListService } from './member-list.service.js';
import { MembersService } from './members.service.js';
import { TierService } from './tier.service.js';

const r = routes.members;

@Controller()
export class AuthController {
  constructor(
    private readonly members: MembersService,
    private readonly accounts: MemberAccountService,
    private readonly tokens: TokenService,
  ) {}

  @UseGuards(ThrottlerGuard)
  @Contract(r.wechatLogin)
  async wechatLogin(@Body() body: In<typeof r.wechatLogin.body>) {
    const member = await this.members.loginWithWechat(body.code);
    return {
      token: await this.tokens.signMember(member.id),
      expiresIn: MEMBER_TOKEN_TTL_SECONDS,
      member: await this.accounts.toCard(member),
    };
  }
}

@Controller()
export class MeController {
  constructor(
    private readonly members: MembersService,
    private readonly accounts: MemberAccountService,
    private readonly tokens: TokenService,
  ) {}

  @Contract(r.join)
  async join(@CurrentMember() me: MemberPrincipal, @Body() body: In<typeof r.join.body>) {
    const { member, welcomeGift } = await this.members.join(me.memberId, body);
    // After a merge the member id changes: the answer carries a token for the surviving record.
    return {
      token: await this.tokens.signMember(member.id),
      expiresIn: MEMBER_TOKEN_TTL_SECONDS,
      member: await this.accounts.toCard(member),
      welcomeGift,
    };
  }

  @Contract(r.me)
  card(@CurrentMember() me: MemberPrincipal) {
    return this.accounts.card(me.memberId);
  }

  @Contract(r.cardCode)
  cardCode(@CurrentMember() me: MemberPrincipal) {
    return this.accounts.cardCode(me.memberId);
  }

  @Contract(r.exportMe)
  exportMe(@CurrentMember() me: MemberPrincipal) {
    return this.accounts.exportData(me.memberId);
  }

  @Contract(r.closeMe)
  async closeMe(@CurrentMember() me: MemberPrincipal) {
    return this.accounts.close(me.memberId);
  }
}

@Controller()
export class AdminMembersController {
  constructor(
    private readonly members: MemberAdminService,
    private readonly list: MemberListService,
  ) {}

  @Contract(r.adminSearch)
  search(@Query() query: In<typeof r.adminSearch.query>) {
    const { limit, cursor, page, ...filter } = query;
    return this.list.search(filter, { limit, cursor, page });
  }

  @Contract(r.adminExport)
  export(@Query() query: In<typeof r.adminExport.query>, @Res() reply: FastifyReply) {
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="members.csv"')
      .send(Readable.from(this.list.exportRows(query)));
  }

  // Declared before :id so the literal segment wins.
  @Contract(r.adminByCardCode)
  byCardCode(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.adminByCardCode.params>,
  ) {
    return this.members.byCardCodeFor(staff.role, params.code);
  }

  @Contract(r.adminDetail)
  detail(@CurrentStaff() staff: StaffPrincipal, @Param() params: In<typeof r.adminDetail.params>) {
    return this.members.detailFor(staff.role, params.id);
  }

  @Contract(routes.engagement.earningBlock)
  async earningBlock(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof routes.engagement.earningBlock.params>,
    @Body() body: In<typeof routes.engagement.earningBlock.body>,
  ) {
    return {
      blocked: await this.members.setEarningBlock(staff, params.id, body.blocked, body.reason),
    };
  }
}

const p = routes.points;

@Controller()
export class TiersController {
  constructor(private readonly tiers: TierService) {}

  @Contract(p.tiers)
  mine(@CurrentMember() me: MemberPrincipal) {
    return this.tiers.mine(me.memberId);
  }

  @Contract(p.listTiers)
  async list() {
    return { items: (await this.tiers.ladder()).map((t) => this.tiers.toView(t)) };
  }

  @Contract(p.updateTier)
  update(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof p.updateTier.params>,
    @Body() body: In<typeof p.updateTier.body>,
  ) {
    return this.tiers.update(staff, params.code, body);
  }
}
