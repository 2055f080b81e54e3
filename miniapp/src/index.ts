export * from './services/session.js';
