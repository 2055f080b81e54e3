import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { MemberStatusChecker } from '../../infra/auth/auth.guard.js';
import { placeholders } from '../../infra/database/bulk.js';
import { GroupCommit } from '../../infra/database/group-commit.js';

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

  /**
   * A rush brings thousands of members' first requests at once: their look-ups are read together (one SELECT … IN
   * per group, GroupCommit's grouping) rather than one query, and one pooled connection, each.
   */
  private readonly lookups = new GroupCommit<number, boolean>(
    async (ids) => {
      const open = await this.read(ids);
      return ids.map((id) => ({ ok: true, value: open.get(id) ?? false }));
    },
    async (id) => (await this.read([id])).get(id) ?? false,
    { maxBatch: 500, inFlight: 2 },
  );

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async isOpen(memberId: number): Promise<boolean> {
    const cached = this.open.get(memberId);
    if (cached !== undefined) return cached;
    const open = await this.lookups.submit(memberId);
    this.open.set(memberId, open);
    return open;
  }

  private async read(ids: number[]): Promise<Map<number, boolean>> {
    const unique = [...new Set(ids)];
    const rows = (await this.dataSource.query(
      `SELECT id, status FROM member WHERE id IN (${placeholders(unique.length)})`,
      unique,
    )) as { id: number | string; status: string }[];
    return new Map(
      rows.map((r) => [Number(r.id), r.status !== 'closed' && r.status !== 'merged'] as const),
    );
  }

  /** After a close or a merge, so the next request reads the row. */
  forget(memberId: number): void {
    this.open.delete(memberId);
  }
}
