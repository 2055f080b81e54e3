import { Global, Module } from '@nestjs/common';
import { IntegrationVerifier, StaffStatusChecker } from '../../infra/auth/auth.guard.js';
import { IntegrationKeysService } from './integration-keys.service.js';
import { AuditService } from './audit.service.js';
import { StaffController } from './staff.controller.js';
import { StaffService } from './staff.service.js';
import { StoresService } from './stores.service.js';
import { LoginAttempts } from './login-attempts.js';

/** Global because the auth guard asks it whether a staff account is still active and checks integration signatures. */
@Global()
@Module({
  controllers: [StaffController],
  providers: [
    StaffService,
    StoresService,
    AuditService,
    IntegrationKeysService,
    LoginAttempts,
    { provide: StaffStatusChecker, useExisting: StaffService },
    { provide: IntegrationVerifier, useExisting: IntegrationKeysService },
  ],
  exports: [
    StaffService,
    StoresService,
    AuditService,
    IntegrationKeysService,
    StaffStatusChecker,
    IntegrationVerifier,
  ],
})
export class StaffModule {}
