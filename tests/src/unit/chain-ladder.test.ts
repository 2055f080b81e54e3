import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ageToAgeFactors,
  chainLadder,
  monthLabel,
  monthNumber,
  remainingDevelopment,
  type CohortFlow,
} from '@huoyue/server/dist/modules/points/liability/chain-ladder.js';

/**
 * The worked example of docs/points-liability.md. Valuation month 3; three cohorts (issue months 0, 1, 2):
 *
 *   cohort  issued   redeemed in month since issue (k)   expired
 *                    k0      k1      k2      k3
 *   A (0)   10,000   2,000   1,000   1,000   0           1,000 at k3
 *   B (1)    5,000   1,000   1,000     500
 *   C (2)    2,000     500     500
 *
 * Cumulative redeemed: A 2000 3000 4000 4000, B 1000 2000 2500, C 500 1000.
 * f0 = (3000 + 2000 + 1000) / (2000 + 1000 + 500) = 6000 / 3500 = 1.714286
 * f1 = (4000 + 2500) / (3000 + 2000) = 1.3;  f2 = 4000 / 4000 = 1
 * Ultimate: A 4000 × 1 (tail) = 4000 (40%); B 2500 × f2 = 2500 (50%); C 1000 × f1 × f2 = 1300 (65%).
 * Outstanding: A 10000 − 4000 − 1000 = 5000, B 2500, C 1000. Future redemptions 0, 0, 300; breakage 5000, 2500, 700.
 */
const flows: CohortFlow[] = [
  { issueMonth: 0, age: 0, kind: 'redeemed', points: 2000 },
  { issueMonth: 0, age: 1, kind: 'redeemed', points: 1000 },
  { issueMonth: 0, age: 2, kind: 'redeemed', points: 1000 },
  { issueMonth: 0, age: 3, kind: 'expired', points: 1000 },
  { issueMonth: 1, age: 0, kind: 'redeemed', points: 1000 },
  { issueMonth: 1, age: 1, kind: 'redeemed', points: 1000 },
  { issueMonth: 1, age: 2, kind: 'redeemed', points: 500 },
  { issueMonth: 2, age: 0, kind: 'redeemed', points: 500 },
  { issueMonth: 2, age: 1, kind: 'redeemed', points: 500 },
];
const issues = [
  { month: 0, issued: 10_000 },
  { month: 1, issued: 5_000 },
  { month: 2, issued: 2_000 },
];

describe('chain ladder (breakage by issue cohort)', () => {
  it('the worked example: triangle, volume-weighted factors, ultimate rates and breakage', () => {
    const r = chainLadder(issues, flows, 3, { minHistoryMonths: 1 });
    assert.deepEqual(
      r.factors.map((f) => [f.fromAge, f.factor, f.cohorts]),
      [
        [0, 1.714286, 3],
        [1, 1.3, 2],
        [2, 1, 1],
      ],
    );
    const [a, b, c] = r.cohorts;
    assert.deepEqual(a!.redeemedShare, [0.2, 0.3, 0.4, 0.4]);
    assert.deepEqual(a!.expiredShare, [0, 0, 0, 0.1]);
    assert.deepEqual(b!.redeemedShare, [0.2, 0.4, 0.5]);
    assert.deepEqual(c!.redeemedShare, [0.25, 0.5]);
    assert.deepEqual(
      r.cohorts.map((x) => [
        x.age,
        x.outstanding,
        x.ultimateRate,
        x.futureRedemption,
        x.expectedBreakage,
      ]),
      [
        [3, 5000, 0.4, 0, 5000],
        [2, 2500, 0.5, 0, 2500],
        [1, 1000, 0.65, 300, 700],
      ],
    );
  });

  it('cohorts too young or too small say so and recognise no breakage', () => {
    const r = chainLadder([...issues, { month: 3, issued: 999 }], flows, 3);
    assert.deepEqual(
      r.cohorts.map((x) => [x.status, x.ultimateRate, x.futureRedemption, x.expectedBreakage]),
      [
        ['projected', 0.4, 0, 5000],
        ['too_young', null, 2500, 0],
        ['too_young', null, 1000, 0],
        ['too_small', null, 999, 0],
      ],
    );
  });

  it('the projection never exceeds what the cohort can still redeem', () => {
    const r = chainLadder(
      [
        { month: 0, issued: 1000 },
        { month: 1, issued: 1000 },
      ],
      [
        { issueMonth: 0, age: 0, kind: 'redeemed', points: 100 },
        { issueMonth: 0, age: 1, kind: 'redeemed', points: 900 },
        { issueMonth: 1, age: 0, kind: 'redeemed', points: 500 },
        { issueMonth: 1, age: 0, kind: 'reversed', points: 200 },
      ],
      1,
      { minHistoryMonths: 0, minIssued: 0 },
    );
    // f0 = 1000 / 100 = 10; cohort 1: 500 × 10 = 5000, capped at 500 + 300 outstanding.
    assert.equal(r.factors[0]!.factor, 10);
    const c1 = r.cohorts[1]!;
    assert.deepEqual(
      [c1.outstanding, c1.ultimateRate, c1.futureRedemption, c1.expectedBreakage],
      [300, 0.8, 300, 0],
    );
  });

  it('factors: nothing redeemed at an age is an unknown factor (counts as 1); the tail is 1', () => {
    const f = ageToAgeFactors([
      { age: 2, values: [0, 0, 10] },
      { age: 1, values: [0, 5] },
    ]);
    assert.deepEqual(
      f.map((x) => x.factor),
      [null, null],
    );
    assert.equal(remainingDevelopment(f, 0), 1);
    assert.equal(remainingDevelopment([{ fromAge: 0, toAge: 1, factor: 2, cohorts: 1 }], 1), 1);
  });

  it('month numbers', () => {
    assert.equal(monthLabel(monthNumber('2026-01')), '2026-01');
    assert.equal(monthNumber('2026-12') - monthNumber('2025-12'), 12);
  });
});
