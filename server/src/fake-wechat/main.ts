/**
 * Runs the fake WeChat on its own: `npm run fake-wechat` (port FAKE_WECHAT_PORT, default 3100).
 * WeChat Pay (API v3) is on only when FAKE_WECHAT_PAY_MERCHANT_PUBLIC_KEY_FILE names the merchant's API public key
 * (PEM); then FAKE_WECHAT_PAY_MCHID, FAKE_WECHAT_PAY_MERCHANT_SERIAL and FAKE_WECHAT_PAY_APIV3_KEY describe the
 * merchant, and the fake's own public key (made at each start) is written to FAKE_WECHAT_PAY_PUBLIC_KEY_OUT if set.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { FAKE_APP_ID, FAKE_APP_SECRET } from '../config/config.js';
import { startFakeWechat, type FakePayOptions } from './fake-wechat.js';

const env = process.env;
const appId = env.WECHAT_APP_ID ?? FAKE_APP_ID;
const merchantKeyFile = env.FAKE_WECHAT_PAY_MERCHANT_PUBLIC_KEY_FILE;
const pay: FakePayOptions | undefined = merchantKeyFile
  ? {
      mchid: env.FAKE_WECHAT_PAY_MCHID ?? '1900000109',
      appId,
      merchantSerial: env.FAKE_WECHAT_PAY_MERCHANT_SERIAL ?? '',
      merchantPublicKey: readFileSync(merchantKeyFile, 'utf8'),
      apiV3Key: env.FAKE_WECHAT_PAY_APIV3_KEY ?? '',
    }
  : undefined;

const port = Number(env.FAKE_WECHAT_PORT ?? 3100);
const fake = await startFakeWechat({
  port,
  host: env.FAKE_WECHAT_HOST ?? '127.0.0.1',
  apps: [
    { appId, secret: env.WECHAT_APP_SECRET ?? FAKE_APP_SECRET, kind: 'mp' },
    { appId: `${FAKE_APP_ID}oa`, secret: FAKE_APP_SECRET, kind: 'oa' },
  ],
  pay,
});
console.log(`fake WeChat listening on ${fake.url}`);
if (fake.pay) {
  console.log(`fake WeChat Pay on, public key id ${fake.pay.publicKeyId}`);
  if (env.FAKE_WECHAT_PAY_PUBLIC_KEY_OUT)
    writeFileSync(env.FAKE_WECHAT_PAY_PUBLIC_KEY_OUT, fake.pay.publicKeyPem);
}
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
