/**
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way") and the modified BG/NBD (Batislam et
 * al. 2007): likelihoods, maximum-likelihood fit, P(alive), expected purchases and the personal drift date.
 * Formulas and reference values: ../shared/reference/lifecycle.md. No npm package implements these models (and
 * `fmin` does not load on Node 20), so the optimiser is a small Nelder-Mead below; log-gamma is @stdlib's.
 *
 * Per member: x = repeat transactions (distinct purchase days − 1), tx = age at the last purchase, T = age now,
 * all in the same time unit (days or weeks) measured from the first purchase.
 */
import gammaln from '@stdlib/math-base-special-gammaln';

export interface Customer {
  x: number;
  tx: number;
  T: number;
  /** How many customers share these (x, tx, T): a large base is fitted from its distinct triples. */
  n?: number;
}

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface FitResult extends BgNbdParams {
  logLikelihood: number;
  iterations: number;
}

const logSumExp = (p: number, q: number) => {
  const m = Math.max(p, q);
  return m + Math.log(Math.exp(p - m) + Math.exp(q - m));
};

/** Log-gamma of `shift + x` per distinct x, once per evaluation: x takes few values, the base has many members. */
function gammalnByX(shift: number): (x: number) => number {
  const cache = new Map<number, number>();
  return (x) => {
    let v = cache.get(x);
    if (v === undefined) cache.set(x, (v = gammaln(shift + x)));
    return v;
  };
}

/** BG/NBD log-likelihood of all customers. */
export function bgnbdLogLikelihood(
  { r, alpha, a, b }: BgNbdParams,
  customers: readonly Customer[],
): number {
  const common = -gammaln(r) + r * Math.log(alpha) + gammaln(a + b) - gammaln(b);
  const [gR, gB, gAB] = [gammalnByX(r), gammalnByX(b), gammalnByX(a + b)];
  const logA = Math.log(a);
  let ll = 0;
  for (const { x, tx, T, n = 1 } of customers) {
    const a1 = gR(x) + common;
    const a2 = gB(x) - gAB(x);
    const a3 = -(r + x) * Math.log(alpha + T);
    ll +=
      n *
      (a1 +
        a2 +
        (x > 0 ? logSumExp(a3, logA - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx)) : a3));
  }
  return ll;
}

/** MBG/NBD log-likelihood: like BG/NBD, but a customer may drop out right after the first purchase too. */
export function mbgnbdLogLikelihood(
  { r, alpha, a, b }: BgNbdParams,
  customers: readonly Customer[],
): number {
  const common = -gammaln(r) + r * Math.log(alpha) + gammaln(a + b) - gammaln(b);
  const [gR, gB1, gAB1] = [gammalnByX(r), gammalnByX(b + 1), gammalnByX(a + b + 1)];
  const logA = Math.log(a);
  let ll = 0;
  for (const { x, tx, T, n = 1 } of customers) {
    const logAT = Math.log(alpha + T);
    ll +=
      n *
      (gR(x) +
        common +
        gB1(x) -
        gAB1(x) -
        (r + x) * logAT +
        Math.log1p(Math.exp(logA - Math.log(b + x) + (r + x) * (logAT - Math.log(alpha + tx)))));
  }
  return ll;
}

/**
 * Nelder-Mead minimisation (standard coefficients: reflection 1, expansion 2, contraction ½, shrink ½). Stops when
 * the simplex's values agree to `tolerance` or after `maxIterations`.
 */
export function nelderMead(
  f: (p: number[]) => number,
  start: number[],
  options: { step?: number; tolerance?: number; maxIterations?: number } = {},
): { point: number[]; value: number; iterations: number } {
  const n = start.length;
  const step = options.step ?? 0.5;
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 5000;
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))].map(
    (p) => ({ p, v: f(p) }),
  );
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    simplex.sort((s, t) => s.v - t.v);
    const best = simplex[0]!;
    const worst = simplex[n]!;
    if (Math.abs(worst.v - best.v) <= tolerance * (Math.abs(best.v) + tolerance)) break;
    const centroid = Array.from(
      { length: n },
      (_, j) => simplex.slice(0, n).reduce((s, q) => s + q.p[j]!, 0) / n,
    );
    const toward = (k: number) => centroid.map((c, j) => c + k * (worst.p[j]! - c));
    const reflected = toward(-1);
    const rv = f(reflected);
    if (rv < best.v) {
      const expanded = toward(-2);
      const ev = f(expanded);
      simplex[n] = ev < rv ? { p: expanded, v: ev } : { p: reflected, v: rv };
    } else if (rv < simplex[n - 1]!.v) {
      simplex[n] = { p: reflected, v: rv };
    } else {
      const contracted = rv < worst.v ? toward(-0.5) : toward(0.5);
      const cv = f(contracted);
      if (cv < Math.min(rv, worst.v)) {
        simplex[n] = { p: contracted, v: cv };
      } else {
        simplex = simplex
          .map((s, i) =>
            i === 0 ? s : { p: s.p.map((v, j) => best.p[j]! + 0.5 * (v - best.p[j]!)), v: NaN },
          )
          .map((s) => (Number.isNaN(s.v) ? { p: s.p, v: f(s.p) } : s));
      }
    }
  }
  simplex.sort((s, t) => s.v - t.v);
  return { point: simplex[0]!.p, value: simplex[0]!.v, iterations };
}

