import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { z } from 'zod';
import type { badgeAward } from '@huoyue/shared';
import type { Tx } from '../../infra/events/unit-of-work.js';
import { MemberBadge, MemberStat } from './badge.entity.js';
import { checkinChange, metricsOf, metricValue, withChange } from './badge-metrics.js';
import { BadgesService } from './badges.service.js';

type BadgeAward = z.output<typeof badgeAward>;

/**
 * What a check-in will award, worked out inside the check-in's own transaction so its answer can show it. The
 * awarding itself stays with the consumer of `checkin.created` (BadgesListener), after the answer; both read the
 * same facts and the same rule (checkinChange), so the answer and the award agree unless another of the member's
 * events is still being consumed at that moment.
 */
@Injectable()
export class BadgePreview {
  constructor(private readonly badges: BadgesService) {}

  async forCheckin(
    tx: Tx,
    input: { memberId: number; streak: number; badgeCode: string | null; at: Date },
  ): Promise<BadgeAward[]> {
    const change = checkinChange(input.streak);
    const metrics = metricsOf(change);
    const candidates = (await this.badges.all()).filter(
      (b) => b.active && (metrics.has(b.metric) || b.code === input.badgeCode),
    );
    if (candidates.length === 0) return [];
    const { memberId } = input;
    const stat = await tx.em.findOneBy(MemberStat, { memberId });
    const held = await tx.em.find(MemberBadge, {
      select: { badgeId: true, level: true },
      where: { memberId, badgeId: In(candidates.map((b) => b.id)) },
    });
    const after = withChange(stat ?? MemberStat.empty(memberId), change);
    const owned = new Set(held.map((h) => `${h.badgeId}:${h.level}`));
    const awards: BadgeAward[] = [];
    const add = (b: (typeof candidates)[number], level: number) => {
      if (owned.has(`${b.id}:${level}`)) return;
      owned.add(`${b.id}:${level}`);
      awards.push({ code: b.code, name: b.name, level, artworkUrl: b.artworkUrl });
    };
    // In the order the consumer awards them: levels reached by the facts first, then the ladder's own badge.
    for (const b of candidates.filter((c) => metrics.has(c.metric))) {
      const value = metricValue(after, b.metric, input.at);
      b.thresholds.forEach((t, i) => value >= t && add(b, i + 1));
    }
    const ladder = candidates.find((b) => b.code === input.badgeCode);
    if (ladder) add(ladder, 1);
    return awards;
  }
}
