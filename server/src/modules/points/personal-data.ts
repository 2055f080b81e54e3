import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '../../infra/privacy/personal-data.js';
import { PointsAccount } from './entities/points-account.entity.js';
import { PointsEntry } from './entities/points-entry.entity.js';
import { PointsLot } from './entities/points-lot.entity.js';
import { PointsSimulationTierSpan } from './simulator/points-simulation.entity.js';

/** The points account, ledger and lots in the member's export; kept on closing (the brand's accounts). */
@Injectable()
export class PointsPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit(): void {
    const kept = '保留（品牌须保留的积分账目：发放与使用的合计要对得上），不含个人信息';
    this.registry.contribute({
      key: 'pointsAccount',
      title: '积分账户',
      entities: [PointsAccount],
      onClose: kept,
    });
    this.registry.contribute({
      key: 'pointsLedger',
      title: '积分明细',
      entities: [PointsEntry],
      onClose: kept,
    });
    this.registry.contribute({
      key: 'pointsLots',
      title: '积分批次（有效期）',
      entities: [PointsLot],
      onClose: kept,
    });
    this.registry.markNotPersonal(
      PointsSimulationTierSpan,
      "working table of a rule simulation (each member's tier spans over the window), emptied when the run ends",
    );
  }
}
