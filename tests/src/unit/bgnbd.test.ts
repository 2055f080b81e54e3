import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import {
  bgnbdLogLikelihood,
  driftAge,
  driftAgeModified,
  expectedPurchases,
  fit,
  hyp2f1,
  mbgnbdLogLikelihood,
  nelderMead,
  pAlive,
  pAliveModified,
} from '@huoyue/server/dist/modules/lifecycle/bgnbd.js';

// The CDNOW sample as (x, t_x, T) in weeks, from the `lifetimes` project (MIT; fixtures/LICENSE-lifetimes.txt).
const fixture = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../fixtures/cdnow_customers_summary.csv',
);
const customers = readFileSync(fixture, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',').map(Number))
  .map(([, x, tx, T]) => ({ x: x!, tx: tx!, T: T! }));

const within = (actual: number, expected: number, relative: number, what: string) =>
  assert.ok(
    Math.abs(actual - expected) <= Math.abs(expected) * relative,
    `${what}: ${actual} is not within ${relative * 100}% of ${expected}`,
  );

describe('BG/NBD on the CDNOW sample (Fader, Hardie & Lee 2005)', () => {
  it('Nelder-Mead finds the minimum of the Rosenbrock function', () => {
    const { point } = nelderMead(
      (p) => (1 - p[0]!) ** 2 + 100 * (p[1]! - p[0]! ** 2) ** 2,
      [-1.2, 1],
      { tolerance: 1e-14 },
    );
    within(point[0]!, 1, 1e-3, 'x');
    within(point[1]!, 1, 1e-3, 'y');
  });

  it('the fit reproduces the paper to 1 %: r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4', () => {
    assert.equal(customers.length, 2357);
    const f = fit('bgnbd', customers);
    within(f.r, 0.2426, 0.01, 'r');
    within(f.alpha, 4.4136, 0.01, 'alpha');
    within(f.a, 0.7929, 0.01, 'a');
    within(f.b, 2.4259, 0.01, 'b');
    within(f.logLikelihood, -9582.43, 0.0001, 'log-likelihood');
  });

  it('P(alive), conditional expectations and the drift date match the reference values', () => {
    const ref = { r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 };
    within(pAlive(ref, { x: 2, tx: 30.43, T: 38.86 }), 0.7266, 0.001, 'P(alive | 2, 30.43, 38.86)');
    within(pAlive(ref, { x: 1, tx: 1.71, T: 38.86 }), 0.2122, 0.001, 'P(alive | 1, 1.71, 38.86)');
    assert.equal(pAlive(ref, { x: 0, tx: 0, T: 38.86 }), 1, 'BG/NBD keeps one-time buyers alive');
    within(
      expectedPurchases(ref, { x: 2, tx: 30.43, T: 38.86 }, 39),
      1.2259,
      0.001,
      'E[X(39) | 2, 30.43, 38.86]',
    );
    within(
      customers.reduce((s, c) => s + expectedPurchases(ref, c, 39), 0),
      1653.4,
      0.001,
      'Σ E[X(39)]',
    );
    // Frequent buyers drift sooner: 12 weeks after the last purchase against 21.
    within(driftAge(ref, { x: 10, tx: 35 }, 0.5)! - 35, 11.73, 0.01, 'drift, x = 10');
    within(driftAge(ref, { x: 1, tx: 10 }, 0.5)! - 10, 21.04, 0.01, 'drift, x = 1');
    assert.equal(driftAge(ref, { x: 0, tx: 0 }, 0.5), null);
  });

  it('the modified BG/NBD gives one-time buyers a P(alive) below 1 and reproduces its reference fit', () => {
    const m = fit('mbgnbd', customers);
    within(m.r, 0.5248, 0.01, 'r');
    within(m.alpha, 6.1831, 0.01, 'alpha');
    within(m.a, 0.8914, 0.01, 'a');
    within(m.b, 1.614, 0.01, 'b');
    within(m.logLikelihood, -9582.14, 0.0001, 'log-likelihood');
    const p = pAliveModified(m, { x: 0, tx: 0, T: 38.86 });
    assert.ok(p > 0 && p < 1, String(p));
  });

  it('fitting distinct triples with counts is fitting every customer (how a million members stay in memory)', () => {
    // CDNOW in whole days, as the server sees a brand: many customers share (x, t_x, T).
    const days = customers.map((c) => ({
      x: c.x,
      tx: Math.round(c.tx * 7),
      T: Math.round(c.T * 7),
    }));
    const counted = new Map<string, { x: number; tx: number; T: number; n: number }>();
    for (const c of days) {
      const key = `${c.x}:${c.tx}:${c.T}`;
      const seen = counted.get(key);
      if (seen) seen.n++;
      else counted.set(key, { ...c, n: 1 });
    }
    const triples = [...counted.values()];
    assert.ok(
      triples.length < days.length * 0.8,
      `${triples.length} triples for ${days.length} customers`,
    );
    const p = { r: 0.24, alpha: 31, a: 0.79, b: 2.4 };
    within(bgnbdLogLikelihood(p, triples), bgnbdLogLikelihood(p, days), 1e-12, 'BG/NBD LL');
    within(mbgnbdLogLikelihood(p, triples), mbgnbdLogLikelihood(p, days), 1e-12, 'MBG/NBD LL');
    const [a, b] = [fit('bgnbd', triples), fit('bgnbd', days)];
    for (const k of ['r', 'alpha', 'a', 'b', 'logLikelihood'] as const) within(a[k], b[k], 1e-6, k);
    // In days, α scales by 7 and r, a, b do not (the reference's table).
    within(a.alpha, 30.895, 0.02, 'alpha in days');
    within(a.r, 0.2426, 0.02, 'r');
  });

  it('the MBG/NBD drift age is where P(alive) crosses the threshold, and never before the last purchase', () => {
    const m = { r: 0.5248, alpha: 6.1831, a: 0.8914, b: 1.614 };
    for (const c of [
      { x: 0, tx: 0 },
      { x: 1, tx: 5 },
      { x: 6, tx: 30 },
    ]) {
      const T = driftAgeModified(m, c, 0.5);
      if (T > c.tx)
        within(pAliveModified(m, { ...c, T }), 0.5, 1e-9, `P(alive) at the drift age, x = ${c.x}`);
      assert.ok(T >= c.tx);
    }
    // A threshold above P(alive) right after the last purchase: at risk from the last purchase on.
    assert.equal(driftAgeModified(m, { x: 0, tx: 0 }, 0.95), 0);
  });

  it('the hypergeometric series agrees with closed forms', () => {
    // ₂F₁(1, 1; 2; z) = −ln(1 − z) / z
    within(hyp2f1(1, 1, 2, 0.5), -Math.log(0.5) / 0.5, 1e-12, '2F1(1,1;2;0.5)');
  });
});
