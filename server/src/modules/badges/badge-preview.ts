import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { z } from 'zod';
import type { badgeAward } from '@huoyue/shared';
import type { Tx } from '../../infra/events/unit-of-work.js';
import type { Badge } from './badge.entity.js';
import { MemberBadge, MemberStat } from './badge.entity.js';
import { checkinChange, metricsOf, metricValue, withChange } from './badge-metrics.js';
import { BadgesService } from './badges.service.js';

type BadgeAward = z.output<typeof badgeAward>;

export interface CheckinPreviewInput {
  memberId: number;
  streak: number;
  /** The reward ladder's badge for this cycle day. */
  badgeCode: string | null;
  at: Date;
}

/**
 * What check-ins will award, worked out inside the check-ins' own transaction so their answers can show it. The
 * awarding itself stays with the consumer of `checkin.created` (BadgesListener), after the answer; both read the
 * same facts and the same rule (checkinChange), so the answer and the award agree unless another of the member's
 * events is still being consumed at that moment.
 */
@Injectable()
export class BadgePreview {
  constructor(private readonly badges: BadgesService) {}

  async forCheckin(tx: Tx, input: CheckinPreviewInput): Promise<BadgeAward[]> {
    return (await this.forCheckins(tx, [input]))[0]!;
  }

  /** One answer per input, in order; two reads for the whole group (facts, levels held). */
  async forCheckins(tx: Tx, inputs: CheckinPreviewInput[]): Promise<BadgeAward[][]> {
    const metrics = metricsOf(checkinChange(1));
    const codes = new Set(inputs.map((i) => i.badgeCode).filter((c) => c !== null));
    const candidates = (await this.badges.all()).filter(
      (b) => b.active && (metrics.has(b.metric) || codes.has(b.code)),
    );
    if (candidates.length === 0 || inputs.length === 0) return inputs.map(() => []);
    const memberIds = [...new Set(inputs.map((i) => i.memberId))];
    const stats = await tx.em.find(MemberStat, { where: { memberId: In(memberIds) } });
    const held = await tx.em.find(MemberBadge, {
      select: { memberId: true, badgeId: true, level: true },
      where: { memberId: In(memberIds), badgeId: In(candidates.map((b) => b.id)) },
    });
    const statOf = new Map(stats.map((s) => [s.memberId, s]));
    const owned = new Set(held.map((h) => `${h.memberId}:${h.badgeId}:${h.level}`));
    return inputs.map((input) => {
      const stat = statOf.get(input.memberId) ?? MemberStat.empty(input.memberId);
      return awardsOf(candidates, withChange(stat, checkinChange(input.streak)), input, owned);
    });
  }
}

/** In the order the consumer awards them: levels reached by the facts first, then the ladder's own badge. */
function awardsOf(
  candidates: Badge[],
  after: MemberStat,
  input: CheckinPreviewInput,
  owned: Set<string>,
): BadgeAward[] {
  const metrics = metricsOf(checkinChange(input.streak));
  const awards: BadgeAward[] = [];
  const add = (b: Badge, level: number) => {
    const key = `${input.memberId}:${b.id}:${level}`;
    if (owned.has(key)) return;
    owned.add(key);
    awards.push({ code: b.code, name: b.name, level, artworkUrl: b.artworkUrl });
  };
  for (const b of candidates.filter((c) => metrics.has(c.metric))) {
    const value = metricValue(after, b.metric, input.at);
    b.thresholds.forEach((t, i) => value >= t && add(b, i + 1));
  }
  const ladder = candidates.find((b) => b.code === input.badgeCode);
  if (ladder) add(ladder, 1);
  return awards;
}
