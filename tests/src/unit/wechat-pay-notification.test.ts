import assert from 'node:assert/strict';
import { createCipheriv, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  openPayNotification,
  PayNotificationError,
  type PayNotificationRefusal,
} from '@huoyue/server/dist/infra/wechat/pay/notification.js';

// WeChat Pay's side, written with node's crypto alone (not the library under test): its key pair, the APIv3 key.
const wechat = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const apiV3Key = randomBytes(16).toString('hex'); // 32 characters, as the merchant platform issues it
const KEY_ID = 'PUB_KEY_ID_0114232134912410000000000000';
const keys = { apiV3Key, verifiers: new Map([[KEY_ID, wechat.publicKey]]) };

function encrypt(plain: string, key: string, nonce: string, aad: string): string {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(nonce));
  cipher.setAAD(Buffer.from(aad));
  return Buffer.concat([
    cipher.update(plain, 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]).toString('base64');
}

/** A TRANSACTION.SUCCESS notification as WeChat Pay sends it: body bytes and headers. */
function notification(
  options: { at?: number; serial?: string; signer?: typeof wechat.privateKey; key?: string } = {},
) {
  const transaction = {
    mchid: '1900000001',
    appid: 'wxd678efh567hg6787',
    out_trade_no: 'MALL42',
    transaction_id: '4200000000000000000000000001',
    trade_state: 'SUCCESS',
    amount: { total: 990, payer_total: 990, currency: 'CNY' },
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  };
  const nonce = randomBytes(6).toString('hex'); // 12 characters
  const body = JSON.stringify({
    id: 'EV-2018022511223320873',
    create_time: '2026-12-06T18:00:00+08:00',
    event_type: 'TRANSACTION.SUCCESS',
    resource_type: 'encrypt-resource',
    summary: '支付成功',
    resource: {
      original_type: 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: encrypt(
        JSON.stringify(transaction),
        options.key ?? apiV3Key,
        nonce,
        'transaction',
      ),
      associated_data: 'transaction',
      nonce,
    },
  });
  const timestamp = String(Math.floor((options.at ?? Date.now()) / 1000));
  const headerNonce = randomBytes(16).toString('hex');
  const signature = createSign('RSA-SHA256')
    .update(`${timestamp}\n${headerNonce}\n${body}\n`)
    .sign(options.signer ?? wechat.privateKey, 'base64');
  return {
    body: Buffer.from(body),
    headers: {
      'wechatpay-timestamp': timestamp,
      'wechatpay-nonce': headerNonce,
      'wechatpay-signature': signature,
      'wechatpay-serial': options.serial ?? KEY_ID,
      'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
    } as Record<string, string>,
  };
}

const refusedWith = (refusal: PayNotificationRefusal) => (err: unknown) => {
  assert.ok(err instanceof PayNotificationError, String(err));
  assert.equal(err.refusal, refusal);
  return true;
};

describe('WeChat Pay notifications: verified on the raw body, then decrypted', () => {
  it('opens a notification signed with the WeChat Pay public key and answers the decrypted transaction', () => {
    const n = notification();
    const opened = openPayNotification(n.headers, n.body, keys);
    assert.equal(opened.eventType, 'TRANSACTION.SUCCESS');
    assert.equal(opened.id, 'EV-2018022511223320873');
    assert.equal(opened.resource.out_trade_no, 'MALL42');
    assert.deepEqual(opened.resource.amount, { total: 990, payer_total: 990, currency: 'CNY' });
  });

  it('refuses a forged, altered, stale, unknown-key or wrongly encrypted notification', () => {
    const forged = notification({ signer: other.privateKey });
    assert.throws(
      () => openPayNotification(forged.headers, forged.body, keys),
      refusedWith('signature'),
    );
    const altered = notification();
    const changed = Buffer.from(altered.body.toString().replace('"id":"EV-', '"id":"XX-'));
    assert.throws(
      () => openPayNotification(altered.headers, changed, keys),
      refusedWith('signature'),
    );
    const stale = notification({ at: Date.now() - 301_000 });
    assert.throws(() => openPayNotification(stale.headers, stale.body, keys), refusedWith('stale'));
    const future = notification({ at: Date.now() + 301_000 });
    assert.throws(
      () => openPayNotification(future.headers, future.body, keys),
      refusedWith('stale'),
    );
    const unknown = notification({ serial: 'PUB_KEY_ID_unknown' });
    assert.throws(
      () => openPayNotification(unknown.headers, unknown.body, keys),
      refusedWith('unknown_key'),
    );
    const wrongKey = notification({ key: randomBytes(16).toString('hex') });
    assert.throws(
      () => openPayNotification(wrongKey.headers, wrongKey.body, keys),
      refusedWith('decrypt'),
    );
    const bare = notification();
    const { 'wechatpay-signature': _dropped, ...withoutSignature } = bare.headers;
    assert.throws(
      () => openPayNotification(withoutSignature, bare.body, keys),
      refusedWith('headers'),
    );
  });

  it('accepts a timestamp within the five minutes either way (clocks differ a little)', () => {
    for (const skew of [-290_000, 290_000]) {
      const n = notification({ at: Date.now() + skew });
      assert.equal(openPayNotification(n.headers, n.body, keys).resource.trade_state, 'SUCCESS');
    }
  });
});
