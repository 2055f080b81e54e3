import 'reflect-metadata';
import { type DynamicModule, Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DataSource } from 'typeorm';
import { AppModule } from './app.module.js';
import { FAKE_APP_ID, type AppConfig } from './config/config.js';
import { seedDemoCatalogue } from './demo/demo-catalogue.js';
import { seedDemoData, type DemoPurchase } from './demo/demo-seed.js';
import { replayDemoHistory } from './demo/demo-history.js';
import { CouponsService } from './modules/coupons/index.js';
import { MallService } from './modules/mall/index.js';
import { MemberDaysService } from './modules/memberdays/index.js';
import { ChurnService } from './modules/lifecycle/index.js';
import { LifecycleReplay } from './modules/lifecycle/index.js';
import { PointsService } from './modules/points/index.js';
import { LifecycleService } from './modules/lifecycle/index.js';
import { MessageDispatcher } from './modules/messaging/index.js';
import { startFakeWechat } from './fake-wechat/fake-wechat.js';
import { fakeMerchant } from './fake-wechat/fake-merchant.js';
import { routes } from '@huoyue/shared';
import { devWechatRoutes, serveConsole, serveMemberApp } from './web/static-apps.js';
import { openDatabase } from './database.js';
import { EventBus } from './infra/events/event-bus.js';
import { JobScheduler } from './infra/jobs/job-scheduler.js';
import { registerApiDocs, registerSecurityHeaders } from './infra/http/security.js';
import { exposeToCluster } from './infra/metrics/cluster-metrics.js';
import { registerOpsHttp } from './infra/metrics/metrics-http.js';
import { MetricsService } from './infra/metrics/metrics.service.js';
import { clientErrorHandler, frameworkErrors } from './infra/http/framework-errors.js';
import { createLogger, NestPinoLogger, RequestLogController, requestId } from './infra/logging.js';
import { BadgesService } from './modules/badges/index.js';
import { TierService } from './modules/members/index.js';
import { OrdersService } from './modules/orders/index.js';
import { StaffService } from './modules/staff/index.js';
import { registerImageParser, serveUploads } from './modules/uploads/index.js';
import { registerCsvParser } from './modules/imports/index.js';

export interface RunningServer {
  app: NestFastifyApplication;
  dataSource: DataSource;
  config: AppConfig;
  /** Base URL of the API, e.g. http://127.0.0.1:3000/api */
  apiUrl: string;
  /** Base URL of the fake WeChat when it was started. */
  fakeWechatUrl?: string;
  /** Resolves when the events committed so far have been through this process's consumers. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Extra Nest modules (tests add listeners this way). */
  imports?: DynamicModule['imports'];
  /** Outbox sweep interval in ms (0 = off). */
  outboxSweepMs?: number;
  /** Run scheduled jobs on their timers (default true; tests run them through the admin endpoint). */
  scheduledJobs?: boolean;
}

type RunningFakeWechat = Awaited<ReturnType<typeof startFakeWechat>>;

/** Boots everything `npm start` runs: the fake WeChat when no credentials are set, the database, the API. */
export async function startServer(
  config: AppConfig,
  options: StartOptions = {},
): Promise<RunningServer> {
  const { fake, config: effective } = await startFakeWechatIfWanted(config);
  config = effective;
  const dataSource = await openDatabase(config.database);
  try {
    const app = await createApp(config, dataSource, options, fake);

    // Event listeners are bound when the app initialises: nothing may publish before that, or its effects are lost.
    await app.init();
    await seedStartupData(app, dataSource, config);

    const apiUrl = await listen(app, config, options);
    return {
      app,
      dataSource,
      config,
      apiUrl,
      fakeWechatUrl: fake?.url,
      settled: () => app.get(EventBus).idle(),
      close: async () => {
        await app.close(); // stops accepting, lets requests in flight finish, runs shutdown hooks
        if (dataSource.isInitialized) await dataSource.destroy();
        await fake?.close();
      },
    };
  } catch (err) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await fake?.close();
    throw err;
  }
}

/** Starts the fake WeChat when no credentials are set, and points the config's WeChat and SMS calls at it. */
async function startFakeWechatIfWanted(
  config: AppConfig,
): Promise<{ fake: RunningFakeWechat | undefined; config: AppConfig }> {
  let fake: RunningFakeWechat | undefined;
  if (config.wechat.useFake) {
    const merchant = fakeMerchant(config.wechat.appId);
    fake = await startFakeWechat({
      port: config.wechat.fakePort,
      apps: [
        { appId: config.wechat.appId, secret: config.wechat.appSecret, kind: 'mp' },
        { appId: `${FAKE_APP_ID}oa`, secret: config.wechat.appSecret, kind: 'oa' },
      ],
      pay: merchant.fakeOptions,
    });
    config = {
      ...config,
      wechat: {
        ...config.wechat,
        apiBaseUrl: fake.url,
        pay: merchant.settings(fake.url, fake.pay!),
      },
      smsApiUrl: config.smsApiUrl ?? `${fake.url}/fake-sms/send`,
    };
  }
  return { fake, config };
}

/** A hop count as a trust function (the adapter's options type takes no number): the nearest `hops` proxies. */
function trustProxy(
  value: AppConfig['trustProxy'],
): false | string[] | ((addr: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_addr: string, hop: number) => hop < value : value;
}

