import { Body, Controller } from '@nestjs/common';
import { routes } from '@huoyue/shared';
import { Contract, type In } from '../../infra/http/contract.js';
import { CurrentMember, CurrentStaff } from '../../infra/auth/auth.guard.js';
import type { MemberPrincipal, StaffPrincipal } from '../../infra/auth/token.service.js';
import { JoinSettingsService } from './join-settings.service.js';
import { MemberProfileService } from './member-profile.service.js';

const r = routes.membership;

/** Joining as the brand sets it (agreement, privacy, welcome gift) and the member's own profile. */
@Controller()
export class MembershipController {
  constructor(
    private readonly joinSettings: JoinSettingsService,
    private readonly profiles: MemberProfileService,
  ) {}

  @Contract(r.joinInfo)
  joinInfo() {
    return this.joinSettings.info();
  }

  @Contract(r.profile)
  profile(@CurrentMember() me: MemberPrincipal) {
    return this.profiles.profile(me.memberId);
  }

  @Contract(r.updateProfile)
  updateProfile(
    @CurrentMember() me: MemberPrincipal,
    @Body() body: In<typeof r.updateProfile.body>,
  ) {
    return this.profiles.update(me.memberId, body);
  }

  @Contract(r.joinSettings)
  settings() {
    return this.joinSettings.get();
  }

  @Contract(r.updateJoinSettings)
  updateSettings(
    @CurrentStaff() staff: StaffPrincipal,
    @Body() body: In<typeof r.updateJoinSettings.body>,
  ) {
    return this.joinSettings.update(staff, body);
  }
}
