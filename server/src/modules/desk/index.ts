/** The clerk desk's public surface. No tables. */
export { DeskService } from './desk.service.js';
