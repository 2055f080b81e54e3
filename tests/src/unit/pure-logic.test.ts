import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays, brandDay, daysBetween, maskNickname, maskPhone } from '@huoyue/shared';
import {
  CardCodeService,
  generateCardNo,
  luhnDigit,
} from '@huoyue/server/dist/modules/members/card-code.service.js';
import { isValidValue, keywordType } from '@huoyue/server/dist/infra/wechat/value-rules.js';
import { ConfigError, loadConfig } from '@huoyue/server/dist/config/config.js';
import { createLogger, maskPhones, NestPinoLogger } from '@huoyue/server/dist/infra/logging.js';
import type { AppConfig } from '@huoyue/server/dist/config/config.js';

describe('brand-local days', () => {
  it('23:59 and 00:01 Beijing time are two days, whatever UTC says', () => {
    assert.equal(brandDay(new Date('2026-03-01T15:59:00Z'), 'Asia/Shanghai'), '2026-03-01');
    assert.equal(brandDay(new Date('2026-03-01T16:01:00Z'), 'Asia/Shanghai'), '2026-03-02');
    assert.equal(brandDay(new Date('2026-03-01T16:01:00Z'), 'UTC'), '2026-03-01');
  });
  it('days between dates are whole and zone-free, across leap days and month ends', () => {
    assert.equal(daysBetween('2024-02-28', '2024-03-01'), 2);
    assert.equal(daysBetween('2025-12-31', '2026-01-01'), 1);
    assert.equal(addDays('2024-02-28', 1), '2024-02-29');
    assert.equal(addDays('2026-03-01', -1), '2026-02-28');
  });
});

describe('masking', () => {
  it('masks phones and nicknames', () => {
    assert.equal(maskPhone('13812345678'), '138****5678');
    assert.equal(maskPhone(null), null);
    assert.equal(maskNickname('小明同学'), '小**');
    assert.equal(maskNickname('A'), 'A*');
    assert.equal(
      maskPhones('query=13812345678&x=1 and 15900001111'),
      'query=138****5678&x=1 and 159****1111',
    );
    assert.equal(
      maskPhones('order 1234567890123'),
      'order 1234567890123',
      'longer digit runs are not phones',
    );
  });

  it('log lines never carry secrets, tokens or whole phone numbers', () => {
    const lines: string[] = [];
    const logger = createLogger(
      { logLevel: 'info' },
      { write: (line: string) => void lines.push(line) },
    );
    logger.info(
      { phone: '13812345678', body: { token: 'eyJabc', password: 'hunter2', code: 'wxcode' } },
      'joined with 13900001111',
    );
    logger.info(
      { req: { method: 'GET', url: '/cgi-bin/x?access_token=SECRET123&phone=13812345678' } },
      'call',
    );
    new NestPinoLogger(logger).warn('member 13700002222 merged', 'Members');
    const text = lines.join('');
    for (const leaked of [
      '13812345678',
      '13900001111',
      '13700002222',
      'eyJabc',
      'hunter2',
      'wxcode',
      'SECRET123',
    ]) {
      assert.ok(!text.includes(leaked), `${leaked} leaked into: ${text}`);
    }
    assert.match(text, /138\*\*\*\*5678/);
    assert.match(text, /"context":"Members"/);
    assert.equal(lines.length, 3);
  });
});

describe('card numbers and card codes', () => {
  const service = new CardCodeService({ jwtSecret: 'x'.repeat(40) } as AppConfig);
  it('card numbers carry a Luhn check digit', () => {
    assert.equal(luhnDigit('7992739871'), '3');
    for (let i = 0; i < 100; i++) {
      const n = generateCardNo();
      assert.match(n, /^8\d{11}$/);
      assert.equal(luhnDigit(n.slice(0, 11)), n[11]);
    }
  });
  it('a code is valid in its minute and the next, then never again', () => {
    const t0 = Date.parse('2026-11-24T10:00:05Z');
    const { code, expiresAt, refreshInSeconds } = service.issue('812345678903', t0);
    assert.equal(expiresAt.toISOString(), '2026-11-24T10:01:00.000Z');
    assert.equal(refreshInSeconds, 55);
    assert.equal(service.verify(code, t0), '812345678903');
    assert.equal(
      service.verify(code, t0 + 60_000),
      '812345678903',
      'scan delay across the boundary',
    );
    assert.equal(service.verify(code, t0 + 120_000), undefined);
    assert.equal(
      service.verify(code.slice(0, -1) + ((Number(code.at(-1)) + 1) % 10), t0),
      undefined,
    );
    assert.equal(service.verify('abc', t0), undefined);
    const other = new CardCodeService({ jwtSecret: 'y'.repeat(40) } as AppConfig);
    assert.equal(other.verify(code, t0), undefined, 'another brand secret does not accept it');
  });
});

