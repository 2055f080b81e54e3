import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  addDays,
  ApiError,
  brandDay,
  routes,
  startOfBrandDay,
  type ApiClient,
} from '@huoyue/shared';
import { JobScheduler } from '@huoyue/server/dist/infra/jobs/job-scheduler.js';
import { LifecycleRecompute } from '@huoyue/server/dist/modules/lifecycle/index.js';
import { LIFECYCLE_LEASE } from '@huoyue/server/dist/modules/lifecycle/lifecycle.service.js';
import { ADMIN, type TestServer } from './test-server.js';

let phoneSeq = 0;
/** A phone number unique within this process. */
export const uniquePhone = () =>
  `139${String(process.pid % 10000).padStart(4, '0')}${String(++phoneSeq).padStart(4, '0')}`;

/** wx.login → POST /api/auth/wechat, as the mini-program does it. */
export async function loginVisitor(server: TestServer, openid?: string) {
  const { code } = await server.fake.loginCode(openid);
  const session = await server.client().call(routes.members.wechatLogin, { body: { code } });
  return { ...session, api: server.client(session.token) };
}

/** A visitor who joined with a phone number. */
export async function joinedMember(
  server: TestServer,
  nickname = '测试会员',
  phone = uniquePhone(),
) {
  const visitor = await loginVisitor(server);
  const { code } = await server.fake.phoneCode(phone);
  const joined = await visitor.api.call(routes.members.join, {
    body: { nickname, phoneCode: code },
  });
  return { ...joined, phone, api: server.client(joined.token) };
}

/** A joined member given `points` by hand (an audited adjustment by `owner`). */
export async function memberWithPoints(server: TestServer, owner: ApiClient, points: number) {
  const member = await joinedMember(server);
  await owner.call(routes.points.adjust, {
    params: { id: member.member.id },
    body: { points, reason: '测试', requestId: randomUUID() },
  });
  return member;
}

export async function staffLogin(
  server: TestServer,
  username = ADMIN.username,
  password = ADMIN.password,
): Promise<ApiClient> {
  const { token } = await server
    .client()
    .call(routes.staff.login, { body: { username, password } });
  return server.client(token);
}

/** Asserts a call fails with the documented error shape: this status and this code. */
export async function expectError(
  promise: Promise<unknown>,
  status: number,
  code: string,
): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.code, code, err.message);
    assert.equal(err.status, status);
    return true;
  });
}

/**
 * Runs a scheduled job as of any moment, in process: the tests' way to let time pass. The API refuses an `asOf`
 * in the future for jobs that write (issue 18), and rightly: in production that would do now what is not due.
 */
export async function runJobAt(server: TestServer, name: string, asOf: Date) {
  return { name, affected: await server.app.get(JobScheduler).runNow(name, asOf) };
}

/** The lifecycle recompute as of any brand-local day, in process (the API refuses a day to come unless dryRun). */
export function recomputeAt(
  server: TestServer,
  asOf: string,
  options: { dryRun?: boolean; rebuild?: boolean } = {},
) {
  return server.app
    .get(JobScheduler)
    .exclusive(LIFECYCLE_LEASE, () =>
      server.app
        .get(LifecycleRecompute)
        .recompute(asOf, { dryRun: options.dryRun ?? false, rebuild: options.rebuild ?? false }),
    );
}

/**
 * Brand-local noon `n` days before today, so no purchase straddles midnight; today's noon may still be to come (the
 * brand's morning, while UTC is still on the day before), and an order may not be paid in the future: then now.
 */
export function brandNoonDaysAgo(tz: string, n: number): string {
  const noon =
    startOfBrandDay(addDays(brandDay(new Date(), tz), -n), tz).getTime() + 12 * 3_600_000;
  return new Date(Math.min(noon, Date.now() - 1_000)).toISOString();
}

/** A brand-local wall time (HH:MM) on a brand-local day, as an ISO instant. */
export function brandTime(tz: string, day: string, hhmm: string): string {
  const minutes = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  return new Date(startOfBrandDay(day, tz).getTime() + minutes * 60_000).toISOString();
}
