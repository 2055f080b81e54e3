import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull } from 'typeorm';
import {
  DEFAULT_MESSAGING_SETTINGS,
  messagingSettings,
  type MessagingSettings,
} from '@huoyue/shared';
import type {
  messagePreferences,
  messageTemplateBody,
  messageView,
  subscriptionBody,
} from '@huoyue/shared';
import type { z } from 'zod';
import type { Actor } from '../../infra/auth/token.service.js';
import { affectedRows } from '../../infra/database/bulk.js';
import {
  concatSql,
  dialectOf,
  insertIgnoreVerb,
  randomHex24Sql,
  sqlInstant,
} from '../../infra/database/dialect.js';
import { isUniqueViolation } from '../../infra/database/errors.js';
import { UnitOfWork, type Tx } from '../../infra/events/unit-of-work.js';
import { DomainError, notFound } from '../../infra/http/domain-error.js';
import { claimRequestKey } from '../../infra/idempotency/request-keys.js';
import { SettingsService } from '../../infra/settings/settings.service.js';
import { EngagementService } from '../engagement/index.js';
import { MemberDirectory } from '../members/member-directory.module.js';
import { AuditService } from '../staff/index.js';
import {
  Message,
  MessagePreference,
  MessageTemplate,
  OaFollower,
  SubscriptionQuota,
} from './messaging.entities.js';
import type { Variables } from './render.js';

type TemplateBody = z.output<typeof messageTemplateBody>;
type MessageView = z.output<typeof messageView>;
type Preferences = z.output<typeof messagePreferences>;

const SETTINGS_KEY = 'messaging';

export interface EnqueueInput {
  memberId: number;
  /** The template to send, then the ones to fall back to (another channel) when it cannot reach the member. */
  templateIds: number[];
  /** Makes a retried cause queue once (e.g. `automation:7:member:42:2026-12`). */
  dedupeKey: string;
  automationId?: number | null;
  variables?: Variables;
  dueAt?: Date;
}

/**
 * Templates, consent (subscribe quotas, preferences, OA followers) and the message outbox. Messages are queued in
 * the caller's transaction (`enqueue`) and sent by the MessageDispatcher.
 */
