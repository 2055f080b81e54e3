import { DomainEventRow } from '../events/domain-event.entity.js';
import { WechatAccessToken } from '../wechat/access-token.entity.js';
import { EngagementEvent } from '../../modules/engagement/engagement-event.entity.js';
import { Member } from '../../modules/members/entities/member.entity.js';
import { Tier } from '../../modules/members/entities/tier.entity.js';
import { PointsAccount } from '../../modules/points/entities/points-account.entity.js';
import { PointsEntry } from '../../modules/points/entities/points-entry.entity.js';
import { PointsLot } from '../../modules/points/entities/points-lot.entity.js';
import { TierHistory } from '../../modules/members/entities/tier-history.entity.js';
import { Order } from '../../modules/orders/entities/order.entity.js';
import { OrderRefund } from '../../modules/orders/entities/order-refund.entity.js';
import {
  IntegrationKey,
  RequestNonce,
} from '../../modules/staff/entities/integration-key.entity.js';
import { JobLease } from '../jobs/job-lease.entity.js';
import {
  Badge,
  MemberBadge,
  MemberStat,
  MemberStatEvent,
} from '../../modules/badges/badge.entity.js';
import { Checkin, CheckinMember } from '../../modules/checkins/checkin.entity.js';
import { Coupon, CouponMemberCount, CouponTemplate } from '../../modules/coupons/coupon.entity.js';
import { MallItem, MallMemberCount, MallRedemption } from '../../modules/mall/mall.entity.js';
import { RiskRefusal } from '../../modules/coupons/risk-refusal.entity.js';
import {
  LeaderboardEntry,
  LeaderboardOptout,
} from '../../modules/leaderboards/leaderboard.entity.js';
import {
  ImportBatch,
  ImportJob,
  ImportRejection,
} from '../../modules/imports/import-job.entity.js';
import { Setting } from '../settings/setting.entity.js';
import { MemberDay, MemberDayOccurrence } from '../../modules/memberdays/member-day.entities.js';
import { Automation, AutomationEnrollment } from '../../modules/campaigns/campaign.entities.js';
import {
  Message,
  MessagePreference,
  MessageTemplate,
  OaFollower,
  SubscriptionQuota,
} from '../../modules/messaging/messaging.entities.js';
import {
  LifecycleHistoryAgg,
  LifecycleModel,
  LifecycleScratch,
  LifecycleSnapshot,
  LifecycleState,
  LifecycleTransition,
  MemberLifecycle,
} from '../../modules/lifecycle/lifecycle.entities.js';
import { AuditLog } from '../../modules/staff/entities/audit-log.entity.js';
import { Staff } from '../../modules/staff/entities/staff.entity.js';
import { Store } from '../../modules/staff/entities/store.entity.js';

/** Every entity, for the data source and the migration tools. Each still belongs to its module's folder. */
export const ALL_ENTITIES = [
  DomainEventRow,
  WechatAccessToken,
  JobLease,
  Setting,
  EngagementEvent,
  Member,
  Tier,
  TierHistory,
  PointsAccount,
  PointsEntry,
  PointsLot,
  Order,
  OrderRefund,
  AuditLog,
  Staff,
  Store,
  IntegrationKey,
  RequestNonce,
  ImportJob,
  ImportRejection,
  ImportBatch,
  Checkin,
  CheckinMember,
  Badge,
  MemberBadge,
  MemberStat,
  MemberStatEvent,
  LeaderboardEntry,
  LeaderboardOptout,
  CouponTemplate,
  Coupon,
  CouponMemberCount,
  MemberLifecycle,
  MessageTemplate,
  MemberDay,
  MemberDayOccurrence,
  Automation,
  AutomationEnrollment,
  SubscriptionQuota,
  MessagePreference,
  OaFollower,
  Message,
  LifecycleState,
  LifecycleTransition,
  LifecycleSnapshot,
  LifecycleScratch,
  LifecycleHistoryAgg,
  LifecycleModel,
  MallItem,
  MallRedemption,
  MallMemberCount,
  RiskRefusal,
];
