import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { affectedRows } from '../../infra/database/bulk.js';
import type { Tx } from '../../infra/events/unit-of-work.js';
import type { Message } from './messaging.entities.js';

/**
 * The subscribe credit a message holds (issue 19). A credit (one `subscription_quota.remaining`) is taken in the
 * transaction that claims the message and recorded on its row (`message.credit_template_id`, the WeChat template it
 * was taken on); a claim that lapses and is reclaimed finds it there and takes no second one. The send keeps it;
 * every other end of the message (suppressed, failed, released for a retry, moved to a fallback template) gives it
 * back in the transaction that ends it. So a kill -9 at any moment neither burns a credit nor leaves a message
 * without one: the quota row and the message row always change together.
 */
@Injectable()
export class SubscribeCredits {
  /**
   * At the claim: one credit for each of these messages that is a subscribe message and holds none yet, where the
   * member has one left. Messages that find none are left without (the send decision then finds `no_quota`).
   */
  async reserve(tx: Tx, messageIds: number[]): Promise<void> {
    if (messageIds.length === 0) return;
    const em = tx.em;
    const rows = (await em.query(
      `SELECT m.id, m.member_id, t.wechat_template_id FROM message m
       JOIN message_template t ON t.id = m.template_id
       WHERE m.id IN (${messageIds.map(() => '?').join(', ')}) AND m.channel = 'subscribe'
         AND m.credit_template_id IS NULL AND t.wechat_template_id IS NOT NULL`,
      messageIds,
    )) as { id: number; member_id: number; wechat_template_id: string }[];
    const taken = new Map<string, number[]>();
    for (const row of rows) {
      if (await this.takeOne(em, Number(row.member_id), row.wechat_template_id)) {
        const ids = taken.get(row.wechat_template_id) ?? [];
        ids.push(Number(row.id));
        taken.set(row.wechat_template_id, ids);
      }
    }
    for (const [templateId, ids] of taken)
      await em.query(
        `UPDATE message SET credit_template_id = ? WHERE id IN (${ids.map(() => '?').join(', ')})`,
        [templateId, ...ids],
      );
  }

  /**
   * At the send decision: whether the message holds a credit on `wechatTemplateId`, taking one when it holds none
   * (a message that fell back to a subscribe template, or found none at the claim). One held on another template
   * (staff changed the template since) is given back first.
   */
  async hold(tx: Tx, message: Message, wechatTemplateId: string): Promise<boolean> {
    const em = tx.em;
    const held = await this.held(em, message.id);
    if (held === wechatTemplateId) return true;
    if (held !== null) await this.giveBack(tx, message);
    if (!(await this.takeOne(em, message.memberId, wechatTemplateId))) return false;
    await em.query('UPDATE message SET credit_template_id = ? WHERE id = ?', [
      wechatTemplateId,
      message.id,
    ]);
    message.creditTemplateId = wechatTemplateId;
    return true;
  }

  /**
   * A message ending any way but sent: the credit it holds goes back to the member (unless `gone`: WeChat said with
   * errcode 43101 that there is none, so the quota was zeroed and nothing is returned). Idempotent: the row is
   * cleared conditionally, so only one caller returns the credit.
   */
  async giveBack(tx: Tx, message: Message, gone = false): Promise<void> {
    const em = tx.em;
    const held = await this.held(em, message.id);
    message.creditTemplateId = null;
    if (held === null) return;
    const cleared = await affectedRows(
      em,
      'UPDATE message SET credit_template_id = NULL WHERE id = ? AND credit_template_id = ?',
      [message.id, held],
    );
    if (cleared === 0 || gone) return;
    await em.query(
      `UPDATE subscription_quota SET remaining = remaining + 1
       WHERE member_id = ? AND template_id = ? AND banned = ?`,
      [message.memberId, held, false],
    );
  }

  private async takeOne(em: EntityManager, memberId: number, templateId: string): Promise<boolean> {
    const taken = await affectedRows(
      em,
      `UPDATE subscription_quota SET remaining = remaining - 1
       WHERE member_id = ? AND template_id = ? AND remaining > 0`,
      [memberId, templateId],
    );
    return taken > 0;
  }

  private async held(em: EntityManager, messageId: number): Promise<string | null> {
    const [row] = (await em.query('SELECT credit_template_id FROM message WHERE id = ?', [
      messageId,
    ])) as { credit_template_id: string | null }[];
    return row?.credit_template_id ?? null;
  }
}
