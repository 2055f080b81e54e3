import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startFakeWechat } from '@huoyue/server/dist/fake-wechat/fake-wechat.js';
import { Formatter, Rsa, Wechatpay } from '@huoyue/server/dist/fake-wechat/pay-client.js';
import {
  openPayNotification,
  type PayNotification,
} from '@huoyue/server/dist/infra/wechat/pay/notification.js';
import { FakeControl } from '../support/test-server.js';

// The merchant's side: its API key pair, certificate serial and APIv3 key, made here.
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKeyPem = merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const MCHID = '1900000109';
const APP_ID = 'wxfakepay000000001';
const SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
const apiV3Key = randomBytes(16).toString('hex');
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';

type Fake = Awaited<ReturnType<typeof startFakeWechat>>;
interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  opened?: PayNotification;
  refusal?: string;
}

/** A merchant's notify_url: opens what it gets; answers 204, 401 when refused, or the next forced status. */
class Receiver {
  received: Received[] = [];
  forced: number[] = [];
  private server!: Server;
  url = '';

  async start(keys: () => Parameters<typeof openPayNotification>[2]) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const got: Received = { headers: req.headers, raw: Buffer.concat(chunks) };
        try {
          got.opened = openPayNotification(req.headers, got.raw, keys());
        } catch (e) {
          got.refusal = (e as { refusal?: string }).refusal ?? String(e);
        }
        this.received.push(got);
        res.statusCode = this.forced.shift() ?? (got.opened ? 204 : 401);
        res.end(got.opened ? '' : JSON.stringify({ code: 'FAIL', message: got.refusal }));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/pay/notify`;
  }

  stop() {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    return closed;
  }
}

const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 3000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** What the client rejects with: an axios error (HTTP status, body) or a verification failure (code). */
async function rejection(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    const err = e as { code?: string; response?: { status?: number; data?: unknown } };
    const data = err.response?.data;
    return {
      code: err.code,
      status: err.response?.status,
      data: (typeof data === 'string' ? JSON.parse(data) : data) as { code?: string },
    };
  }
  return assert.fail('expected the call to fail');
}

describe('fake WeChat Pay (API v3) driven by the real wechatpay-axios-plugin client', () => {
  let fake: Fake;
  let control: FakeControl;
  let wxpay: Wechatpay;
  const receiver = new Receiver();
  let n = 0;
  const outTradeNo = () => `T${Date.now()}${n++}`;
  const expire = (ms = 900_000) => new Date(Date.now() + ms).toISOString();

  before(async () => {
    await receiver.start(() => ({
      apiV3Key,
      verifiers: new Map([[fake.pay!.publicKeyId, Rsa.from(fake.pay!.publicKeyPem, 'public')]]),
    }));
    fake = await startFakeWechat({
      port: 0,
      apps: [{ appId: APP_ID, secret: 'secret', kind: 'mp' }],
      pay: {
        mchid: MCHID,
        appId: APP_ID,
        merchantSerial: SERIAL,
        merchantPublicKey: merchant.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        apiV3Key,
        retryScheduleMs: [50, 50],
        refundDelayMs: 50,
      },
    });
    control = new FakeControl(fake.url);
    wxpay = client(privateKeyPem);
  });
  after(async () => {
    await fake.close();
    await receiver.stop();
  });

  const client = (key: string) =>
    new Wechatpay({
      mchid: MCHID,
      serial: SERIAL,
      privateKey: key,
      certs: { [fake.pay!.publicKeyId]: fake.pay!.publicKeyPem },
      baseURL: fake.url,
    });

  const prepay = (no: string, total = 990, description = '积分+现金 兑换') =>
    wxpay.chain('v3/pay/transactions/jsapi').post({
      appid: APP_ID,
      mchid: MCHID,
      description,
      out_trade_no: no,
      time_expire: expire(),
      notify_url: receiver.url,
      amount: { total, currency: 'CNY' },
      payer: { openid: OPENID },
    }) as Promise<{ status: number; data: { prepay_id: string } }>;

  const query = async (no: string) =>
    (
      (await wxpay
        .chain('v3/pay/transactions/out-trade-no/{out_trade_no}')
        .get({ params: { mchid: MCHID }, out_trade_no: no })) as {
        data: Record<string, unknown> & { trade_state: string };
      }
    ).data;

  const close = (no: string) =>
    wxpay
      .chain('v3/pay/transactions/out-trade-no/{out_trade_no}/close')
      .post({ mchid: MCHID }, { out_trade_no: no }) as Promise<{ status: number }>;

  const refund = (no: string, outRefundNo: string, amount: number, total = 990) =>
    wxpay.chain('v3/refund/domestic/refunds').post({
      out_trade_no: no,
      out_refund_no: outRefundNo,
      reason: '用户取消',
      notify_url: receiver.url,
      amount: { refund: amount, total, currency: 'CNY' },
    }) as Promise<{ data: Record<string, unknown> & { refund_id: string; status: string } }>;

  it('start gives the WeChat Pay public key to trust: PUB_KEY_ID_0114… and an SPKI PEM', () => {
    assert.match(fake.pay!.publicKeyId, /^PUB_KEY_ID_0114\d{24}$/);
    assert.match(fake.pay!.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
  });

  it('prepay is answered, signed (the client verified it); the same order again gets the same prepay_id', async () => {
    const no = outTradeNo();
    const first = await prepay(no);
    assert.equal(first.status, 200);
    assert.match(first.data.prepay_id, /^wx\d{14}[0-9a-f]{20}$/);
    assert.equal((await prepay(no)).data.prepay_id, first.data.prepay_id);
    const changed = await rejection(prepay(no, 991));
    assert.deepEqual([changed.status, changed.data.code], [400, 'INVALID_REQUEST']);
    const bad = await rejection(prepay('short'));
    assert.deepEqual([bad.status, bad.data.code], [400, 'PARAM_ERROR']);
  });

  it('a request signed with another key is refused: 401 SIGN_ERROR', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const stranger = client(other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const r = await rejection(
      stranger
        .chain('v3/pay/transactions/out-trade-no/{out_trade_no}')
        .get({ params: { mchid: MCHID }, out_trade_no: 'ANY000001' }),
    );
    assert.deepEqual([r.status, r.data], [401, { code: 'SIGN_ERROR', message: '签名错误' }]);
  });

  it('query: NOTPAY, then paid by the control (no notification), SUCCESS with its transaction', async () => {
    const no = outTradeNo();
    await prepay(no);
    assert.equal((await query(no)).trade_state, 'NOTPAY');
    const paid = await control.pay({ out_trade_no: no, notify: 'never' });
    assert.deepEqual(paid.deliveries, []);
    const t = await query(no);
    assert.equal(t.trade_state, 'SUCCESS');
    assert.match(String(t.transaction_id), /^\d{28}$/);
    assert.match(String(t.success_time), /\+08:00$/);
    assert.deepEqual(t.amount, {
      total: 990,
      payer_total: 990,
      currency: 'CNY',
      payer_currency: 'CNY',
    });
    const missing = await rejection(query('NOSUCHORDER'));
    assert.deepEqual([missing.status, missing.data.code], [404, 'ORDER_NOT_EXIST']);
  });

  it('close: a paid trade answers 400 ORDERPAID; an unpaid one 204, then CLOSED', async () => {
    const paid = outTradeNo();
    await prepay(paid);
    await control.pay({ out_trade_no: paid, notify: 'never' });
    const r = await rejection(close(paid));
    assert.deepEqual([r.status, r.data.code], [400, 'ORDERPAID']);
    const unpaid = outTradeNo();
    await prepay(unpaid);
    assert.equal((await close(unpaid)).status, 204);
    assert.equal((await query(unpaid)).trade_state, 'CLOSED');
    assert.equal((await close(unpaid)).status, 204);
    const again = await rejection(prepay(unpaid));
    assert.equal(again.data.code, 'ORDER_CLOSED');
  });

  it('refund: the same out_refund_no twice makes one refund; SUCCESS after the delay, REFUND.SUCCESS sent', async () => {
    const no = outTradeNo();
    await prepay(no);
    await control.pay({ out_trade_no: no, notify: 'never' });
    const first = await refund(no, `R${no}`, 300);
    assert.equal(first.data.status, 'PROCESSING');
    const second = await refund(no, `R${no}`, 300);
    assert.equal(second.data.refund_id, first.data.refund_id);
    assert.equal((await query(no)).trade_state, 'REFUND');
    const tooMuch = await rejection(refund(no, `S${no}`, 700));
    assert.deepEqual([tooMuch.status, tooMuch.data.code], [400, 'NOT_ENOUGH']);
    await until(
      'the refund to succeed',
      async () => (await control.trade(no))!.refunds[0]!.status === 'SUCCESS',
    );
    const got = (await wxpay
      .chain('v3/refund/domestic/refunds/{out_refund_no}')
      .get({ out_refund_no: `R${no}` })) as { data: { status: string; success_time?: string } };
    assert.equal(got.data.status, 'SUCCESS');
    assert.ok(got.data.success_time);
    assert.equal((await control.trade(no))!.refunds.length, 1);
    await until('REFUND.SUCCESS', () =>
      receiver.received.some((r) => r.opened?.resource.out_refund_no === `R${no}`),
    );
    const opened = receiver.received.find((r) => r.opened?.resource.out_refund_no === `R${no}`)!;
    assert.equal(opened.opened!.eventType, 'REFUND.SUCCESS');
    assert.equal(opened.opened!.resource.refund_status, 'SUCCESS');
  });

  it('a paid trade notifies notify_url: it opens with openPayNotification and decrypts to the trade; duplicates share the id', async () => {
    const no = outTradeNo();
    await prepay(no);
    const paid = await control.pay({ out_trade_no: no, duplicates: 1 });
    assert.deepEqual(paid.deliveries, [204, 204]);
    const mine = receiver.received.filter((r) => r.opened?.resource.out_trade_no === no);
    assert.equal(mine.length, 2);
    assert.equal(mine[0]!.opened!.id, mine[1]!.opened!.id);
    assert.equal(mine[0]!.opened!.eventType, 'TRANSACTION.SUCCESS');
    assert.deepEqual(mine[0]!.opened!.resource, await query(no));
    assert.equal(mine[0]!.headers['wechatpay-serial'], fake.pay!.publicKeyId);
  });

  it('a receiver answering 500 gets the notification again', async () => {
    const no = outTradeNo();
    await prepay(no);
    receiver.forced.push(500);
    const paid = await control.pay({ out_trade_no: no });
    assert.deepEqual(paid.deliveries, [500]);
    await until('the resend', async () => (await control.trade(no))!.notifications.length === 2);
    const statuses = (await control.trade(no))!.notifications.map((x) => x.status);
    assert.deepEqual(statuses, [500, 204]);
  });

  it('tampered notifications are refused by the opener; a true one is accepted', async () => {
    const no = outTradeNo();
    await prepay(no);
    await control.pay({ out_trade_no: no, notify: 'never' });
    assert.equal((await control.payNotify(no)).status, 204);
    for (const tamper of ['bad_signature', 'wrong_serial', 'stale', 'wrong_key'] as const)
      assert.equal((await control.payNotify(no, tamper)).status, 401, tamper);
    const refusals = receiver.received.slice(-4).map((r) => r.refusal);
    assert.deepEqual(refusals, ['signature', 'unknown_key', 'stale', 'decrypt']);
    assert.equal((await control.payNotify(no, 'amount')).status, 204);
    assert.equal(
      (receiver.received.at(-1)!.opened!.resource.amount as { total: number }).total,
      991,
    );
  });

  it('faults: http500 and a bad signature surface as errors on the client side; drop_after_create takes effect', async () => {
    await control.payFault('http500', { path: '/v3/pay/transactions/jsapi' });
    const no = outTradeNo();
    const r = await rejection(prepay(no));
    assert.deepEqual([r.status, r.data.code], [500, 'SYSTEM_ERROR']);
    assert.equal(await control.trade(no), null, 'a 500 has no effect');
    await control.payFault('bad_signature');
    const bad = await rejection(prepay(no));
    assert.equal(bad.code, 'EV3_RES_HEADER_SIGNATURE_DIGEST');
    await control.payFault('wrong_serial');
    assert.equal((await rejection(query(no))).code, 'EV3_RES_HEADER_PLATFORM_SERIAL');
    await control.payFault('stale');
    assert.equal((await rejection(query(no))).code, 'EV3_RES_HEADER_TIMESTAMP_OFFSET');
    const dropped = outTradeNo();
    await control.payFault('drop_after_create');
    const lost = await rejection(prepay(dropped));
    assert.equal(lost.status, undefined, 'no answer at all');
    assert.equal((await query(dropped)).trade_state, 'NOTPAY');
    await control.payFault('http500', { times: 5 });
    await control.payFaultsClear();
    assert.equal((await query(dropped)).trade_state, 'NOTPAY');
  });

  it('cashier: a bad paySign is refused 400 签名错误; a good one pays', async () => {
    const no = outTradeNo();
    const { prepay_id } = (await prepay(no)).data;
    const params = {
      appId: APP_ID,
      timeStamp: String(Formatter.timestamp()),
      nonceStr: Formatter.nonce(),
      package: `prepay_id=${prepay_id}`,
      signType: 'RSA',
    };
    const message = Formatter.joinedByLineFeed(
      params.appId,
      params.timeStamp,
      params.nonceStr,
      params.package,
    );
    const bad = await control.cashier({
      ...params,
      paySign: Rsa.sign(`${message}x`, privateKeyPem),
    });
    assert.deepEqual([bad.status, bad.code, bad.message], [400, 'SIGN_ERROR', '签名错误']);
    const ok = await control.cashier({ ...params, paySign: Rsa.sign(message, privateKeyPem) });
    assert.equal(ok.status, 200);
    assert.equal(ok.trade?.trade_state, 'SUCCESS');
    assert.deepEqual(ok.deliveries, [204]);
    const twice = await control.cashier({ ...params, paySign: Rsa.sign(message, privateKeyPem) });
    assert.deepEqual([twice.code, twice.message], ['ORDERPAID', '订单已支付']);
  });
});
