import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MessagingSettings } from '@huoyue/shared';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { Message, MessageTemplate } from './messaging.entities.js';
import { SubscribeCredits } from './subscribe-credits.js';

/** `creditGone`: WeChat answered 43101 (no consent left), so the credit the message holds is not given back. */
export interface EndOptions {
  creditGone?: boolean;
}

/**
 * What becomes of a message that did not go out: moved to its fallback template, released for a retry, or finished
 * as failed; each gives back the subscribe credit the message holds in the same transaction (SubscribeCredits).
 */
@Injectable()
export class MessageOutcomes {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly credits: SubscribeCredits,
  ) {}

  /** Moves the message to its next template (another channel); false when none is left. */
  async fallBack(
    message: Message,
    reason: string,
    options: EndOptions & { tx?: Tx } = {},
  ): Promise<boolean> {
    const run = async (tx: Tx) => {
      const m = tx.em;
      await this.credits.giveBack(tx, message, options.creditGone);
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
    return options.tx ? run(options.tx) : this.uow.run(run);
  }

  async finish(
    message: Message,
    status: 'failed' | 'suppressed',
    reason: string,
    options: EndOptions = {},
  ): Promise<void> {
    await this.uow.run(async (tx) => {
      await this.credits.giveBack(tx, message, options.creditGone);
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
   * hour, ±20 %), or failed for good after maxAttempts. The credit held and the cap place are given back.
   */
  async release(
    message: Message,
    now: Date,
    settings: MessagingSettings,
    reason: string,
  ): Promise<void> {
    if (message.attempts >= settings.retry.maxAttempts) {
      await this.finish(message, 'failed', `gave_up:${reason}`);
      return;
    }
    const backoffMs = Math.min(
      3_600_000,
      settings.retry.baseSeconds * 1000 * 2 ** (message.attempts - 1),
    );
    const jitter = backoffMs * (0.8 + randomInt(0, 401) / 1000);
    await this.uow.run(async (tx) => {
      await this.credits.giveBack(tx, message);
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

  async zeroQuota(memberId: number, templateId: string): Promise<void> {
    await this.dataSource.query(
      'UPDATE subscription_quota SET remaining = 0 WHERE member_id = ? AND template_id = ?',
      [memberId, templateId],
    );
  }
}
