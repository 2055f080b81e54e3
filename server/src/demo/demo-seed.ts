import { Faker, zh_CN, base } from '@faker-js/faker';
import type { DataSource, EntityManager } from 'typeorm';
import { sqliteGate } from '../infra/database/sqlite-gate.js';
import { addDays, brandDay } from '@huoyue/shared';
import { EngagementEvent } from '../modules/engagement/engagement-event.entity.js';
import { generateCardNo } from '../modules/members/index.js';
import { Badge } from '../modules/badges/badge.entity.js';
import { Member } from '../modules/members/entities/member.entity.js';
import { Store } from '../modules/staff/entities/store.entity.js';

/** A purchase of the demo history, recorded through OrdersService once the app is up. */
export interface DemoPurchase {
  orderNo: string;
  memberId: number;
  paidAt: Date;
  amount: number;
  storeCode: string;
}

/** Badges of the demo brand; `streak-7` is the one the default check-in ladder gives on day 7. */
const DEMO_BADGES = [
  {
    code: 'streak-7',
    name: '七日连签',
    artworkUrl: null,
    description: '连续签到 7 天',
    metric: 'streak' as const,
    thresholds: [7],
    rewardPoints: 0,
    active: true,
  },
  {
    code: 'checkin-fan',
    name: '签到达人',
    artworkUrl: null,
    description: '累计签到 10 / 30 / 100 天',
    metric: 'checkins' as const,
    thresholds: [10, 30, 100],
    rewardPoints: 20,
    active: true,
  },
  {
    code: 'first-order',
    name: '初次相遇',
    artworkUrl: null,
    description: '完成第一笔消费',
    metric: 'purchases' as const,
    thresholds: [1],
    rewardPoints: 10,
    active: true,
  },
  {
    code: 'big-spender',
    name: '品质之选',
    artworkUrl: null,
    description: '累计消费 1,000 / 5,000 / 20,000 元',
    metric: 'spend' as const,
    thresholds: [1000, 5000, 20000],
    rewardPoints: 50,
    active: true,
  },
  {
    code: 'anniversary',
    name: '周年老友',
    artworkUrl: null,
    description: '成为会员满 1 / 2 / 3 年',
    metric: 'anniversary' as const,
    thresholds: [1, 2, 3],
    rewardPoints: 100,
    active: true,
  },
];

const DEMO_STORES = [
  { code: 'SH001', name: '上海南京西路店' },
  { code: 'SH002', name: '上海徐家汇店' },
  { code: 'BJ001', name: '北京三里屯店' },
];

/** How a group of demo people behaves: its share of the base, how long ago they last bought, how many orders. */
interface DemoProfile {
  share: number;
  lastAgo: [number, number] | null;
  joined: boolean;
  orders: [number, number];
}

// Shares of the base by how recently they last bought, so every stage has people in it.
const DEMO_PROFILES: DemoProfile[] = [
  { share: 0.08, lastAgo: null, joined: false, orders: [0, 0] }, // visitors (potential)
  { share: 0.1, lastAgo: null, joined: true, orders: [0, 0] }, // joined, never bought
  { share: 0.32, lastAgo: [0, 90], joined: true, orders: [2, 18] },
  { share: 0.18, lastAgo: [91, 180], joined: true, orders: [1, 8] },
  { share: 0.16, lastAgo: [181, 365], joined: true, orders: [1, 5] },
  { share: 0.16, lastAgo: [366, 700], joined: true, orders: [1, 3] },
];

/** What every demo person is made from: the seeded faker, the brand's today, and the purchases collected. */
interface DemoContext {
  faker: Faker;
  timeZone: string;
  now: Date;
  today: string;
  purchases: DemoPurchase[];
}

/**
 * A believable brand: tiers, stores, 200 people over two years of purchases, spread across every lifecycle
 * stage. Deterministic (seeded), and only on an empty database.
 */
export async function seedDemoData(
  dataSource: DataSource,
  timeZone: string,
  now = new Date(),
): Promise<DemoPurchase[] | null> {
  if ((await dataSource.getRepository(Member).count()) > 0) return null;
  const purchases: DemoPurchase[] = [];
  const faker = new Faker({ locale: [zh_CN, base], seed: 20261124 });
  const today = brandDay(now, timeZone);
  const seed = () =>
    dataSource.transaction(async (em) => {
      await seedDemoReferenceData(em);
      await seedDemoPeople(em, { faker, timeZone, now, today, purchases });
    });
  const gate = sqliteGate(dataSource);
  await (gate ? gate.exclusive(seed) : seed());
  return purchases;
}

async function seedDemoReferenceData(em: EntityManager): Promise<void> {
  if ((await em.count(Store)) === 0) await em.insert(Store, DEMO_STORES);
  if ((await em.count(Badge)) === 0) await em.insert(Badge, DEMO_BADGES);
}

async function seedDemoPeople(em: EntityManager, ctx: DemoContext): Promise<void> {
  let n = 0;
  for (const profile of DEMO_PROFILES) {
    const count = Math.round(profile.share * 200);
    for (let i = 0; i < count && n < 200; i++, n++) await seedDemoPerson(em, ctx, profile);
  }
}

