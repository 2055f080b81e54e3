/** The staff module's public surface: what other modules and the composition root may import. */
import { AuditLog } from './entities/audit-log.entity.js';
import { IntegrationKey, RequestNonce } from './entities/integration-key.entity.js';
import { Staff } from './entities/staff.entity.js';
import { Store } from './entities/store.entity.js';

export const STAFF_ENTITIES = [AuditLog, Staff, Store, IntegrationKey, RequestNonce];
export { AuditService } from './audit.service.js';
export { StaffService } from './staff.service.js';
export { StoresService } from './stores.service.js';
export { IntegrationKeysService } from './integration-keys.service.js';
export { deskStore, storeNames, type DeskStore } from './desk-store.js';
