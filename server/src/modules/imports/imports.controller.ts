import { Controller, Param, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { routes } from '@huoyue/shared';
import { CurrentStaff } from '../../infra/auth/auth.guard.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { Contract, type In } from '../../infra/http/contract.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { ImportsService } from './imports.service.js';

const r = routes.points;

/** The request body of a CSV upload, as the stream the content-type parser handed over (see server.ts). */
function csvStream(req: FastifyRequest): Readable {
  const body = req.body as Readable | undefined;
  if (!body || typeof body.pipe !== 'function')
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', '请以 text/csv 上传 CSV 文件');
  return body;
}

@Controller()
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Contract(r.importOrders)
  orders(
    @CurrentStaff() staff: StaffPrincipal,
    @Req() req: FastifyRequest,
    @Query() query: In<typeof r.importOrders.query>,
  ) {
    return this.imports.accept('orders', csvStream(req), query.creditPoints, staff);
  }

  @Contract(r.importMembers)
  members(@CurrentStaff() staff: StaffPrincipal, @Req() req: FastifyRequest) {
    return this.imports.accept('members', csvStream(req), true, staff);
  }

  @Contract(r.getImport)
  get(@Param() params: In<typeof r.getImport.params>) {
    return this.imports.view(params.id);
  }
}
