/** The orders module's public surface: what other modules and the composition root may import. */
import { Order } from './entities/order.entity.js';
import { OrderRefund } from './entities/order-refund.entity.js';

export const ORDERS_ENTITIES = [Order, OrderRefund];
export { OrdersService, type ImportedOrder } from './orders.service.js';
