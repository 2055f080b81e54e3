import { randomInt } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import {
  brandDay,
  startOfBrandDay,
  addDays,
  type MessageChannel,
  type MessagingSettings,
} from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { affectedRows, sqlInstant } from '../../infra/database/bulk.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { WechatApiError } from '../../infra/wechat/wechat.errors.js';
import { WechatGateway } from '../../infra/wechat/wechat.gateway.js';
import { PointsService } from '../points/points.service.js';
import { MemberDirectory, type MemberProfile } from '../points/member-directory.js';
import { classifyWechat, RateLimiter, SendFailure, SmsGateway } from './channels.js';
import { Message, MessagePreference, MessageTemplate, OaFollower } from './messaging.entities.js';
import { MessagingService } from './messaging.service.js';
import { fill, renderFields } from './render.js';

/** What one dispatch pass did, by outcome. */
export interface DispatchCounts {
  sent: number;
  retried: number;
  failed: number;
  suppressed: number;
  deferred: number;
}

type Prepared =
  | {
      kind: 'send';
      template: MessageTemplate;
      profile: MemberProfile;
      address: string;
      reservedQuota: boolean;
    }
  | { kind: 'done'; outcome: 'suppressed' | 'failed' | 'deferred' | 'fallback'; reason?: string };

const CAPPED = ['reactivation', 'marketing'];

/**
 * Sends queued messages. Any number of processes may run it: each claims a batch of due rows (`FOR UPDATE SKIP
 * LOCKED` on MySQL, so two dispatchers never take the same row) and marks them `sending` with a claim that
 * lapses; a process killed mid-send leaves rows whose claim lapses and another dispatcher sends them again (the
 * only source of duplicates). Per message: consent and caps are checked and the quota reserved in one transaction
 * holding the member's preference row, then the send, then the outcome.
 */
