import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { MemberStatusChecker } from '../../infra/auth/auth.guard.js';

/**
 * How long the guard may take a member's status from memory. Closing a membership drops the entry in this process
 * at once; other processes refuse the token within this time.
 */
export const MEMBER_STATUS_TTL_MS = 5_000;

/** Whether a member's tokens still count: not once the membership is closed or merged into another record. */
@Injectable()
export class MemberSessionStatus extends MemberStatusChecker {
  private readonly open = new LRUCache<number, boolean>({
    max: 100_000,
    ttl: MEMBER_STATUS_TTL_MS,
  });

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async isOpen(memberId: number): Promise<boolean> {
    const cached = this.open.get(memberId);
    if (cached !== undefined) return cached;
    const rows = (await this.dataSource.query('SELECT status FROM member WHERE id = ?', [
      memberId,
    ])) as { status: string }[];
    const status = rows[0]?.status;
    const open = status !== undefined && status !== 'closed' && status !== 'merged';
    this.open.set(memberId, open);
    return open;
  }

  /** After a close or a merge, so the next request reads the row. */
  forget(memberId: number): void {
    this.open.delete(memberId);
  }
}
