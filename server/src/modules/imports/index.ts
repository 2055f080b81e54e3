/** The imports module's public surface: what other modules and the composition root may import. */
import { ImportBatch, ImportJob, ImportRejection } from './import-job.entity.js';

export const IMPORTS_ENTITIES = [ImportJob, ImportRejection, ImportBatch];
export { registerCsvParser } from './csv-body.js';
