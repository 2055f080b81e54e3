import { Body, Controller, Param } from '@nestjs/common';
import { routes } from '@huoyue/shared';
import { CurrentStaff } from '../../../infra/auth/auth.guard.js';
import type { StaffPrincipal } from '../../../infra/auth/token.service.js';
import { Contract, type In } from '../../../infra/http/contract.js';
import { PointsSimulatorApply } from './simulator-apply.js';
import { PointsSimulatorService } from './simulator.service.js';

const r = routes.simulator;

@Controller()
export class PointsSimulatorController {
  constructor(
    private readonly simulator: PointsSimulatorService,
    private readonly applier: PointsSimulatorApply,
  ) {}

  @Contract(r.current)
  current() {
    return this.simulator.current();
  }

  @Contract(r.start)
  start(@CurrentStaff() staff: StaffPrincipal, @Body() body: In<typeof r.start.body>) {
    return this.simulator.start(staff, body);
  }

  @Contract(r.list)
  list() {
    return this.simulator.list();
  }

  @Contract(r.get)
  get(@Param() params: In<typeof r.get.params>) {
    return this.simulator.get(params.id);
  }

  @Contract(r.apply)
  apply(@CurrentStaff() staff: StaffPrincipal, @Param() params: In<typeof r.apply.params>) {
    return this.applier.apply(staff, params.id);
  }
}
