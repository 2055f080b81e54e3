export * from './domain.js';
export * from './fields.js';
export * from './audit.js';
export * from './format.js';
