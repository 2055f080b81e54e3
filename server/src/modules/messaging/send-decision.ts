import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { brandDay, startOfBrandDay, addDays, type MessagingSettings } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { sqlInstant } from '../../infra/database/bulk.js';
import { lockOrCreate } from '../../infra/database/locks.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { MemberDirectory, type MemberProfile } from '../members/member-directory.module.js';
import { SmsGateway } from './channels.js';
import { Message, MessagePreference, MessageTemplate, OaFollower } from './messaging.entities.js';
import { MessageOutcomes } from './message-outcomes.js';
import { SubscribeCredits } from './subscribe-credits.js';

/** What the decision before a send came to: send it (to this address), or the message is done with for now. */
export type Prepared =
  | {
      kind: 'send';
      template: MessageTemplate;
      profile: MemberProfile;
      address: string;
    }
  | { kind: 'done'; outcome: 'suppressed' | 'failed' | 'deferred' | 'fallback'; reason?: string };

/** Where the template's channel reaches the member, or why it cannot. */
type Reach = { address: string } | { unreachable: string };

const CAPPED = ['reactivation', 'marketing'];

/**
 * The per-message decision before a send: quiet hours, opt-out and consent, frequency caps, and the channel's address
 * and subscribe credit.
 */
@Injectable()
export class SendDecision {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly members: MemberDirectory,
    private readonly sms: SmsGateway,
    private readonly outcomes: MessageOutcomes,
    private readonly credits: SubscribeCredits,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Everything decided before a send, in one transaction holding the member's preference row (so two dispatchers
   * cannot both pass the caps): opt-out and consent, quiet hours, frequency caps, and the channel's address and
   * its subscribe credit (the one taken with the claim, else one taken now), and the message's place under the caps.
   * A message suppressed or deferred here gives its credit back in the transaction that says so.
   */
  async prepare(message: Message, settings: MessagingSettings, now: Date): Promise<Prepared> {
    const quiet = this.quietUntil(settings, now);
    if (quiet) {
      // Back to the queue until the window ends; the credit goes back meanwhile (the next claim takes it again).
      await this.uow.run(async (tx) => {
        await this.credits.giveBack(tx, message);
        await tx.em.update(
          Message,
          { id: message.id },
          { status: 'queued', dueAt: quiet, attempts: message.attempts - 1, claimedUntil: null },
        );
      });
      return { kind: 'done', outcome: 'deferred' };
    }
    return this.uow.run(async (tx) => {
      // The member's lock first: the caps below then count every message a decision before this one let through
      // (a plain read before the lock would fix MariaDB's snapshot before that decision committed).
      const prefs = await this.lockPreferences(tx.em, message.memberId);
      const template = await tx.em.findOneBy(MessageTemplate, { id: message.templateId });
      const profile = await this.members.profile(message.memberId, tx);
      const suppress = async (
        reason: string,
        outcome: 'suppressed' | 'failed' = 'suppressed',
      ): Promise<Prepared> => {
        await this.credits.giveBack(tx, message);
        await tx.em.update(
          Message,
          { id: message.id },
          { status: outcome, reason, claimedUntil: null, sentAt: null },
        );
        return { kind: 'done', outcome, reason };
      };
      if (!template || !template.active) return suppress('template_inactive', 'failed');
      if (!profile || profile.status !== 'member') return suppress('not_a_member', 'failed');
      if (!prefs.reminders) return suppress('opted_out');
      if (template.purpose === 'marketing' && !prefs.marketingSms)
        return suppress('no_marketing_consent');
      if (CAPPED.includes(template.purpose) && (await this.capped(tx.em, message, settings, now)))
        return suppress('capped');
      const reach = await this.reach(tx, message, template, profile);
      if ('unreachable' in reach) {
        if (await this.outcomes.fallBack(message, reach.unreachable, { tx }))
          return { kind: 'done', outcome: 'fallback' };
        return suppress(reach.unreachable);
      }
      // The message's place under the caps, held from now on (cleared again if it does not go out).
      await tx.em.update(Message, { id: message.id }, { sentAt: now, channel: template.channel });
      return { kind: 'send', template, profile, ...reach };
    });
  }

  /** Whether the member already had as many capped messages (reactivation, marketing) as the caps allow. */
  private async capped(
    em: EntityManager,
    message: Message,
    settings: MessagingSettings,
    now: Date,
  ): Promise<boolean> {
    const count = async (days: number) =>
      Number(
        (
          (await em.query(
            `SELECT COUNT(*) AS n FROM message
             WHERE member_id = ? AND sent_at >= ? AND status IN ('sending', 'sent')
               AND purpose IN ('reactivation', 'marketing') AND id <> ?`,
            [
              message.memberId,
              sqlInstant(this.config.database.kind, new Date(now.getTime() - days * 86_400_000)),
              message.id,
            ],
          )) as { n: number }[]
        )[0]!.n,
      );
    return (
      (await count(3)) >= settings.caps.per3Days || (await count(30)) >= settings.caps.per30Days
    );
  }

  /** The member's address on the template's channel; for a subscribe message, the credit it holds. */
  private async reach(
    tx: Tx,
    message: Message,
    template: MessageTemplate,
    profile: MemberProfile,
  ): Promise<Reach> {
    if (template.channel === 'subscribe') {
      if (!profile.openid) return { unreachable: 'no_openid' };
      if (!(await this.credits.hold(tx, message, template.wechatTemplateId!)))
        return { unreachable: 'no_quota' };
      return { address: profile.openid };
    }
    if (template.channel === 'oa_template') {
      if (!this.config.wechat.oa) return { unreachable: 'oa_not_configured' };
      const follower = profile.unionid
        ? await tx.em.findOneBy(OaFollower, { unionid: profile.unionid })
        : null;
      if (!follower?.following) return { unreachable: 'not_following' };
      return { address: follower.oaOpenid };
    }
    if (!this.sms.available) return { unreachable: 'sms_unavailable' };
    if (!profile.phone) return { unreachable: 'no_phone' };
    return { address: profile.phone };
  }

  private async lockPreferences(
    em: EntityManager,
    memberId: number,
  ): Promise<{ reminders: boolean; marketingSms: boolean }> {
    await lockOrCreate(em, MessagePreference, { memberId, reminders: true, marketingSms: false });
    // Locked already: this read sees the row as it is now.
    const [row] = (await em.query(
      'SELECT reminders, marketing_sms FROM message_preference WHERE member_id = ?',
      [memberId],
    )) as { reminders: number | boolean; marketing_sms: number | boolean }[];
    return {
      reminders: Boolean(Number(row!.reminders)),
      marketingSms: Boolean(Number(row!.marketing_sms)),
    };
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
}
