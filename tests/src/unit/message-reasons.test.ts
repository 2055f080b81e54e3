import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { messageReasonLabel } from '@huoyue/shared';

const MESSAGING = fileURLToPath(new URL('../../../server/src/modules/messaging', import.meta.url));

/** Every reason literal the dispatcher and its helpers write on a message, read from their source. */
function reasonsInSource(): string[] {
  const found = new Set<string>();
  for (const file of readdirSync(MESSAGING).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(MESSAGING, file), 'utf8');
    for (const pattern of [
      /suppress\('([a-z_]+)'/g,
      /unreachable: '([a-z_]+)'/g,
      /SendFailure\(\s*'([a-z_]+)'/g,
      /\? '(sms_[a-z]+)' : '/g,
      /\? 'sms_[a-z]+' : '(sms_[a-z]+)'/g,
      /`(gave_up|invalid_field):/g,
    ])
      for (const m of text.matchAll(pattern)) found.add(m[1]!);
  }
  return [...found].sort();
}

describe('message failure reasons in staff words', () => {
  it('labels every reason the dispatcher writes in Chinese, with no code showing', () => {
    const reasons = reasonsInSource();
    assert.ok(reasons.length >= 14, `found ${reasons.join(', ')}`);
    for (const reason of reasons) {
      const code = reason === 'gave_up' ? 'gave_up:45009' : reason;
      const label = messageReasonLabel(reason === 'invalid_field' ? 'invalid_field:thing1' : code);
      assert.doesNotMatch(label, /[A-Za-z]/, `${reason} → ${label}`);
      assert.notEqual(label, '其他原因', `${reason} has no label`);
    }
  });

  it('labels WeChat’s errcodes, prefixed reasons and unknown codes without leaking letters', () => {
    assert.equal(messageReasonLabel('no_marketing_consent'), '未同意接收营销短信');
    assert.equal(messageReasonLabel('no_quota'), '未获订阅授权（订阅次数已用完）');
    assert.equal(messageReasonLabel('43101'), '会员拒收或订阅次数已用完');
    assert.equal(messageReasonLabel('gave_up:45009'), '多次重试仍失败：微信接口当日调用已达上限');
    assert.equal(messageReasonLabel('gave_up:sms_timeout'), '多次重试仍失败：短信服务超时');
    assert.equal(
      messageReasonLabel('invalid_field:thing1'),
      '消息内容不符合微信要求（字段内容无效）',
    );
    assert.equal(messageReasonLabel('sms_http_502'), '短信服务返回错误 502');
    assert.equal(messageReasonLabel('40999'), '微信返回错误 40999');
    assert.equal(messageReasonLabel('something_new'), '其他原因');
    assert.equal(messageReasonLabel(null), '原因未知');
    for (const code of ['40003', '40037', '41030', '43004', '45168', '40249', '47003', '48001'])
      assert.doesNotMatch(messageReasonLabel(code), /[A-Za-z]|微信返回错误/, code);
  });
});