/** How many days ago a person of this profile joined; null for a visitor who never joined. */
function pickJoinedAgo(faker: Faker, profile: DemoProfile): number | null {
  if (!profile.joined) return null;
  if (profile.lastAgo) return faker.number.int({ min: profile.lastAgo[1], max: 730 });
  return faker.number.int({ min: 0, max: 120 });
}

/** The days of a person's purchases, oldest first: the last one within the profile's window, the rest before it. */
function pickPurchaseDays(
  faker: Faker,
  profile: DemoProfile,
  joinedAgo: number | null,
  today: string,
): string[] {
  const purchaseDays: string[] = [];
  if (profile.lastAgo && joinedAgo !== null) {
    const last = faker.number.int({
      min: profile.lastAgo[0],
      max: Math.min(profile.lastAgo[1], joinedAgo),
    });
    purchaseDays.push(addDays(today, -last));
    const more = faker.number.int({ min: profile.orders[0], max: profile.orders[1] }) - 1;
    for (let k = 0; k < more; k++)
      purchaseDays.push(addDays(today, -faker.number.int({ min: last, max: joinedAgo })));
  }
  purchaseDays.sort();
  return purchaseDays;
}

/** A random time of day (UTC 02:00 to 13:59) on a brand day. */
function randomTimeOn(faker: Faker, day: string): Date {
  const hour = String(faker.number.int({ min: 2, max: 13 })).padStart(2, '0');
  const minute = String(faker.number.int({ min: 0, max: 59 })).padStart(2, '0');
  const at = new Date(`${day}T${hour}:${minute}:00Z`);
  // Today's times later than now would be orders paid in the future, which the order path refuses.
  return at.getTime() < Date.now() ? at : new Date(Date.now() - 60_000);
}

async function seedDemoPerson(em: EntityManager, ctx: DemoContext, profile: DemoProfile) {
  const { faker, timeZone, today, purchases } = ctx;
  const joinedAgo = pickJoinedAgo(faker, profile);
  const joinedDay = joinedAgo === null ? null : addDays(today, -joinedAgo);
  const purchaseDays = pickPurchaseDays(faker, profile, joinedAgo, today);
  const lastPurchase = purchaseDays[purchaseDays.length - 1] ?? null;
  const at = (day: string) => randomTimeOn(faker, day);
  const firstSeen = at(joinedDay ?? addDays(today, -faker.number.int({ min: 0, max: 60 })));
  const member = createDemoMember(em, ctx, joinedDay, firstSeen);
  await em.insert(Member, member);
  const events: Partial<EngagementEvent>[] = [];
  if (joinedDay)
    events.push({
      memberId: member.id,
      type: 'join',
      occurredAt: firstSeen,
      day: joinedDay,
      properties: null,
      sourceRef: null,
    });
  // Purchases go through the real order path afterwards (ledger, tiers, badges, engagement log).
  purchaseDays.forEach((day, k) => {
    purchases.push({
      orderNo: `DEMO-${member.id}-${k + 1}`,
      memberId: member.id,
      paidAt: at(day),
      amount: faker.number.int({ min: 5_000, max: 60_000 }),
      storeCode: faker.helpers.arrayElement(DEMO_STORES).code,
    });
  });
  const lastVisit = lastPurchase ?? joinedDay ?? brandDay(firstSeen, timeZone);
  events.push({
    memberId: member.id,
    type: 'app_open',
    occurredAt: at(lastVisit),
    day: lastVisit,
    properties: null,
    sourceRef: null,
  });
  if (events.length) await em.insert(EngagementEvent, events);
}

function createDemoMember(
  em: EntityManager,
  ctx: DemoContext,
  joinedDay: string | null,
  firstSeen: Date,
): Member {
  const { faker, now } = ctx;
  return em.create(Member, {
    openid: `oDEMO${faker.string.alphanumeric(23)}`,
    unionid: null,
    cardNo: joinedDay ? generateCardNo(() => faker.number.float({ min: 0, max: 0.999999 })) : null,
    nickname: joinedDay ? faker.person.lastName() + faker.person.firstName() : null,
    phone:
      joinedDay && faker.number.int(9) > 2
        ? `1${faker.helpers.arrayElement(['38', '39', '58', '86', '77'])}${faker.string.numeric(8)}`
        : null,
    birthday:
      joinedDay && faker.number.int(9) > 4
        ? faker.date
            .birthdate({ min: 18, max: 60, mode: 'age', refDate: now })
            .toISOString()
            .slice(0, 10)
        : null,
    externalRef: null,
    stage: joinedDay ? 'new' : 'potential', // the lifecycle module decides from the orders below
    status: joinedDay ? 'member' : 'visitor',
    source: 'wechat',
    tierCode: joinedDay ? 'normal' : null, // the orders below move members up the ladder
    mergedIntoId: null,
    firstSeenAt: firstSeen,
    joinedAt: joinedDay ? firstSeen : null,
    closedAt: null,
  });
}