@Injectable()
export class MessageDispatcher implements OnApplicationShutdown {
  private readonly logger = new Logger('Dispatcher');
  private readonly limiters = new Map<MessageChannel, RateLimiter>();
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly messaging: MessagingService,
    private readonly wechat: WechatGateway,
    private readonly sms: SmsGateway,
    private readonly points: PointsService,
    private readonly members: MemberDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          const counts = await this.dispatchOnce(new Date(), 50);
          const busy =
            counts.sent + counts.retried + counts.failed + counts.suppressed + counts.deferred > 0;
          if (!busy) await new Promise((r) => setTimeout(r, 250));
        } catch (err) {
          this.logger.error({ err }, 'dispatch pass failed');
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    })();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Claims what is due at `now` and sends it; with `batch`, one batch, else until nothing is due. */
  async dispatchOnce(now = new Date(), batch?: number): Promise<DispatchCounts> {
    const counts: DispatchCounts = { sent: 0, retried: 0, failed: 0, suppressed: 0, deferred: 0 };
    const settings = await this.messaging.settings();
    for (;;) {
      const claimed = await this.claim(now, batch ?? 100);
      if (claimed.length === 0) break;
      // Sends run side by side (they wait on WeChat); the per-channel limiters keep the pace.
      await Promise.all(
        claimed.map(async (message) => {
          const outcome = await this.process(message, settings, now).catch((err: unknown) => {
            this.logger.error(
              { err, message: message.id },
              'message processing failed; released for a retry',
            );
            return this.release(message, now, settings, 'internal').then(() => 'retried' as const);
          });
          counts[outcome]++;
        }),
      );
      if (batch) break;
    }
    return counts;
  }

  /** Due rows, and rows whose claim lapsed (their dispatcher died), marked `sending` by us. */
  private async claim(now: Date, limit: number): Promise<Message[]> {
    const kind = this.config.database.kind;
    const skipLocked = kind === 'mysql' ? ' FOR UPDATE SKIP LOCKED' : '';
    const at = sqlInstant(kind, now);
    return this.uow.run(async (tx) => {
      const rows = (await tx.em.query(
        `SELECT id FROM message WHERE status = 'queued' AND due_at <= ? ORDER BY due_at, id LIMIT ${limit}${skipLocked}`,
        [at],
      )) as { id: number }[];
      if (rows.length < limit) {
        const stale = (await tx.em.query(
          `SELECT id FROM message WHERE status = 'sending' AND claimed_until < ? ORDER BY id LIMIT ${limit - rows.length}${skipLocked}`,
          [at],
        )) as { id: number }[];
        rows.push(...stale);
      }
      if (rows.length === 0) return [];
      const ids = rows.map((r) => Number(r.id));
      await tx.em
        .createQueryBuilder()
        .update(Message)
        .set({
          status: 'sending',
          claimedUntil: new Date(now.getTime() + this.config.messageClaimSeconds * 1000),
          attempts: () => 'attempts + 1',
        })
        .whereInIds(ids)
        .execute();
      return tx.em.getRepository(Message).findBy({ id: In(ids) });
    });
  }

  private async process(
    message: Message,
    settings: MessagingSettings,
    now: Date,
  ): Promise<keyof DispatchCounts> {
    for (;;) {
      const prepared = await this.prepare(message, settings, now);
      if (prepared.kind === 'done') {
        if (prepared.outcome === 'fallback') continue; // the row now holds the next template
        return prepared.outcome;
      }
      const rendered = this.render(
        prepared.template,
        await this.variables(message, prepared.profile),
      );
      if ('invalid' in rendered) {
        await this.finish(message, 'failed', `invalid_field:${rendered.invalid}`, {
          refundQuota: prepared.reservedQuota,
        });
        return 'failed';
      }
      await this.limiter(prepared.template.channel, settings).take();
      try {
        const msgid = await this.send(prepared.template, prepared.address, message, rendered);
        await this.uow.run(async (tx) => {
          await tx.em.update(
            Message,
            { id: message.id },
            { status: 'sent', msgid, data: rendered.data, reason: null, claimedUntil: null },
          );
          await tx.publish('message.sent', {
            memberId: message.memberId,
            messageId: message.id,
            automationId: message.automationId,
            channel: prepared.template.channel,
            at: new Date().toISOString(),
          });
        });
        return 'sent';
      } catch (err) {
        const failure =
          err instanceof SendFailure
            ? err
            : err instanceof WechatApiError
              ? classifyWechat(err)
              : new SendFailure('error', 'transient');
        if (failure.kind === 'transient') {
          await this.release(message, now, settings, failure.reason, prepared.reservedQuota);
          return message.attempts >= settings.retry.maxAttempts ? 'failed' : 'retried';
        }
        if (failure.reason === '43101')
          await this.zeroQuota(message.memberId, prepared.template.wechatTemplateId!);
        if (failure.reason === '43004')
          await this.dataSource
            .getRepository(OaFollower)
            .update({ oaOpenid: prepared.address }, { following: false });
        const refund = prepared.reservedQuota && failure.reason !== '43101';
        if (
          failure.kind === 'unreachable' &&
          (await this.fallBack(message, failure.reason, refund))
        )
          continue;
        await this.finish(message, 'failed', failure.reason, { refundQuota: refund });
        return 'failed';
      }
    }
  }

  /**
   * Everything decided before a send, in one transaction holding the member's preference row (so two dispatchers
   * cannot both pass the caps): opt-out and consent, quiet hours, frequency caps, and the channel's address and
   * quota, reserving one subscribe credit and the message's place under the caps.
   */
  private async prepare(
    message: Message,
    settings: MessagingSettings,
    now: Date,
  ): Promise<Prepared> {
    const quiet = this.quietUntil(settings, now);
    if (quiet) {
      await this.dataSource
        .getRepository(Message)
        .update(
          { id: message.id },
          { status: 'queued', dueAt: quiet, attempts: message.attempts - 1, claimedUntil: null },
        );
      return { kind: 'done', outcome: 'deferred' };
    }
    return this.uow.run(async (tx) => {
      const template = await tx.em.findOneBy(MessageTemplate, { id: message.templateId });
      const profile = await this.members.profile(tx.em, message.memberId);
      const suppress = async (
        reason: string,
        outcome: 'suppressed' | 'failed' = 'suppressed',
      ): Promise<Prepared> => {
        await tx.em.update(
          Message,
          { id: message.id },
          { status: outcome, reason, claimedUntil: null, sentAt: null },
        );
        return { kind: 'done', outcome, reason };
      };
      if (!template || !template.active) return suppress('template_inactive', 'failed');
      if (!profile || profile.status !== 'member') return suppress('not_a_member', 'failed');
      const prefs = await this.lockPreferences(tx.em, message.memberId);
      if (!prefs.reminders) return suppress('opted_out');
      if (template.purpose === 'marketing' && !prefs.marketingSms)
        return suppress('no_marketing_consent');
      if (CAPPED.includes(template.purpose)) {
        const count = async (days: number) =>
          Number(
            (
              (await tx.em.query(
                `SELECT COUNT(*) AS n FROM message WHERE member_id = ? AND sent_at >= ? AND status IN ('sending', 'sent') AND purpose IN ('reactivation', 'marketing') AND id <> ?`,
                [
                  message.memberId,
                  sqlInstant(
                    this.config.database.kind,
                    new Date(now.getTime() - days * 86_400_000),
                  ),
                  message.id,
                ],
              )) as { n: number }[]
            )[0]!.n,
          );
        if (
          (await count(3)) >= settings.caps.per3Days ||
          (await count(30)) >= settings.caps.per30Days
        )
          return suppress('capped');
      }
      const unreachable = async (reason: string): Promise<Prepared> => {
        if (await this.fallBack(message, reason, false, tx.em))
          return { kind: 'done', outcome: 'fallback' };
        return suppress(reason);
      };
      let address: string;
      let reservedQuota = false;
      if (template.channel === 'subscribe') {
        if (!profile.openid) return unreachable('no_openid');
        const reserved = await affectedRows(
          tx.em,
          'UPDATE subscription_quota SET remaining = remaining - 1 WHERE member_id = ? AND template_id = ? AND remaining > 0',
          [message.memberId, template.wechatTemplateId],
        );
        if (reserved === 0) return unreachable('no_quota');
        address = profile.openid;
        reservedQuota = true;
      } else if (template.channel === 'oa_template') {
        if (!this.config.wechat.oa) return unreachable('oa_not_configured');
        const follower = profile.unionid
          ? await tx.em.findOneBy(OaFollower, { unionid: profile.unionid })
          : null;
        if (!follower?.following) return unreachable('not_following');
        address = follower.oaOpenid;
      } else {
        if (!this.sms.available) return unreachable('sms_unavailable');
        if (!profile.phone) return unreachable('no_phone');
        address = profile.phone;
      }
      // The message's place under the caps, held from now on (cleared again if it does not go out).
      await tx.em.update(Message, { id: message.id }, { sentAt: now, channel: template.channel });
      return { kind: 'send', template, profile, address, reservedQuota };
    });
  }

  private async lockPreferences(
    em: EntityManager,
    memberId: number,
  ): Promise<{ reminders: boolean; marketingSms: boolean }> {
    await em
      .createQueryBuilder()
      .insert()
      .into(MessagePreference)
      .values({ memberId, reminders: true, marketingSms: false })
      .orIgnore()
      .execute();
    const lock = this.config.database.kind === 'mysql' ? ' FOR UPDATE' : '';
    const [row] = (await em.query(
      `SELECT reminders, marketing_sms FROM message_preference WHERE member_id = ?${lock}`,
      [memberId],
    )) as { reminders: number | boolean; marketing_sms: number | boolean }[];
    return {
      reminders: Boolean(Number(row!.reminders)),
      marketingSms: Boolean(Number(row!.marketing_sms)),
    };
  }

  /** Moves the message to its next template (another channel); false when none is left. */
  private async fallBack(
    message: Message,
    reason: string,
    refundQuota: boolean,
    em?: EntityManager,
  ): Promise<boolean> {
    const run = async (m: EntityManager) => {
      if (refundQuota) await this.refundQuota(m, message);
      const next = message.fallback[0];
      if (next === undefined) return false;
      const template = await m.findOneBy(MessageTemplate, { id: next });
      if (!template) return false;
      message.templateId = template.id;
      message.fallback = message.fallback.slice(1);
      message.channel = template.channel;
      message.purpose = template.purpose;
      await m.update(
        Message,
        { id: message.id },
        {
          templateId: template.id,
          fallback: message.fallback,
          channel: template.channel,
          purpose: template.purpose,
          reason: `fallback_after:${reason}`,
          sentAt: null,
        },
      );
      return true;
    };
    return em ? run(em) : this.uow.run((tx) => run(tx.em));
  }

  private async finish(
    message: Message,
    status: 'failed' | 'suppressed',
    reason: string,
    options: { refundQuota: boolean },
  ): Promise<void> {
    await this.uow.run(async (tx) => {
      if (options.refundQuota) await this.refundQuota(tx.em, message);
      await tx.em.update(
        Message,
        { id: message.id },
        { status, reason, claimedUntil: null, sentAt: null },
      );
      await tx.publish('message.failed', {
        memberId: message.memberId,
        messageId: message.id,
        automationId: message.automationId,
        reason,
        at: new Date().toISOString(),
      });
    });
  }

  /**
   * A transient failure: back to the queue after an exponential backoff with jitter (base × 2^(attempt − 1), up to an
   * hour, ±20 %), or failed for good after maxAttempts. The reserved credit and cap place are given back.
   */
  private async release(
    message: Message,
    now: Date,
    settings: MessagingSettings,
    reason: string,
    refundQuota = false,
  ): Promise<void> {
    if (message.attempts >= settings.retry.maxAttempts) {
      await this.finish(message, 'failed', `gave_up:${reason}`, { refundQuota });
      return;
    }
    const backoffMs = Math.min(
      3_600_000,
      settings.retry.baseSeconds * 1000 * 2 ** (message.attempts - 1),
    );
    const jitter = backoffMs * (0.8 + randomInt(0, 401) / 1000);
    await this.uow.run(async (tx) => {
      if (refundQuota) await this.refundQuota(tx.em, message);
      await tx.em.update(
        Message,
        { id: message.id },
        {
          status: 'queued',
          reason: `retry:${reason}`,
          dueAt: new Date(now.getTime() + jitter),
          claimedUntil: null,
          sentAt: null,
        },
      );
    });
  }

  private async refundQuota(em: EntityManager, message: Message): Promise<void> {
    const template = await em.findOneBy(MessageTemplate, { id: message.templateId });
    if (template?.wechatTemplateId)
      await em.query(
        'UPDATE subscription_quota SET remaining = remaining + 1 WHERE member_id = ? AND template_id = ? AND banned = ?',
        [message.memberId, template.wechatTemplateId, false],
      );
  }

  private async zeroQuota(memberId: number, templateId: string): Promise<void> {
    await this.dataSource.query(
      'UPDATE subscription_quota SET remaining = 0 WHERE member_id = ? AND template_id = ?',
      [memberId, templateId],
    );
  }

  /** The end of the quiet window when `now` is inside it (brand-local), else null. */
  quietUntil(settings: MessagingSettings, now: Date): Date | null {
    if (!settings.quietHours) return null;
    const tz = this.config.brandTimezone;
    const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
    const today = brandDay(now, tz);
    const sinceMidnight = Math.floor(
      (now.getTime() - startOfBrandDay(today, tz).getTime()) / 60_000,
    );
    const [start, end] = [minutes(settings.quietHours.start), minutes(settings.quietHours.end)];
    const inside =
      start <= end
        ? sinceMidnight >= start && sinceMidnight < end
        : sinceMidnight >= start || sinceMidnight < end;
    if (!inside) return null;
    const endDay = start > end && sinceMidnight >= start ? addDays(today, 1) : today;
    return new Date(startOfBrandDay(endDay, tz).getTime() + end * 60_000);
  }

  private limiter(channel: MessageChannel, settings: MessagingSettings): RateLimiter {
    let limiter = this.limiters.get(channel);
    if (!limiter)
      this.limiters.set(channel, (limiter = new RateLimiter(settings.ratePerSecond[channel])));
    limiter.setRate(settings.ratePerSecond[channel]);
    return limiter;
  }

  private async variables(
    message: Message,
    profile: MemberProfile,
  ): Promise<Record<string, string | number | null>> {
    const balances = await this.points.balances(message.memberId);
    return {
      nickname: profile.nickname ?? '会员',
      cardNo: profile.cardNo,
      points: balances.balance,
      today: brandDay(new Date(), this.config.brandTimezone),
      ...(message.variables ?? {}),
    };
  }

  private render(
    template: MessageTemplate,
    variables: Record<string, string | number | null>,
  ): { data: Record<string, string> } | { invalid: string } {
    if (template.channel === 'sms')
      return { data: { text: fill(template.smsText ?? '', variables).slice(0, 300) } };
    return renderFields(template.fields, variables);
  }

  private page(template: MessageTemplate, message: Message): string | undefined {
    if (!template.page) return undefined;
    return `${template.page}?hy_m=${message.trackToken}`;
  }

  private async send(
    template: MessageTemplate,
    address: string,
    message: Message,
    rendered: { data: Record<string, string> },
  ): Promise<string> {
    const data = Object.fromEntries(
      Object.entries(rendered.data).map(([k, v]) => [k, { value: v }]),
    );
    if (template.channel === 'subscribe')
      return this.wechat.sendSubscribeMessage({
        touser: address,
        templateId: template.wechatTemplateId!,
        page: this.page(template, message),
        data,
      });
    if (template.channel === 'oa_template') {
      const page = this.page(template, message);
      return this.wechat.sendTemplateMessage(this.config.wechat.oa!, {
        touser: address,
        templateId: template.wechatTemplateId!,
        ...(page ? { miniprogram: { appid: this.config.wechat.appId, pagepath: page } } : {}),
        // WeChat sends one message per openid and client_msg_id for ten minutes: a retry cannot double it.
        clientMsgId: `hy-${message.id}`,
        data,
      });
    }
    return this.sms.send(address, rendered.data.text!);
  }
}
