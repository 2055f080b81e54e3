/** The automations' experiment: the deterministic control group, and the uplift it measures. */
import { createHash } from 'node:crypto';
import { MIN_SAMPLE, type automationReport } from '@huoyue/shared';
import type { z } from 'zod';

type Report = z.output<typeof automationReport>;

/** Deterministic hold-out: the same member is always in the same group of an automation. */
export function inControlGroup(automationId: number, memberId: number, percent: number): boolean {
  if (percent <= 0) return false;
  const bucket =
    createHash('sha256').update(`${automationId}:${memberId}`).digest().readUInt32BE(0) % 100;
  return bucket < percent;
}

/**
 * Difference of two conversion rates with its 95 % confidence interval (normal approximation, unpooled variance):
 * uplift = p_t − p_c ± 1.96 · √(p_t(1 − p_t)/n_t + p_c(1 − p_c)/n_c).
 */
export function uplift(
  treatment: { n: number; converted: number },
  control: { n: number; converted: number },
): Report['uplift'] {
  if (treatment.n === 0 || control.n === 0) return null;
  const pt = treatment.converted / treatment.n;
  const pc = control.converted / control.n;
  const se = Math.sqrt((pt * (1 - pt)) / treatment.n + (pc * (1 - pc)) / control.n);
  const absolute = pt - pc;
  return {
    absolute,
    low: absolute - 1.96 * se,
    high: absolute + 1.96 * se,
    relative: pc > 0 ? absolute / pc : null,
  };
}

/**
 * Whether an uplift means anything yet (MIN_SAMPLE): each group needs at least 30 members and both together at least
 * 5 conversions; below that the interval is too wide to read (a control group of one gives 0 % ± 0 %).
 */
export function sampleCheck(
  treatment: { n: number; converted: number },
  control: { n: number; converted: number },
): Report['sample'] {
  if (control.n === 0) return { sufficient: false, reason: '样本不足：没有对照组' };
  const smaller = Math.min(treatment.n, control.n);
  if (smaller < MIN_SAMPLE.perGroup)
    return {
      sufficient: false,
      reason: `样本不足：实验组 ${treatment.n} 人、对照组 ${control.n} 人，每组至少需要 ${MIN_SAMPLE.perGroup} 人`,
    };
  const conversions = treatment.converted + control.converted;
  if (conversions < MIN_SAMPLE.conversions)
    return {
      sufficient: false,
      reason: `样本不足：共 ${conversions} 次转化，至少需要 ${MIN_SAMPLE.conversions} 次`,
    };
  return { sufficient: true, reason: null };
}
