// The platform-free part of the mini-program, for tests and tools: the typed client and the pages' logic.
export * from './services/session.js';
export * from './logic/format.js';
export * from './logic/card.js';
export * from './logic/checkin.js';
export * from './logic/mall.js';
export * from './logic/coupons.js';
export * from './logic/landing.js';
export * from './logic/subscribe.js';
export * from './logic/codes.js';
export * from './logic/points.js';
export * from './logic/tiers.js';
export * from './logic/clerk.js';
export * from './logic/membership.js';
export * from './logic/vouchers.js';
export * from './logic/assets.js';
