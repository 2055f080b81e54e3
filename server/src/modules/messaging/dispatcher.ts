import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { brandDay, type MessageChannel, type MessagingSettings } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { placeholders } from '../../infra/database/bulk.js';
import { forUpdate, sqlInstant } from '../../infra/database/dialect.js';
import { MetricsService } from '../../infra/metrics/metrics.service.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { WechatGateway } from '../../infra/wechat/wechat.gateway.js';
import { PointsService } from '../points/index.js';
import type { MemberProfile } from '../members/member-directory.module.js';
import { SharedCounter } from '../../infra/limits/shared-counter.js';
import { SharedRateBudget } from '../../infra/limits/rate-budget.js';
import { SmsGateway, toSendFailure } from './channels.js';
import { Message, MessageTemplate, OaFollower } from './messaging.entities.js';
import { MessageOutcomes } from './message-outcomes.js';
import { MessagingService } from './messaging.service.js';
import { fill, renderFields } from './render.js';
import { SendDecision } from './send-decision.js';
import { SubscribeCredits } from './subscribe-credits.js';

/** What one dispatch pass did, by outcome. */
export interface DispatchCounts {
  sent: number;
  retried: number;
  failed: number;
  suppressed: number;
  deferred: number;
}

/**
 * Sends queued messages. Any number of processes may run it: each claims a batch of due rows with a conditional
 * UPDATE that marks them `sending` with its claim token and a claim that lapses, and works only on the rows that
 * carry its token, so two dispatchers never take the same row (SKIP LOCKED only keeps them from waiting on each
 * other's candidates on MySQL; TiDB ignores it); a process killed mid-send leaves rows whose claim lapses and
 * another dispatcher sends them again (the only source of duplicates). The claim also takes each subscribe
 * message's credit and records it on the row (SubscribeCredits), so a reclaimed message sends on the credit it
 * already holds. Per message: consent and caps are checked in one transaction holding the member's preference row
 * (SendDecision), then the send, then the outcome (MessageOutcomes, giving the credit back unless sent).
 */
@Injectable()
export class MessageDispatcher implements OnApplicationShutdown {
  private readonly logger = new Logger('Dispatcher');
  private readonly limiters = new Map<MessageChannel, SharedRateBudget>();
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly messaging: MessagingService,
    private readonly wechat: WechatGateway,
    private readonly sms: SmsGateway,
    private readonly points: PointsService,
    private readonly decision: SendDecision,
    private readonly outcomes: MessageOutcomes,
    private readonly credits: SubscribeCredits,
    private readonly counter: SharedCounter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
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
      // Sends run side by side (they wait on WeChat); the per-channel budgets keep the pace across instances.
      await Promise.all(
        claimed.map(async (message) => {
          const outcome = await this.process(message, settings, now).catch((err: unknown) => {
            this.logger.error(
              { err, message: message.id },
              'message processing failed; released for a retry',
            );
            return this.outcomes
              .release(message, now, settings, 'internal')
              .then(() => 'retried' as const);
          });
          counts[outcome]++;
          this.metrics.messagesDispatched.inc({ outcome });
        }),
      );
      if (batch) break;
    }
    return counts;
  }

  /** Due rows, and rows whose claim lapsed (their dispatcher died), marked `sending` by us. */
  private async claim(now: Date, limit: number): Promise<Message[]> {
    const kind = this.config.database.kind;
    const skipLocked = forUpdate(kind, { skipLocked: true });
    const at = sqlInstant(kind, now);
    const token = randomBytes(12).toString('hex');
    return this.uow.run(async (tx) => {
      // Candidates only: without SKIP LOCKED (TiDB) another dispatcher may read the same ones.
      const rows = (await tx.em.query(
        `SELECT id FROM message WHERE status = 'queued' AND due_at <= ?
         ORDER BY due_at, id LIMIT ${limit}${skipLocked}`,
        [at],
      )) as { id: number }[];
      if (rows.length < limit) {
        const stale = (await tx.em.query(
          `SELECT id FROM message WHERE status = 'sending' AND claimed_until < ?
           ORDER BY id LIMIT ${limit - rows.length}${skipLocked}`,
          [at],
        )) as { id: number }[];
        rows.push(...stale);
      }
      if (rows.length === 0) return [];
      const candidates = rows.map((r) => Number(r.id));
      // The claim: the condition is checked again on the row as committed, so only one dispatcher's UPDATE wins it.
      await tx.em.query(
        `UPDATE message SET status = 'sending', claim_token = ?, claimed_until = ?, attempts = attempts + 1
         WHERE id IN (${placeholders(candidates.length)})
           AND ((status = 'queued' AND due_at <= ?) OR (status = 'sending' AND claimed_until < ?))`,
        [
          token,
          sqlInstant(kind, new Date(now.getTime() + this.config.messageClaimSeconds * 1000)),
          ...candidates,
          at,
          at,
        ],
      );
      const ids = (
        (await tx.em.query(
          `SELECT id FROM message WHERE claim_token = ? AND id IN (${placeholders(candidates.length)})`,
          [token, ...candidates],
        )) as { id: number }[]
      ).map((r) => Number(r.id));
      if (ids.length === 0) return [];
      // Subscribe credits are taken with the claim and recorded on the rows: a reclaim after a crash reuses them.
      await this.credits.reserve(tx, ids);
      return tx.em.getRepository(Message).findBy({ id: In(ids) });
    });
  }

  private async process(
    message: Message,
    settings: MessagingSettings,
    now: Date,
  ): Promise<keyof DispatchCounts> {
    for (;;) {
      const prepared = await this.decision.prepare(message, settings, now);
      if (prepared.kind === 'done') {
        if (prepared.outcome === 'fallback') continue; // the row now holds the next template
        return prepared.outcome;
      }
      const rendered = this.render(
        prepared.template,
        await this.variables(message, prepared.profile),
      );
      if ('invalid' in rendered) {
        await this.outcomes.finish(message, 'failed', `invalid_field:${rendered.invalid}`);
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
        const failure = toSendFailure(err);
        if (failure.kind === 'transient') {
          await this.outcomes.release(message, now, settings, failure.reason);
          return message.attempts >= settings.retry.maxAttempts ? 'failed' : 'retried';
        }
        if (failure.reason === '43101')
          await this.outcomes.zeroQuota(message.memberId, prepared.template.wechatTemplateId!);
        if (failure.reason === '43004')
          await this.dataSource
            .getRepository(OaFollower)
            .update({ oaOpenid: prepared.address }, { following: false });
        const end = { creditGone: failure.reason === '43101' };
        if (
          failure.kind === 'unreachable' &&
          (await this.outcomes.fallBack(message, failure.reason, end))
        )
          continue;
        await this.outcomes.finish(message, 'failed', failure.reason, end);
        return 'failed';
      }
    }
  }

  /** The channel's per-second budget, shared by the dispatchers of every instance. */
  private limiter(channel: MessageChannel, settings: MessagingSettings): SharedRateBudget {
    let limiter = this.limiters.get(channel);
    if (!limiter) {
      const rate = settings.ratePerSecond[channel];
      limiter = new SharedRateBudget(this.counter, `send-rate:${channel}`, rate);
      this.limiters.set(channel, limiter);
    }
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
