import { DomainEventRow } from '../events/domain-event.entity.js';
import { WechatAccessToken } from '../wechat/access-token.entity.js';
import { EngagementEvent } from '../../modules/engagement/engagement-event.entity.js';
import { Member } from '../../modules/members/entities/member.entity.js';
import { Tier } from '../../modules/members/entities/tier.entity.js';
import { PointsAccount } from '../../modules/points/points-account.entity.js';
import { AuditLog } from '../../modules/staff/entities/audit-log.entity.js';
import { Staff } from '../../modules/staff/entities/staff.entity.js';
import { Store } from '../../modules/staff/entities/store.entity.js';

/** Every entity, for the data source and the migration tools. Each still belongs to its module's folder. */
export const ALL_ENTITIES = [DomainEventRow, WechatAccessToken, EngagementEvent, Member, Tier, PointsAccount, AuditLog, Staff, Store];