/**
 * Maximum-likelihood fit over log-parameters, with time rescaled so the largest T is 1 (well conditioned);
 * α is reported back in the customers' time unit.
 */
export function fit(model: 'bgnbd' | 'mbgnbd', customers: readonly Customer[]): FitResult {
  const scale = customers.reduce((max, c) => Math.max(max, c.T), 0) || 1;
  const scaled = customers.map((c) => ({ x: c.x, tx: c.tx / scale, T: c.T / scale, n: c.n ?? 1 }));
  const ll = model === 'bgnbd' ? bgnbdLogLikelihood : mbgnbdLogLikelihood;
  const params = (p: number[]) => ({
    r: Math.exp(p[0]!),
    alpha: Math.exp(p[1]!),
    a: Math.exp(p[2]!),
    b: Math.exp(p[3]!),
  });
  const objective = (p: number[]) => {
    const v = -ll(params(p), scaled);
    return Number.isFinite(v) ? v : Number.MAX_VALUE;
  };
  // Restarted from the optimum once: Nelder-Mead can stall on a ridge, a fresh simplex moves it on.
  let best = nelderMead(objective, [0, 0, 0, 0]);
  for (let restart = 0; restart < 3; restart++) {
    const again = nelderMead(objective, best.point, { step: 0.1 });
    const improved = best.value - again.value > 1e-9;
    best = { ...again, iterations: best.iterations + again.iterations };
    if (!improved) break;
  }
  const p = params(best.point);
  const result = { ...p, alpha: p.alpha * scale };
  return { ...result, logLikelihood: ll(result, customers), iterations: best.iterations };
}

/** P(alive | x, tx, T) under BG/NBD (1 for one-time buyers, by construction of the model). */
export function pAlive({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: Customer): number {
  if (x === 0) return 1;
  return (
    1 / (1 + (a / (b + x - 1)) * Math.exp((r + x) * (Math.log(alpha + T) - Math.log(alpha + tx))))
  );
}

/** P(alive | x, tx, T) under MBG/NBD: below 1 for one-time buyers too. */
export function pAliveModified({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: Customer): number {
  return 1 / (1 + (a / (b + x)) * Math.exp((r + x) * (Math.log(alpha + T) - Math.log(alpha + tx))));
}

/** Gauss's hypergeometric ₂F₁(a, b; c; z) by its series (|z| < 1 here). */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < 10_000; k++) {
    term *= ((a + k) * (b + k) * z) / ((c + k) * (k + 1));
    sum += term;
    if (Math.abs(term) < 1e-15 * Math.abs(sum)) break;
  }
  return sum;
}

/** E[X(t) | x, tx, T]: expected purchases in the next t time units under BG/NBD. */
export function expectedPurchases(
  { r, alpha, a, b }: BgNbdParams,
  { x, tx, T }: Customer,
  t: number,
): number {
  const head = (a + b + x - 1) / (a - 1);
  const z = t / (alpha + T + t);
  const body =
    1 -
    Math.exp((r + x) * (Math.log(alpha + T) - Math.log(alpha + T + t))) *
      hyp2f1(r + x, b + x, a + b + x - 1, z);
  const denominator =
    1 +
    (x > 0
      ? (a / (b + x - 1)) * Math.exp((r + x) * (Math.log(alpha + T) - Math.log(alpha + tx)))
      : 0);
  return (head * body) / denominator;
}

/**
 * The age T* at which P(alive) would fall to `threshold` if no purchase comes (x > 0): the personal early-warning
 * date. Frequent buyers reach it sooner after their last purchase than occasional ones.
 */
/**
 * The same under MBG/NBD, defined for one-time buyers too: T* where 1 / (1 + a/(b+x) · ((α+T)/(α+tx))^(r+x)) = p*.
 * Below tx (already under the threshold at the last purchase) it answers tx.
 */
export function driftAgeModified(
  { r, alpha, a, b }: BgNbdParams,
  { x, tx }: Pick<Customer, 'x' | 'tx'>,
  threshold: number,
): number {
  return Math.max(
    tx,
    (alpha + tx) * Math.pow((1 / threshold - 1) * ((b + x) / a), 1 / (r + x)) - alpha,
  );
}

export function driftAge(
  { r, alpha, a, b }: BgNbdParams,
  { x, tx }: Pick<Customer, 'x' | 'tx'>,
  threshold: number,
): number | null {
  if (x === 0) return null;
  return (alpha + tx) * Math.pow((1 / threshold - 1) * ((b + x - 1) / a), 1 / (r + x)) - alpha;
}