/** The Nest application on Fastify, with its logging, body parsers, API docs and static apps; not yet initialised. */
async function createApp(
  config: AppConfig,
  dataSource: DataSource,
  options: StartOptions,
  fake: RunningFakeWechat | undefined,
): Promise<NestFastifyApplication> {
  const logger = createLogger(config);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    genReqId: requestId,
    logController: new RequestLogController(),
    bodyLimit: 64 * 1024,
    // The client address is the socket's unless TRUST_PROXY names the proxies (docs/security-auth.md).
    trustProxy: trustProxy(config.trustProxy),
    return503OnClosing: true,
    // The router's and Node's own refusals (bad URL, parameter too long, headers too large) in the error shape.
    frameworkErrors,
    clientErrorHandler,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, dataSource, options.imports),
    adapter,
    {
      bufferLogs: true,
      // Signed integration calls are checked against the exact bytes received (req.rawBody).
      rawBody: true,
    },
  );
  app.useLogger(new NestPinoLogger(logger));
  const fastify = app.getHttpAdapter().getInstance();
  // CSV uploads (imports) reach their handler as a stream, up to IMPORT_MAX_BYTES, never buffered whole.
  registerCsvParser(fastify, config.imports.maxBytes);
  // Item pictures: the bytes themselves, checked by content and size (modules/uploads).
  registerImageParser(fastify, config.uploads.maxBytes);
  // Echoed so a member or a gateway can quote it when something goes wrong.
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  registerOpsHttp(fastify, app.get(MetricsService), config);
  exposeToCluster(app.get(MetricsService).registry);
  app.setGlobalPrefix('api');
  // ROLE=api delivers what its own requests commit (in-process, after commit) but leaves the sweep to workers.
  app
    .get(EventBus)
    .configure({ sweepIntervalMs: config.role === 'api' ? 0 : (options.outboxSweepMs ?? 5000) });
  await registerSecurityHeaders(app);
  await registerApiDocs(app, config.apiDocs);
  await serveConsole(fastify);
  await serveUploads(fastify, config.uploads.dir);
  await serveMemberApp(fastify);
  if (fake) devWechatRoutes(fastify, fake.url);
  return app;
}

/** Tiers, the first owner and, when asked for, the demo brand; then the caches that depend on them. */
async function seedStartupData(
  app: NestFastifyApplication,
  dataSource: DataSource,
  config: AppConfig,
): Promise<void> {
  await app.get(TierService).ensureLadder();
  await app.get(StaffService).ensureFirstOwner();
  const purchases = config.demoData ? await seedDemoData(dataSource, config.brandTimezone) : null;
  // Tiers and badges may have just been written: the caches warmed at start-up must see them.
  await app.get(TierService).reload();
  await app.get(BadgesService).reload();
  if (purchases) await seedDemoBrand(app, dataSource, purchases, config.brandTimezone);
}

/** The demo brand's history, catalogue and analytics, on top of the people seedDemoData wrote. */
async function seedDemoBrand(
  app: NestFastifyApplication,
  dataSource: DataSource,
  purchases: DemoPurchase[],
  timeZone: string,
): Promise<void> {
  // The history goes through the real order path: points (some already expired), tiers, badges, the log.
  const orders = app.get(OrdersService);
  const demo = { kind: 'integration' as const, keyId: 'demo', name: '演示数据' };
  for (const p of purchases) {
    await orders.record(
      {
        orderNo: p.orderNo,
        member: { id: p.memberId },
        amount: p.amount,
        paidAt: p.paidAt.toISOString(),
        storeCode: p.storeCode,
      },
      demo,
    );
  }
  // Stages, tiers and badges follow from the orders' consumers: the history below reads what they left.
  await app.get(EventBus).idle();
  await seedDemoCatalogue({
    staff: app.get(StaffService),
    coupons: app.get(CouponsService),
    mall: app.get(MallService),
    memberDays: app.get(MemberDaysService),
  });
  // The churn models, then expiries, anniversaries and stages on their days, as the nightly jobs would have left them.
  const today = app.get(LifecycleService).today();
  await app.get(ChurnService).fit(today);
  await replayDemoHistory(
    {
      jobs: app.get(JobScheduler),
      points: app.get(PointsService),
      badges: app.get(BadgesService),
      replay: app.get(LifecycleReplay),
    },
    purchases.map((p) => p.paidAt),
    today,
    timeZone,
  );
  await app.get(EventBus).idle();
  new NestLogger('Demo').log(
    'Seeded demo brand: 4 tiers, 3 stores, 200 members, ' +
      `${purchases.length} orders over two years, 4 coupons, 6 mall items, a weekly member day`,
  );
}

/** Listens, starts the timers, and answers the API's base URL. */
async function listen(
  app: NestFastifyApplication,
  config: AppConfig,
  options: StartOptions,
): Promise<string> {
  await app.listen({ port: config.port, host: config.host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const apiUrl = `http://${host}:${port}/api`;
  // Beside the fake WeChat, its WeChat Pay notifies this very server (a real merchant names its https URL).
  if (config.wechat.pay && !config.wechat.pay.notifyUrl)
    config.wechat.pay.notifyUrl = `${apiUrl}${routes.mall.wechatPayNotify.path}`;
  // Jobs and dispatch run where ROLE allows (worker or all); MESSAGE_DISPATCHER=false still turns dispatch off.
  if ((options.scheduledJobs ?? true) && config.role !== 'api') {
    app.get(JobScheduler).start();
    if (config.messageDispatcher) app.get(MessageDispatcher).start();
  }
  return apiUrl;
}
