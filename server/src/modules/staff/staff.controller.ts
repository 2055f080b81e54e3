import { Body, Controller, Param, Query, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { routes } from '@huoyue/shared';
import { CurrentStaff } from '../../infra/auth/auth.guard.js';
import {
  STAFF_TOKEN_TTL_SECONDS,
  type StaffPrincipal,
  TokenService,
} from '../../infra/auth/token.service.js';
import { Contract, type In } from '../../infra/http/contract.js';
import { AuditService } from './audit.service.js';
import { StaffService } from './staff.service.js';
import { StoresService } from './stores.service.js';

const r = routes.staff;

@Controller()
export class StaffController {
  constructor(
    private readonly staff: StaffService,
    private readonly stores: StoresService,
    private readonly audit: AuditService,
    private readonly tokens: TokenService,
  ) {}

  @UseGuards(ThrottlerGuard)
  @Contract(r.login)
  async login(@Body() body: In<typeof r.login.body>) {
    const staff = await this.staff.login(body.username, body.password);
    const token = await this.tokens.signStaff({
      staffId: staff.id,
      tokenVersion: staff.tokenVersion,
    });
    return { token, expiresIn: STAFF_TOKEN_TTL_SECONDS, staff: await this.staff.get(staff.id) };
  }

  @UseGuards(ThrottlerGuard)
  @Contract(r.changePassword)
  async changePassword(
    @CurrentStaff() me: StaffPrincipal,
    @Body() body: In<typeof r.changePassword.body>,
  ) {
    const staff = await this.staff.changeOwnPassword(me, body.currentPassword, body.newPassword);
    const token = await this.tokens.signStaff({
      staffId: staff.id,
      tokenVersion: staff.tokenVersion,
    });
    return { token, expiresIn: STAFF_TOKEN_TTL_SECONDS };
  }

  @Contract(r.unlock)
  unlock(@CurrentStaff() me: StaffPrincipal, @Param() params: In<typeof r.unlock.params>) {
    return this.staff.unlock(me, params.id);
  }

  @Contract(r.me)
  me(@CurrentStaff() me: StaffPrincipal) {
    return this.staff.session(me.staffId);
  }

  @Contract(r.list)
  async list() {
    return { items: await this.staff.list() };
  }

  @Contract(r.create)
  create(@CurrentStaff() me: StaffPrincipal, @Body() body: In<typeof r.create.body>) {
    return this.staff.create(me, body);
  }

  @Contract(r.update)
  update(
    @CurrentStaff() me: StaffPrincipal,
    @Param() params: In<typeof r.update.params>,
    @Body() body: In<typeof r.update.body>,
  ) {
    return this.staff.update(me, params.id, body);
  }

  @Contract(r.listStores)
  async listStores() {
    return { items: await this.stores.list() };
  }

  @Contract(r.createStore)
  createStore(@CurrentStaff() me: StaffPrincipal, @Body() body: In<typeof r.createStore.body>) {
    return this.stores.create(me, body);
  }

  @Contract(r.updateStore)
  updateStore(
    @CurrentStaff() me: StaffPrincipal,
    @Param() params: In<typeof r.updateStore.params>,
    @Body() body: In<typeof r.updateStore.body>,
  ) {
    return this.stores.update(me, params.id, body);
  }

  @Contract(r.audit)
  auditLog(@Query() query: In<typeof r.audit.query>) {
    return this.audit.list(query.limit, query.cursor, {
      staffId: query.staffId,
      entityType: query.entityType,
    });
  }
}
