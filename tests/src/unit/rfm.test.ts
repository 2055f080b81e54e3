import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cumeDistScores,
  RFM_SEGMENTS,
  rfmSegment,
} from '@huoyue/server/dist/modules/lifecycle/rfm.js';

describe('RFM scores and segments', () => {
  it('equal values get equal scores: half of all buyers buy once and all of them score the same', () => {
    const f = [
      ...Array(50).fill(1),
      ...Array(20).fill(2),
      ...Array(10).fill(3),
      ...Array(10).fill(5),
      ...Array(10).fill(8),
    ] as number[];
    const scores = cumeDistScores(f, true);
    const byValue = new Map(f.map((v, i) => [v, scores[i]]));
    assert.deepEqual(
      [...byValue.entries()],
      [
        [1, 3],
        [2, 4],
        [3, 4],
        [5, 5],
        [8, 5],
      ],
    );
    for (let i = 0; i < f.length; i++)
      assert.equal(scores[i], byValue.get(f[i]!), 'one score per value');
  });

  it('distinct values split into quintiles; recency scores fewer days higher', () => {
    const days = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100 days since the last purchase
    const r = cumeDistScores(days, false);
    assert.equal(r[0], 5, '1 day ago is the best');
    assert.equal(r[99], 1, '100 days ago is the worst');
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((s) => r.filter((x) => x === s).length),
      [20, 20, 20, 20, 20],
    );
    const spend = Array.from({ length: 10 }, (_, i) => (i + 1) * 1000);
    assert.deepEqual(cumeDistScores(spend, true), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    assert.deepEqual(cumeDistScores([7], true), [5], 'a single buyer is the best of one');
    assert.deepEqual(cumeDistScores([], true), []);
  });

  it('every R×F cell belongs to exactly one named segment, as in the reference map', () => {
    assert.equal(rfmSegment(5, 5), 'champions');
    assert.equal(rfmSegment(5, 1), 'new_customers');
    assert.equal(rfmSegment(4, 1), 'promising');
    assert.equal(rfmSegment(3, 3), 'need_attention');
    assert.equal(rfmSegment(3, 1), 'about_to_sleep');
    assert.equal(rfmSegment(2, 3), 'at_risk');
    assert.equal(rfmSegment(1, 5), 'cant_lose_them');
    assert.equal(rfmSegment(1, 1), 'hibernating');
    assert.equal(rfmSegment(4, 4), 'loyal');
    const seen = new Set<string>();
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) seen.add(rfmSegment(r, f));
    assert.deepEqual(
      [...seen].sort(),
      RFM_SEGMENTS.filter((s) => s !== 'lost').sort(),
      'all segments but Lost (no purchase in the window) appear',
    );
    assert.throws(() => rfmSegment(0, 3), RangeError);
  });
});