@Injectable()
export class MessagingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly settingsService: SettingsService,
    private readonly audit: AuditService,
    private readonly engagement: EngagementService,
    private readonly members: MemberDirectory,
  ) {}

  settings(tx?: Tx): Promise<MessagingSettings> {
    return this.settingsService.get(
      SETTINGS_KEY,
      messagingSettings,
      DEFAULT_MESSAGING_SETTINGS,
      tx,
    );
  }

  setSettings(actor: Actor, input: MessagingSettings): Promise<MessagingSettings> {
    return this.uow.run(async (tx) => {
      const before = await this.settings(tx);
      const after = await this.settingsService.set(tx, SETTINGS_KEY, messagingSettings, input);
      await this.audit.record(tx, actor, {
        action: 'messaging.settings',
        entityType: 'settings',
        entityId: SETTINGS_KEY,
        before,
        after,
      });
      return after;
    });
  }

  /** An automation's messages by status and reason, with how many were opened (its report). */
  async outcomesOfAutomation(
    automationId: number,
  ): Promise<{ status: string; reason: string | null; n: number; opened: number | null }[]> {
    return (await this.dataSource.query(
      `SELECT status, reason, COUNT(*) AS n, SUM(CASE WHEN opened_at IS NOT NULL THEN 1 ELSE 0 END) AS opened
       FROM message WHERE automation_id = ? GROUP BY status, reason`,
      [automationId],
    )) as { status: string; reason: string | null; n: number; opened: number | null }[];
  }

  // ---------------------------------------------------------------- templates

  async templates(): Promise<MessageTemplate[]> {
    return this.dataSource.getRepository(MessageTemplate).find({ order: { id: 'ASC' } });
  }

  async template(id: number, tx?: Tx): Promise<MessageTemplate | null> {
    return (tx?.em ?? this.dataSource.manager).findOneBy(MessageTemplate, { id });
  }

  async saveTemplate(actor: Actor, input: TemplateBody, id?: number): Promise<MessageTemplate> {
    try {
      return await this.uow.run(async (tx) => {
        const before = id ? await tx.em.findOneBy(MessageTemplate, { id }) : null;
        if (id && !before) throw notFound('消息模板');
        const row = tx.em.create(MessageTemplate, { ...(before ?? {}), ...input });
        const saved = await tx.em.save(MessageTemplate, row);
        await this.audit.record(tx, actor, {
          action: id ? 'message_template.update' : 'message_template.create',
          entityType: 'message_template',
          entityId: saved.id,
          before,
          after: input,
        });
        return saved;
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new DomainError('CONFLICT', `编码 ${input.code} 已被其他模板使用`);
      throw err;
    }
  }

  // ---------------------------------------------------------------- consent

  /** wx.requestSubscribeMessage's answer: every accept adds one send; ban sets the template to zero for good. */
  async reportSubscriptions(
    memberId: number,
    results: z.output<typeof subscriptionBody>['results'],
  ): Promise<{ templateId: string; remaining: number; banned: boolean }[]> {
    await this.uow.run(async (tx) => {
      for (const [templateId, result] of Object.entries(results)) {
        await tx.em
          .createQueryBuilder()
          .insert()
          .into(SubscriptionQuota)
          .values({ memberId, templateId, remaining: 0, banned: false })
          .orIgnore()
          .execute();
        if (result.startsWith('accept')) {
          await tx.em.query(
            `UPDATE subscription_quota SET remaining = remaining + 1, banned = ?
             WHERE member_id = ? AND template_id = ?`,
            [false, memberId, templateId],
          );
        } else if (result === 'ban') {
          await tx.em.update(
            SubscriptionQuota,
            { memberId, templateId },
            { remaining: 0, banned: true },
          );
        }
      }
    });
    const rows = await this.dataSource
      .getRepository(SubscriptionQuota)
      .find({ where: { memberId }, order: { templateId: 'ASC' } });
    return rows.map((r) => ({
      templateId: r.templateId,
      remaining: r.remaining,
      banned: r.banned,
    }));
  }

  async preferences(memberId: number, tx?: Tx): Promise<Preferences> {
    const row = await (tx?.em ?? this.dataSource.manager).findOneBy(MessagePreference, {
      memberId,
    });
    return { reminders: row?.reminders ?? true, marketingSms: row?.marketingSms ?? false };
  }

  async setPreferences(memberId: number, input: Preferences): Promise<Preferences> {
    await this.uow.run((tx) =>
      tx.em.upsert(
        MessagePreference,
        { memberId, reminders: input.reminders, marketingSms: input.marketingSms },
        ['memberId'],
      ),
    );
    return this.preferences(memberId);
  }

  async syncFollowers(
    followers: { unionid: string; oaOpenid: string; following: boolean }[],
  ): Promise<number> {
    await this.uow.run((tx) => tx.em.upsert(OaFollower, followers, ['unionid']));
    return followers.length;
  }

  // ---------------------------------------------------------------- the outbox

  /**
   * Queues a message in the caller's transaction, so it exists exactly when what caused it does. A second call
   * with the same dedupe key queues nothing and answers false.
   */
  async enqueue(tx: Tx, input: EnqueueInput): Promise<boolean> {
    const [first, ...fallback] = input.templateIds;
    const template = first ? await this.template(first, tx) : null;
    if (!template) throw new DomainError('NOT_FOUND', '消息模板不存在');
    const trackToken = randomBytes(12).toString('base64url');
    await tx.em
      .createQueryBuilder()
      .insert()
      .into(Message)
      .values({
        memberId: input.memberId,
        templateId: template.id,
        fallback,
        channel: template.channel,
        purpose: template.purpose,
        automationId: input.automationId ?? null,
        dedupeKey: input.dedupeKey,
        status: 'queued',
        reason: null,
        variables: input.variables ?? null,
        data: null,
        trackToken,
        dueAt: input.dueAt ?? new Date(),
        attempts: 0,
        claimedUntil: null,
        msgid: null,
        sentAt: null,
        openedAt: null,
      })
      .orIgnore()
      .execute();
    // Ours if the row under the key carries the token just made (an ignored duplicate keeps the first one's).
    const row = await tx.em.findOne(Message, {
      where: { dedupeKey: input.dedupeKey },
      select: { id: true, trackToken: true },
    });
    return row?.trackToken === trackToken;
  }

  /**
   * Queues one message per member of an audience with one INSERT … SELECT (a broadcast to a hundred thousand members
   * is one statement). `audience` is a SELECT answering `member_id`; keys are `${dedupePrefix}${member_id}`.
   */
  async enqueueAudience(
    tx: Tx,
    input: { templateIds: number[]; dedupePrefix: string; audience: string; params: unknown[] },
  ): Promise<number> {
    const [first, ...fallback] = input.templateIds;
    const template = first ? await this.template(first, tx) : null;
    if (!template) throw new DomainError('NOT_FOUND', '消息模板不存在');
    const kind = dialectOf(tx.em);
    const token = randomHex24Sql(kind, 'a.member_id');
    const key = concatSql(kind, '?', 'a.member_id');
    const now = sqlInstant(kind, new Date());
    const sql = `${insertIgnoreVerb(kind)} INTO message
        (member_id, template_id, fallback, channel, purpose, automation_id, dedupe_key, status, track_token, due_at,
         attempts)
      SELECT a.member_id, ?, ?, ?, ?, NULL, ${key}, 'queued', ${token}, ?, 0 FROM (${input.audience}) a`;
    return affectedRows(tx.em, sql, [
      template.id,
      JSON.stringify(fallback),
      template.channel,
      template.purpose,
      input.dedupePrefix,
      now,
      ...input.params,
    ]);
  }

  /** Staff send one message to one member, through the same pipeline (consent, caps, quiet hours). */
  async sendOne(
    actor: Actor,
    input: {
      memberId: number;
      templateId: number;
      fallbackTemplateIds: number[];
      requestId: string;
    },
  ): Promise<MessageView> {
    const dedupeKey = `staff:${input.requestId}`;
    const { requestId: _key, ...request } = input;
    await this.uow.run(async (tx) => {
      await claimRequestKey(tx.em, 'message.send', input.requestId, request);
      if (!(await this.members.profile(input.memberId, tx))) throw notFound('会员');
      const template = await this.template(input.templateId, tx);
      if (!template || !template.active)
        throw new DomainError('NOT_FOUND', '消息模板不存在或已停用');
      for (const id of input.fallbackTemplateIds)
        if (!(await this.template(id, tx)))
          throw new DomainError('NOT_FOUND', `消息模板 ${id} 不存在`);
      if (
        await this.enqueue(tx, {
          memberId: input.memberId,
          templateIds: [template.id, ...input.fallbackTemplateIds],
          dedupeKey,
        })
      ) {
        await this.audit.record(tx, actor, {
          action: 'message.send',
          entityType: 'member',
          entityId: input.memberId,
          after: { templateId: template.id },
        });
      }
    });
    return this.view(await this.dataSource.getRepository(Message).findOneByOrFail({ dedupeKey }));
  }

  /** The member opened the mini-program from a message: recorded once, as an interaction. */
  async opened(memberId: number, token: string): Promise<void> {
    await this.uow.run(async (tx) => {
      const message = await tx.em.findOneBy(Message, { trackToken: token, memberId });
      if (!message) throw new DomainError('NOT_FOUND', '链接已失效');
      if (message.openedAt) return;
      const now = new Date();
      await tx.em.update(Message, { id: message.id, openedAt: IsNull() }, { openedAt: now });
      await this.engagement.record(tx, {
        memberId,
        type: 'message_opened',
        occurredAt: now,
        sourceRef: `message:${message.id}`,
        properties: { messageId: message.id, automationId: message.automationId },
      });
      await tx.publish('message.opened', {
        memberId,
        messageId: message.id,
        automationId: message.automationId,
        at: now.toISOString(),
      });
    });
  }

  async list(query: {
    memberId?: number;
    status?: Message['status'];
    automationId?: number;
    limit: number;
    cursor?: string;
  }): Promise<{ items: MessageView[]; nextCursor: string | null }> {
    const qb = this.dataSource
      .getRepository(Message)
      .createQueryBuilder('m')
      .orderBy('m.id', 'DESC')
      .take(query.limit + 1);
    if (query.memberId) qb.andWhere('m.member_id = :memberId', { memberId: query.memberId });
    if (query.status) qb.andWhere('m.status = :status', { status: query.status });
    if (query.automationId)
      qb.andWhere('m.automation_id = :automationId', { automationId: query.automationId });
    if (query.cursor && /^\d+$/.test(query.cursor))
      qb.andWhere('m.id < :cursor', { cursor: Number(query.cursor) });
    const rows = await qb.getMany();
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((m) => this.view(m)),
      nextCursor: rows.length > query.limit ? String(page[page.length - 1]!.id) : null,
    };
  }

  async byIds(ids: number[]): Promise<Message[]> {
    return ids.length ? this.dataSource.getRepository(Message).findBy({ id: In(ids) }) : [];
  }

  view(m: Message): MessageView {
    return {
      id: m.id,
      memberId: m.memberId,
      templateId: m.templateId,
      channel: m.channel,
      purpose: m.purpose,
      status: m.status,
      reason: m.reason,
      attempts: m.attempts,
      dueAt: m.dueAt.toISOString(),
      sentAt: m.status === 'sent' && m.sentAt ? m.sentAt.toISOString() : null,
      openedAt: m.openedAt?.toISOString() ?? null,
      msgid: m.msgid,
      automationId: m.automationId,
      data: m.data,
    };
  }
}
