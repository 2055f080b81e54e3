import { Body, Controller, Param } from '@nestjs/common';
import { routes } from '@huoyue/shared';
import { CurrentMember } from '../../infra/auth/auth.guard.js';
import type { MemberPrincipal } from '../../infra/auth/token.service.js';
import { Contract, type In } from '../../infra/http/contract.js';
import { LeaderboardsService } from './leaderboards.service.js';

const r = routes.engagement;

@Controller()
export class LeaderboardsController {
  constructor(private readonly boards: LeaderboardsService) {}

  @Contract(r.leaderboard)
  read(@CurrentMember() me: MemberPrincipal, @Param() params: In<typeof r.leaderboard.params>) {
    return this.boards.read(params.board, me.memberId);
  }

  @Contract(r.getPrivacy)
  privacy(@CurrentMember() me: MemberPrincipal) {
    return this.boards.privacy(me.memberId);
  }

  @Contract(r.putPrivacy)
  setPrivacy(@CurrentMember() me: MemberPrincipal, @Body() body: In<typeof r.putPrivacy.body>) {
    return this.boards.setPrivacy(me.memberId, body.leaderboard);
  }
}
