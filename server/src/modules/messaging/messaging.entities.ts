import type { MessageChannel, MessagePurpose } from '@huoyue/shared';
import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import {
  CreatedAtColumn,
  InstantColumn,
  JsonTextColumn,
  UpdatedAtColumn,
} from '../../infra/database/columns.js';

/** A message staff configured: channel, WeChat template and its field mapping (or SMS text), landing page. */
@Entity('message_template')
export class MessageTemplate {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 32, unique: true })
  code!: string;

  @Column({ type: 'varchar', length: 40 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: MessageChannel;

  @Column({ type: 'varchar', length: 16 })
  purpose!: MessagePurpose;

  @Column({ name: 'wechat_template_id', type: 'varchar', length: 64, nullable: true })
  wechatTemplateId!: string | null;

  @Column({ type: 'simple-json' })
  fields!: { key: string; value: string }[];

  @Column({ name: 'sms_text', type: 'varchar', length: 300, nullable: true })
  smsText!: string | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  page!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreatedAtColumn()
  createdAt!: Date;
}

/**
 * Subscribe-message consent, per member and WeChat template: each "accept" adds one send, each send uses one,
 * "ban" and errcode 43101 set it to zero. WeChat offers no way to ask, so the count is ours to keep.
 */
@Entity('subscription_quota')
@Check('chk_subscription_quota_remaining', 'remaining >= 0')
export class SubscriptionQuota {
  @PrimaryColumn({ name: 'member_id', type: 'int' })
  memberId!: number;

  @PrimaryColumn({ name: 'template_id', type: 'varchar', length: 64 })
  templateId!: string;

  @Column({ type: 'int', default: 0 })
  remaining!: number;

  @Column({ type: 'boolean', default: false })
  banned!: boolean;

  @UpdatedAtColumn()
  updatedAt!: Date;
}

/** What a member allows. Its row is also the lock that serialises frequency-cap checks per member. */
@Entity('message_preference')
export class MessagePreference {
  @PrimaryColumn({ name: 'member_id', type: 'int' })
  memberId!: number;

  @Column({ type: 'boolean', default: true })
  reminders!: boolean;

  @Column({ name: 'marketing_sms', type: 'boolean', default: false })
  marketingSms!: boolean;

  @UpdatedAtColumn()
  updatedAt!: Date;
}

/** Official Account followers by unionid: the OA openid a template message goes to. */
@Entity('oa_follower')
export class OaFollower {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  unionid!: string;

  @Column({ name: 'oa_openid', type: 'varchar', length: 64 })
  oaOpenid!: string;

  @Column({ type: 'boolean', default: true })
  following!: boolean;

  @UpdatedAtColumn()
  updatedAt!: Date;
}

export type MessageStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'suppressed';

/**
 * The message outbox. A row is written in the same transaction as what caused it; dispatchers claim due rows (a
 * conditional UPDATE stamping a claim token), send, and record the outcome. `dedupe_key` makes a retried cause
 * queue once.
 */
@Entity('message')
@Index('idx_message_due', ['status', 'dueAt'])
@Index('idx_message_member_sent', ['memberId', 'sentAt'])
@Index('idx_message_automation', ['automationId', 'status'])
export class Message {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'member_id', type: 'int' })
  memberId!: number;

  @Column({ name: 'template_id', type: 'int' })
  templateId!: number;

  /** Templates still to try, in order, when this one's channel cannot reach the member. */
  @Column({ type: 'simple-json' })
  fallback!: number[];

  @Column({ type: 'varchar', length: 16 })
  channel!: MessageChannel;

  @Column({ type: 'varchar', length: 16 })
  purpose!: MessagePurpose;

  @Column({ name: 'automation_id', type: 'int', nullable: true })
  automationId!: number | null;

  @Column({ name: 'dedupe_key', type: 'varchar', length: 128, unique: true })
  dedupeKey!: string;

  @Column({ type: 'varchar', length: 12 })
  status!: MessageStatus;

  /** Why it failed or was suppressed: an errcode, `capped`, `no_quota`, `opted_out`, … */
  @Column({ type: 'varchar', length: 64, nullable: true })
  reason!: string | null;

  /** Values captured when it was queued (points expiring, coupon name…), rendered into fields at send time. */
  @JsonTextColumn()
  variables!: Record<string, string | number | null> | null;

  /** The fields as sent. */
  @JsonTextColumn()
  data!: Record<string, string> | null;

  /** Goes into the landing page's query, so opening it is recorded. */
  @Column({ name: 'track_token', type: 'varchar', length: 24, unique: true })
  trackToken!: string;

  @InstantColumn({ name: 'due_at' })
  dueAt!: Date;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @InstantColumn({ name: 'claimed_until', nullable: true })
  claimedUntil!: Date | null;

  /**
   * The claim of the dispatch pass that marked the row `sending`: a pass works only on rows carrying its own, so a
   * claim stays exclusive where SKIP LOCKED is ignored (TiDB).
   */
  @Column({ name: 'claim_token', type: 'varchar', length: 24, nullable: true })
  claimToken!: string | null;

  /** Kept as text: WeChat's msgids exceed 2^53. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  msgid!: string | null;

  /**
   * The WeChat template whose subscribe credit this row holds: taken with the claim, kept by the send, given back
   * by any other end (SubscribeCredits); null when it holds none.
   */
  @Column({ name: 'credit_template_id', type: 'varchar', length: 64, nullable: true })
  creditTemplateId!: string | null;

  /** Set when a capped message reserves its place (then counts against the caps) and kept when it is sent. */
  @InstantColumn({ name: 'sent_at', nullable: true })
  sentAt!: Date | null;

  @InstantColumn({ name: 'opened_at', nullable: true })
  openedAt!: Date | null;

  @CreatedAtColumn()
  createdAt!: Date;
}
