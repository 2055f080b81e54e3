import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  inControlGroup,
  sampleCheck,
  uplift,
} from '@huoyue/server/dist/modules/campaigns/control-group.js';

describe('automation measurement', () => {
  it('uplift and its 95 % interval on a known case', () => {
    // 12 % of 1,000 treated converted against 9 % of 1,000 held out: +3 points, se = √(.12·.88/1000 + .09·.91/1000).
    const u = uplift({ n: 1000, converted: 120 }, { n: 1000, converted: 90 })!;
    assert.ok(Math.abs(u.absolute - 0.03) < 1e-12);
    const se = Math.sqrt((0.12 * 0.88) / 1000 + (0.09 * 0.91) / 1000);
    assert.ok(Math.abs(se - 0.0136931) < 1e-6);
    assert.ok(Math.abs(u.low - (0.03 - 1.96 * se)) < 1e-12 && Math.abs(u.low - 0.0031615) < 1e-6);
    assert.ok(Math.abs(u.high - 0.0568385) < 1e-6);
    assert.ok(Math.abs(u.relative! - 1 / 3) < 1e-12);
    // Without a control group (or without anyone treated) there is nothing to compare.
    assert.equal(uplift({ n: 10, converted: 1 }, { n: 0, converted: 0 }), null);
    assert.equal(uplift({ n: 10, converted: 1 }, { n: 10, converted: 0 })!.relative, null);
  });

  it('says 样本不足 below 30 members a group or 5 conversions, never a 0 % ± 0 % from a group of one', () => {
    assert.deepEqual(sampleCheck({ n: 11, converted: 0 }, { n: 1, converted: 0 }), {
      sufficient: false,
      reason: '样本不足：实验组 11 人、对照组 1 人，每组至少需要 30 人',
    });
    assert.deepEqual(sampleCheck({ n: 40, converted: 3 }, { n: 0, converted: 0 }), {
      sufficient: false,
      reason: '样本不足：没有对照组',
    });
    assert.deepEqual(sampleCheck({ n: 300, converted: 2 }, { n: 30, converted: 2 }), {
      sufficient: false,
      reason: '样本不足：共 4 次转化，至少需要 5 次',
    });
    assert.deepEqual(sampleCheck({ n: 300, converted: 3 }, { n: 30, converted: 2 }), {
      sufficient: true,
      reason: null,
    });
  });

  it('the control group is deterministic by member and close to its share', () => {
    let held = 0;
    for (let id = 1; id <= 10_000; id++) {
      const a = inControlGroup(7, id, 10);
      assert.equal(inControlGroup(7, id, 10), a);
      if (a) held++;
    }
    assert.ok(held > 900 && held < 1100, `${held} of 10,000 held out at 10 %`);
    assert.equal(inControlGroup(7, 1, 0), false);
    // Another automation draws its own group.
    let same = 0;
    for (let id = 1; id <= 1000; id++)
      if (inControlGroup(7, id, 50) === inControlGroup(8, id, 50)) same++;
    assert.ok(same > 400 && same < 600);
  });
});
