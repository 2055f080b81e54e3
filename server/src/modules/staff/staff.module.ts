import { Global, Module } from '@nestjs/common';
import { StaffStatusChecker } from '../../infra/auth/auth.guard.js';
import { AuditService } from './audit.service.js';
import { StaffController } from './staff.controller.js';
import { StaffService } from './staff.service.js';

/** Global because the auth guard asks it whether a staff account is still active. */
@Global()
@Module({
  controllers: [StaffController],
  providers: [StaffService, AuditService, { provide: StaffStatusChecker, useExisting: StaffService }],
  exports: [StaffService, AuditService, StaffStatusChecker],
})
export class StaffModule {}
