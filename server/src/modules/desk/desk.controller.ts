import { Controller, Query } from '@nestjs/common';
import { routes } from '@huoyue/shared';
import { CurrentStaff } from '../../infra/auth/auth.guard.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { Contract, type In } from '../../infra/http/contract.js';
import { DeskService } from './desk.service.js';

const r = routes.desk;

@Controller()
export class DeskController {
  constructor(private readonly desk: DeskService) {}

  @Contract(r.lookup)
  lookup(@CurrentStaff() staff: StaffPrincipal, @Query() query: In<typeof r.lookup.query>) {
    return this.desk.lookup(staff, query.code, query.storeCode);
  }
}
