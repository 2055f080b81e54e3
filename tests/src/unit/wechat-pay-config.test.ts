import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '@huoyue/server/dist/config/config.js';

const dir = mkdtempSync(join(tmpdir(), 'huoyue-pay-config-'));
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const wechatPay = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKeyFile = join(dir, 'apiclient_key.pem');
const publicKeyFile = join(dir, 'pub_key.pem');
writeFileSync(privateKeyFile, merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }));
writeFileSync(publicKeyFile, wechatPay.publicKey.export({ type: 'spki', format: 'pem' }));
const APIV3_KEY = 'a'.repeat(16) + 'B'.repeat(16);

const base = {
  DATA_DIR: dir,
  WECHAT_APP_ID: 'wx1234567890abcdef',
  WECHAT_APP_SECRET: 'real-secret',
};
const full = {
  ...base,
  WECHATPAY_MCH_ID: '1900000109',
  WECHATPAY_MCH_SERIAL: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
  WECHATPAY_PRIVATE_KEY_FILE: privateKeyFile,
  WECHATPAY_APIV3_KEY: APIV3_KEY,
  WECHATPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0114232134912410000000000000',
  WECHATPAY_PUBLIC_KEY_FILE: publicKeyFile,
  WECHATPAY_NOTIFY_URL: 'https://brand.example.com/api/pay/wechat/notify',
};

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.message;
  }
  return '';
};

describe('WeChat Pay configuration, checked at boot', () => {
  it('a complete merchant in public-key mode: keys read, the public key trusted under its id', () => {
    const pay = loadConfig(full).wechat.pay!;
    assert.equal(pay.mchid, '1900000109');
    assert.equal(pay.baseUrl, 'https://api.mch.weixin.qq.com');
    assert.deepEqual([...pay.verifiers.keys()], [full.WECHATPAY_PUBLIC_KEY_ID]);
    assert.equal(pay.privateKey.type, 'private');
  });

  it('none set: no merchant (real credentials: cash refused; beside the fake: the fake merchant)', () => {
    assert.equal(loadConfig(base).wechat.pay, null);
  });

  it('a partial set is refused, naming what is missing and never a secret', () => {
    const { WECHATPAY_PRIVATE_KEY_FILE: _f, WECHATPAY_NOTIFY_URL: _u, ...partial } = full;
    const message = problems(partial);
    assert.match(message, /WECHATPAY_PRIVATE_KEY_FILE: required/);
    assert.match(message, /WECHATPAY_NOTIFY_URL: required/);
    assert.ok(!message.includes(APIV3_KEY), 'the APIv3 key is never printed');
  });

  it('bad values: APIv3 key length, http notify URL, unreadable or wrong key files, a lone key id', () => {
    assert.match(problems({ ...full, WECHATPAY_APIV3_KEY: 'short' }), /32-character/);
    assert.match(
      problems({ ...full, WECHATPAY_NOTIFY_URL: 'http://brand.example.com/notify' }),
      /https/,
    );
    assert.match(
      problems({ ...full, WECHATPAY_PRIVATE_KEY_FILE: join(dir, 'missing.pem') }),
      /cannot read/,
    );
    assert.match(
      problems({ ...full, WECHATPAY_PRIVATE_KEY_FILE: publicKeyFile }),
      /not a PEM key or certificate of the expected kind/,
    );
    const { WECHATPAY_PUBLIC_KEY_FILE: _p, ...noFile } = full;
    assert.match(problems(noFile), /set both/);
  });

  it('WeChat Pay needs the real mini-program beside it', () => {
    const { WECHAT_APP_ID: _a, WECHAT_APP_SECRET: _s, ...noApp } = full;
    assert.match(problems(noApp), /needs the mini-program/);
  });
});
