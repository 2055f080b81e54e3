/** The automations' experiment: the deterministic control group, and the uplift it measures. */
import { createHash } from 'node:crypto';
import type { automationReport } from '@huoyue/shared';
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
