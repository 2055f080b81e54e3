import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { WechatPaySettings } from '../config/wechat-pay-config.js';

/** The fake merchant's id: WeChat Pay's own documentation example. */
export const FAKE_MCH_ID = '1900000109';

/**
 * A merchant made at start-up beside the fake WeChat: its API key pair, certificate serial and APIv3 key, told to
 * the fake WeChat Pay (which checks our signatures with the public half) — so `npm start` and the tests pay
 * through the same code, signatures and notifications as production.
 */
export function fakeMerchant(appId: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serial = randomBytes(20).toString('hex').toUpperCase();
  const apiV3Key = randomBytes(16).toString('hex');
  return {
    fakeOptions: {
      mchid: FAKE_MCH_ID,
      appId,
      merchantSerial: serial,
      merchantPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      apiV3Key,
    },
    /** Settings pointing at the fake, trusting the key it serves as "the WeChat Pay public key". */
    settings(
      fakeUrl: string,
      wechatPayKey: { publicKeyId: string; publicKeyPem: string },
    ): WechatPaySettings {
      return {
        mchid: FAKE_MCH_ID,
        serial,
        privateKey,
        apiV3Key,
        verifiers: new Map([
          [wechatPayKey.publicKeyId, createPublicKey(wechatPayKey.publicKeyPem)],
        ]),
        notifyUrl: null,
        baseUrl: fakeUrl,
        timeoutMs: 5_000,
      };
    },
  };
}