describe("WeChat's message value rules", () => {
  it('knows keyword types by prefix', () => {
    assert.equal(keywordType('thing1'), 'thing');
    assert.equal(keywordType('character_string12'), 'character_string');
    assert.equal(keywordType('bogus1'), undefined);
  });
  it('accepts what WeChat accepts and refuses what it refuses', () => {
    assert.ok(isValidValue('thing', '您的积分即将到期'));
    assert.ok(!isValidValue('thing', '一二三四五六七八九十一二三四五六七八九十一'));
    assert.ok(isValidValue('phrase', '配送中'));
    assert.ok(!isValidValue('phrase', '配送中了吗吗'));
    assert.ok(!isValidValue('phrase', 'ok'));
    assert.ok(isValidValue('date', '2026年12月31日'));
    assert.ok(isValidValue('time', '15:01'));
    assert.ok(isValidValue('amount', '¥99.00'));
    assert.ok(!isValidValue('character_string', '含中文'));
    assert.ok(!isValidValue('thing', ''));
    assert.ok(!isValidValue('thing', 'a\nb'));
  });
});

describe('configuration', () => {
  it('defaults to the embedded database, the fake WeChat and demo data', () => {
    const c = loadConfig({ DATA_DIR: '/tmp/huoyue-config-test' });
    assert.equal(c.database.kind, 'sqlite');
    assert.equal(c.wechat.useFake, true);
    assert.equal(c.demoData, true);
    assert.equal(c.brandTimezone, 'Asia/Shanghai');
    assert.ok(c.jwtSecret.length >= 32);
    assert.equal(
      loadConfig({ DATA_DIR: '/tmp/huoyue-config-test' }).jwtSecret,
      c.jwtSecret,
      'the generated secret is kept',
    );
  });
  it('MySQL gets no demo data unless asked', () => {
    assert.equal(
      loadConfig({
        DATA_DIR: '/tmp/huoyue-config-test',
        DATABASE_URL: 'mysql://root@127.0.0.1:3306/x',
      }).demoData,
      false,
    );
    assert.equal(
      loadConfig({
        DATA_DIR: '/tmp/huoyue-config-test',
        DATABASE_URL: 'mysql://root@127.0.0.1:3306/x',
        DEMO_DATA: 'true',
      }).demoData,
      true,
    );
  });
  it('TRUST_PROXY: off by default; a hop count; IPs and CIDRs', () => {
    const trust = (v?: string) =>
      loadConfig({
        DATA_DIR: '/tmp/huoyue-config-test',
        ...(v === undefined ? {} : { TRUST_PROXY: v }),
      }).trustProxy;
    assert.equal(trust(), false);
    assert.equal(trust(''), false);
    assert.equal(trust('0'), false);
    assert.equal(trust('2'), 2);
    assert.deepEqual(trust('127.0.0.1, 10.0.0.0/8,::1'), ['127.0.0.1', '10.0.0.0/8', '::1']);
  });
  it('refuses bad values with a message naming the variable', () => {
    for (const env of [
      { PORT: 'eighty' },
      { DATABASE_URL: 'postgres://x' },
      { TZ_BRAND: 'Mars/Base' },
      { JWT_SECRET: 'short' },
      { WECHAT_APP_ID: 'wx123' },
      { TRUST_PROXY: 'true' },
      { TRUST_PROXY: '10.0.0.0/33' },
      { ADMIN_PASSWORD: 'short-pw1' },
    ]) {
      assert.throws(
        () => loadConfig({ DATA_DIR: '/tmp/huoyue-config-test', ...env }),
        (e: Error) =>
          e instanceof ConfigError &&
          e.message.includes(
            Object.keys(env)[0] === 'WECHAT_APP_ID' ? 'WECHAT_APP_SECRET' : Object.keys(env)[0]!,
          ),
      );
    }
  });
});
