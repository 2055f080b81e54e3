import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '../../infra/privacy/personal-data.js';
import { OrderRefund } from './entities/order-refund.entity.js';
import { Order } from './entities/order.entity.js';

/** Orders and refunds in the member's export; kept on closing (sales records). */
@Injectable()
export class OrdersPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit(): void {
    const kept = '保留（销售与退款记录，财务需要），不再关联到任何人';
    this.registry.contribute({
      key: 'orders',
      title: '消费订单',
      entities: [Order],
      onClose: kept,
    });
    this.registry.contribute({
      key: 'refunds',
      title: '退款',
      entities: [OrderRefund],
      onClose: kept,
    });
  }
}
