import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { couponFaceLabel, couponValidityLabel, monthDayTimeLabel } from '@huoyue/shared';
import { assetUrl, groupCode, vouchersLabel } from '@huoyue/miniapp';
import { sniffImage } from '@huoyue/server/dist/modules/uploads/uploads.service.js';

describe('catalogue: labels, codes, pictures', () => {
  it('says a coupon’s face and threshold the way staff and clerks read them', () => {
    const c = { cap: null, giftName: null };
    assert.equal(
      couponFaceLabel({ ...c, kind: 'cash', value: 2000, threshold: 10000 }),
      '满100减20',
    );
    assert.equal(couponFaceLabel({ ...c, kind: 'cash', value: 550, threshold: 0 }), '无门槛减5.50');
    assert.equal(
      couponFaceLabel({ ...c, kind: 'percent', value: 15, threshold: 0, cap: 3000 }),
      '8.5折（最多减30）',
    );
    assert.equal(
      couponFaceLabel({ ...c, kind: 'gift', value: 0, threshold: 5000, giftName: '帆布袋' }),
      '满50赠 帆布袋',
    );
    assert.equal(couponFaceLabel({ ...c, kind: 'shipping', value: 0, threshold: 0 }), '包邮');
  });

  it('dates a fixed validity by the brand’s calendar, and "used at" in its zone', () => {
    assert.equal(
      couponValidityLabel({
        kind: 'fixed',
        from: '2026-11-30T16:00:00.000Z',
        to: '2026-12-31T15:59:59.999Z',
      }),
      '2026-12-01 至 2026-12-31',
    );
    assert.equal(couponValidityLabel({ kind: 'days', days: 7 }), '领取后 7 天内有效');
    assert.equal(
      monthDayTimeLabel(new Date('2026-12-06T02:32:00Z'), 'Asia/Shanghai'),
      '12月6日 10:32',
    );
    assert.equal(
      monthDayTimeLabel(new Date('2026-12-06T16:05:00Z'), 'Asia/Shanghai'),
      '12月7日 00:05',
    );
  });

  it('shows voucher codes in fours and counts what is left', () => {
    assert.equal(groupCode('ABCDEFGHJKMNPQRS'), 'ABCD EFGH JKMN PQRS');
    const v = (status: 'available' | 'used') => ({
      code: 'X',
      status,
      validTo: '',
      usedAt: null,
      usedStoreName: null,
    });
    assert.equal(vouchersLabel([v('available'), v('used')]), '1 张兑换券可用');
    assert.equal(vouchersLabel([v('used')]), '兑换券已核销');
  });

  it('loads server pictures from the API’s host in WeChat and relative in the browser; outside URLs as they are', () => {
    assert.equal(
      assetUrl('/uploads/a.png', 'https://api.brand.com/api'),
      'https://api.brand.com/uploads/a.png',
    );
    assert.equal(assetUrl('/uploads/a.png', '/api'), '/uploads/a.png');
    assert.equal(assetUrl('https://cdn.brand.com/a.png', '/api'), 'https://cdn.brand.com/a.png');
    assert.equal(assetUrl(null, '/api'), null);
  });

  it('tells pictures by their bytes, not their names', () => {
    assert.equal(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0])), 'jpg');
    assert.equal(sniffImage(Buffer.from('89504e470d0a1a0a0000', 'hex')), 'png');
    assert.equal(
      sniffImage(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBP')])),
      'webp',
    );
    assert.equal(sniffImage(Buffer.from('GIF89a')), null);
    assert.equal(sniffImage(Buffer.from('<svg/>')), null);
    assert.equal(sniffImage(Buffer.alloc(0)), null);
  });
});
