import { z } from 'zod';

// Validation messages in Simplified Chinese for every consumer of the contract.
z.config(z.locales.zhCN());

export * from './errors.js';
export * from './constants.js';
export * from './route.js';
export * from './client.js';
export * from './contracts/index.js';
export * from './util/mask.js';
export * from './util/time.js';
export * from './util/csv.js';
export * from './util/money.js';
export * from './labels/index.js';
export * from './util/message-reasons.js';
export * from './util/catalogue.js';
