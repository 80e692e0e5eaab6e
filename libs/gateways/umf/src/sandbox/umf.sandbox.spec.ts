import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { encodeUmfRequest, parseUmfAnswer, parseUmfJson } from '../umf.codec';
import { umfConfigSchema } from '../umf.config';
import { UMF_QUERY_PATH, UMF_REFUND_PATH } from '../umf.options';
import {
  signUmfNotificationAck,
  signUmfRequest,
  verifyUmfAnswer,
  verifyUmfNotification,
  type UmfAnswerVariant,
} from '../umf.signer';
import type { UmfFields } from '../umf.types';
import { UMF_SANDBOX_ERRORS } from './umf-sandbox.ledger';
import { startUmfSandbox, UMF_SANDBOX_MODULE_OPTIONS } from './umf-sandbox.starter';
import type { UmfSandboxOptions } from './umf-sandbox.types';
import { UmfSandbox } from './umf.sandbox';

// 1024-bit keys, as UMF's certificates are: made once per file.
const keyPair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 1024,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
const MERCHANT_KEYS = keyPair();
const PLATFORM_KEYS = keyPair();
const STRANGER_KEYS = keyPair();

/** PROTOCOLS.md §3 "UMF test vectors": the made-up 1024-bit merchant key and its refund. */
const VECTOR_KEY = `-----BEGIN PRIVATE KEY-----
MIICdQIBADANBgkqhkiG9w0BAQEFAASCAl8wggJbAgEAAoGBAJv51+SSjQWRX+pB
uddxyFLcdojsMCBBVbatXqkcVCL7hOa9+lzhiI+ptMTtz0x1mcz7W3Ka1Kl5357k
fCoMqI7Psi4LhFEscxlHm0aLtzazBJqova/zHmUtIYsomlHVGiV3AsFuog7eEtdZ
AAPPGfTDH+goNMyti0rF3mvk9fD3AgMBAAECgYB5Uti0qa3Z0994ltFYnN/GXEgz
bwxsOoXSh35nKmrjnyMcXE+/KYsQvF+pApXJknwkrqvONFMQ1IS10mImTxxYan+W
1sXrEai8wT584+Kq/08yICmz7JsFy16lnyk7HRKv/SnXS4qOjCgqrhREzeQFKlIf
r0WVK34Z6CP9skvdOQJBAM4lPZDelP58QjIhjrArxtn04ZOxCUGcibCKAZQxnvRt
/5TyVHc+nmOsMWVYxLP+V0OjESzT+BbdZgFSQPVZeeMCQQDBsolT+FxZahhX3Qey
zzkE6p06p3CcfbE16XG3fMzHZ0SFsp1hXFkZBKweDaDFPWCCuvcf/cq3GBbTF2Ua
VujdAkATLl/mJO/UJhe6tmiid9BO43xB0806r6gYJx8yfNN/huSrJUk6tzbhq1oF
Rhc3cEkKYBfvBeIlroAZS2AD9EllAkAnxpPwzGWabvEEyfzUuT0KR2t2KgA0ApOr
cH7LoTMkF464rc8nuSEKxCzcFwxWtJ3m+qHYzfMc2jOFsZ4vZH15AkBPEIXr2aFY
uB4oHx7Fg3OyfMW5TVYJcIBzsFKoc/CG/+BlTJaIfcZd0+wvH6moABWNB10oL4Ss
/XNuWj5+6WDc
-----END PRIVATE KEY-----`;
const VECTOR_SIGN =
  'WEN7nCszxdX5ePEFxO4ETIwl/qikRYuolDubGr4/UOIl2uXOeHDe0qW6swk0xRVCSeg+ob6lvAuaBah4iKuMnRAn43HG9HsqKAUiH3Oi' +
  'Oi3uu0hxJBjjPl9xjX8dXM/EXUcB9rUJ3TzGmcNrlHqYrDg52PjueABYQ7NnmvF36wE=';

const MERCHANT = '30000102';
const PROXY = '0025';
const CLOCK = new Date('2025-03-13T02:52:52.000Z'); // 2025-03-13 10:52:52 in China
const DAY_MS = 24 * 3600 * 1000;
const ORDER = { partnerOrderId: 'T1', orderDate: '20250312', amount: 1000 };
const REFUND_ANSWER_FIELDS = ['retCode', 'Memo', 'partnerOrderId', 'amount', 'orderDate', 'sign'];
const QUERY_ANSWER_FIELDS = [
  'retCode',
  'retMsg',
  'resDate',
  'resTime',
  'amount',
  'status',
  'partnerOrderId',
  'refundPartnerOrderId',
  'subMerId',
  'proxyId',
  'orderDate',
  'refundDate',
  'sign',
];

type Params = Record<string, string>;

/** Waits for observable state, polling, within a deadline. */
async function eventually<T>(probe: () => T | undefined | false, what: string, deadlineMs = 5000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A merchant's notification endpoint; `reply` decides each answer. */
class Receiver {
  readonly received: Array<{ fields: UmfFields; contentType: string | undefined; at: number }> = [];
  reply: (fields: UmfFields, index: number) => { status: number; body: string } = (fields) => ack(fields);
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const fields = parseUmfJson(Buffer.concat(chunks).toString('utf8'));
        const index = this.received.push({ fields, contentType: request.headers['content-type'], at: Date.now() }) - 1;
        const { status, body } = this.reply(fields, index);
        response.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/notify/umf`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** The answer notify.md asks for, signed with `privateKeyPem` (the merchant's by default). */
function ack(notification: UmfFields, overrides: Params = {}, privateKeyPem = MERCHANT_KEYS.privateKey) {
  const fields: Params = {
    funCode: notification['funCode'],
    reqDate: notification['reqDate'],
    reqTime: notification['reqTime'],
    retCode: '0000',
    retMsg: '',
    partnerOrderId: notification['partnerOrderId'],
    orderDate: notification['orderDate'],
    ...overrides,
  };
  return { status: 200, body: JSON.stringify({ ...fields, sign: signUmfNotificationAck({ fields, privateKeyPem }) }) };
}

describe(UmfSandbox.name, () => {
  let sut: UmfSandbox;
  let baseUrl: string;
  let receiver: Receiver;

  async function restart(options: Partial<UmfSandboxOptions> = {}): Promise<void> {
    await sut?.stop();
    sut = new UmfSandbox({
      merchants: { [MERCHANT]: { proxyId: PROXY, privateKey: MERCHANT_KEYS.privateKey } },
      platformPrivateKey: PLATFORM_KEYS.privateKey,
      now: () => CLOCK,
      notifyDelaysMs: [0, 20, 20, 20],
      ...options,
    });
    baseUrl = await sut.start();
    sut.seedOrder({
      merchantId: MERCHANT,
      partnerOrderId: ORDER.partnerOrderId,
      amount: ORDER.amount,
      payType: 'AL',
      paidAt: new Date(CLOCK.getTime() - DAY_MS),
    });
  }

  beforeAll(async () => {
    receiver = new Receiver();
    await receiver.start();
  });
  afterAll(() => receiver.stop());
  beforeEach(async () => {
    receiver.received.length = 0;
    receiver.reply = (fields) => ack(fields);
    await restart();
  });
  afterEach(() => sut.stop());

  async function postRaw(path: string, body: string, contentType = 'application/x-www-form-urlencoded') {
    return fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  }

  /** Signs `params` with the merchant's key (unless `sign` is given, or null for none) and posts them as `context`. */
  async function post(
    path: string,
    params: Params,
    options: { privateKeyPem?: string; sign?: string | null } = {},
  ): Promise<UmfFields> {
    const sign =
      options.sign === undefined
        ? signUmfRequest({ fields: params, privateKeyPem: options.privateKeyPem ?? MERCHANT_KEYS.privateKey })
        : options.sign;
    const response = await postRaw(path, encodeUmfRequest({ ...params, ...(sign ? { sign } : {}) }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    return parseUmfAnswer(await response.text());
  }

  const refundParams = (refundNo: string, amount: string, extra: Params = {}): Params => ({
    subMerId: MERCHANT,
    payType: 'AL',
    proxyId: PROXY,
    amount,
    partnerOrderId: ORDER.partnerOrderId,
    refundPartnerOrderId: refundNo,
    orderDate: ORDER.orderDate,
    apiVersion: '1.0',
    reqDate: '20250313',
    reqTime: '105252',
    ...extra,
  });
  const queryParams = (refundNo: string, extra: Params = {}): Params => ({
    subMerId: MERCHANT,
    proxyId: PROXY,
    reqDate: '20250313',
    reqTime: '105300',
    partnerOrderId: ORDER.partnerOrderId,
    refundPartnerOrderId: refundNo,
    orderDate: ORDER.orderDate,
    version: '1.0',
    ...extra,
  });
  const refund = (refundNo: string, amount: string, extra: Params = {}) =>
    post(UMF_REFUND_PATH, refundParams(refundNo, amount, extra));
  const query = (refundNo: string, extra: Params = {}) => post(UMF_QUERY_PATH, queryParams(refundNo, extra));
  const verified = (fields: UmfFields, message: 'refund' | 'query', variant: UmfAnswerVariant = 'ascii_utf8') =>
    verifyUmfAnswer({ fields, publicKeyPem: sut.platformCertificate, message, variant });

  describe('authentication', () => {
    it('accepts a refund signed with the merchant key and answers signed with the platform key', async () => {
      const answer = await refund('R1', '300');
      expect(Object.keys(answer)).toEqual(REFUND_ANSWER_FIELDS);
      expect(answer).toMatchObject({
        retCode: '0000',
        Memo: '退款受理成功',
        partnerOrderId: 'T1',
        amount: '300',
        orderDate: ORDER.orderDate,
      });
      expect(verified(answer, 'refund')).toBe(true);
      expect(sut.refund(MERCHANT, 'R1')).toMatchObject({ status: '0', amount: 300, refundDate: '20250313' });
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(700);
      expect(sut.requests()).toEqual([
        expect.objectContaining({ operation: 'refund', params: expect.objectContaining({ sign: expect.any(String) }) }),
      ]);
    });

    it('accepts the PROTOCOLS.md refund vector, signed with the documented key', async () => {
      await restart({
        merchants: { '30000101': { proxyId: '0025', privateKey: VECTOR_KEY } },
        now: () => new Date('2018-03-13T02:52:52.000Z'),
      });
      sut.seedOrder({
        merchantId: '30000101',
        partnerOrderId: '0101180116193952366',
        amount: 1,
        paidAt: new Date('2018-01-15T04:00:00.000Z'),
      });
      const vector = {
        subMerId: '30000101',
        payType: 'AL',
        proxyId: '0025',
        amount: '1',
        partnerOrderId: '0101180116193952366',
        refundPartnerOrderId: 'R0101180116193952366',
        orderDate: '20180115',
        apiVersion: '1.0',
        reqDate: '20180313',
        reqTime: '105252',
        notifyUrl: 'https://example.com/umf/notify',
      };
      const answer = await post(UMF_REFUND_PATH, vector, { sign: VECTOR_SIGN });
      expect(answer).toMatchObject({ retCode: '0000', amount: '1', orderDate: '20180115' });
      expect(sut.refund('30000101', 'R0101180116193952366')).toMatchObject({
        notifyUrl: 'https://example.com/umf/notify',
      });
    });

    it('refuses a wrong, missing or stale signature with a signed 3333 and does nothing', async () => {
      const wrong = await post(UMF_REFUND_PATH, refundParams('R1', '100'), { privateKeyPem: STRANGER_KEYS.privateKey });
      expect(wrong).toEqual({ retCode: '3333', Memo: '验签失败', sign: expect.any(String) });
      expect(verified(wrong, 'refund')).toBe(true);
      expect(await post(UMF_REFUND_PATH, refundParams('R1', '100'), { sign: null })).toMatchObject({ retCode: '3333' });
      const params = refundParams('R1', '100');
      const sign = signUmfRequest({ fields: params, privateKeyPem: MERCHANT_KEYS.privateKey });
      expect(await post(UMF_REFUND_PATH, { ...params, amount: '101' }, { sign })).toMatchObject({ retCode: '3333' });
      const queried = await post(UMF_QUERY_PATH, queryParams('R1'), { privateKeyPem: STRANGER_KEYS.privateKey });
      expect(queried).toEqual({ retCode: '3333', retMsg: '验签失败', sign: expect.any(String) });
      expect(verified(queried, 'query')).toBe(true);
      expect(sut.refund(MERCHANT, 'R1')).toBeUndefined();
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(1000);
      expect(sut.refundSubmissions('R1')).toBe(3);
    });

    it('ignores empty values in the signature, as the documented rule does', async () => {
      const params = refundParams('R1', '100');
      const sign = signUmfRequest({ fields: params, privateKeyPem: MERCHANT_KEYS.privateKey });
      const body = new URLSearchParams({ context: JSON.stringify({ ...params, shopNo: '', operator: '', sign }) });
      const answer = parseUmfAnswer(await (await postRaw(UMF_REFUND_PATH, body.toString())).text());
      expect(answer).toMatchObject({ retCode: '0000' });
    });

    it.each([
      ['an unknown subMerId', { subMerId: '99999999' }],
      ["another merchant's proxyId", { proxyId: '0026' }],
    ])('refuses %s with a signed SBX00002', async (_name, extra) => {
      const answer = await refund('R1', '100', extra);
      expect(answer).toEqual({
        retCode: UMF_SANDBOX_ERRORS.merchant,
        Memo: expect.any(String),
        sign: expect.any(String),
      });
      expect(verified(answer, 'refund')).toBe(true);
    });

    it('knows a merchant registered later by its public key', async () => {
      sut.addMerchant('30000103', { proxyId: '0099', publicKey: STRANGER_KEYS.publicKey });
      sut.seedOrder({ merchantId: '30000103', partnerOrderId: 'T9', amount: 10 });
      const answer = await post(
        UMF_REFUND_PATH,
        refundParams('R1', '10', { subMerId: '30000103', proxyId: '0099', partnerOrderId: 'T9', orderDate: '' }),
        { privateKeyPem: STRANGER_KEYS.privateKey },
      );
      expect(answer).toMatchObject({ retCode: '0000' });
      expect(() => sut.addMerchant('30000104', { proxyId: '1' })).toThrow(/publicKey or a privateKey/);
    });

    it('refuses a body without a JSON context with a signed SBX00001', async () => {
      for (const [body, type] of [
        [JSON.stringify(refundParams('R1', '1')), 'application/json'],
        ['context=not-json', 'application/x-www-form-urlencoded'],
        ['other=1', 'application/x-www-form-urlencoded'],
      ]) {
        const answer = parseUmfAnswer(await (await postRaw(UMF_REFUND_PATH, body, type)).text());
        expect(answer).toMatchObject({ retCode: UMF_SANDBOX_ERRORS.param });
        expect(verified(answer, 'refund')).toBe(true);
      }
      expect(sut.requests().map((r) => r.params)).toEqual([{}, {}, {}]);
    });

    it('makes its own platform key pair when given none', async () => {
      const own = new UmfSandbox({ merchants: {} });
      expect(own.platformCertificate).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      expect(own.platformCertificate).not.toBe(sut.platformCertificate);
    });
  });

  describe('/online/refund', () => {
    it.each([
      ['a missing field', { reqTime: '' }],
      ['apiVersion other than 1.0', { apiVersion: '2.0' }],
      ['an undocumented payType', { payType: 'BK' }],
      ['a zero amount', { amount: '0' }],
      ['an amount in yuan', { amount: '1.00' }],
      ['a 33-character refundPartnerOrderId', { refundPartnerOrderId: 'R'.repeat(33) }],
      ['a notifyUrl with characters UMF refuses', { notifyUrl: 'https://example.com/umf/notify?a=b_c' }],
      ['a malformed reqDate', { reqDate: '2025-03-13' }],
    ])('refuses %s with SBX00001 and does nothing', async (_name, extra) => {
      const answer = await refund('R1', '100', extra);
      expect(answer).toMatchObject({ retCode: UMF_SANDBOX_ERRORS.param, Memo: expect.stringMatching(/^参数错误/) });
      expect(verified(answer, 'refund')).toBe(true);
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(1000);
    });

    it('refuses an unknown order, or the right one on another date, with SBX00003', async () => {
      expect(await refund('R1', '100', { partnerOrderId: 'T2' })).toMatchObject({
        retCode: UMF_SANDBOX_ERRORS.orderNotFound,
      });
      expect(await refund('R1', '100', { orderDate: '20250311' })).toMatchObject({ retCode: 'SBX00003' });
      // orderDate is optional: without it the order is found by its number.
      expect(await refund('R1', '100', { orderDate: '' })).toMatchObject({ retCode: '0000' });
    });

    it("refuses a payType that is not the order's", async () => {
      expect(await refund('R1', '100', { payType: 'WX' })).toMatchObject({ retCode: 'SBX00001' });
    });

    it('refunds in parts up to the balance, then refuses with SBX00004', async () => {
      expect(await refund('R1', '600')).toMatchObject({ retCode: '0000' });
      expect(await refund('R2', '400')).toMatchObject({ retCode: '0000' });
      const over = await refund('R3', '1');
      expect(over).toMatchObject({ retCode: UMF_SANDBOX_ERRORS.amountExceeds, Memo: '退款金额超过可退金额' });
      expect(sut.refund(MERCHANT, 'R3')).toBeUndefined();
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(0);
    });

    it('refunds an order paid 90 China calendar days ago, and refuses one paid 91 days ago (SBX00005)', async () => {
      // 2024-12-13 23:59 China is 90 calendar days before 2025-03-13; 2024-12-12 is 91.
      sut.seedOrder({
        merchantId: MERCHANT,
        partnerOrderId: 'T90',
        amount: 10,
        paidAt: new Date('2024-12-13T15:59:00Z'),
      });
      sut.seedOrder({
        merchantId: MERCHANT,
        partnerOrderId: 'T91',
        amount: 10,
        paidAt: new Date('2024-12-12T15:59:00Z'),
      });
      expect(await refund('R1', '10', { partnerOrderId: 'T90', orderDate: '' })).toMatchObject({ retCode: '0000' });
      const closed = await refund('R2', '10', { partnerOrderId: 'T91', orderDate: '' });
      expect(closed).toMatchObject({ retCode: UMF_SANDBOX_ERRORS.windowClosed, Memo: '订单已超过90天退款期限' });
    });

    it('answers a repeated refundPartnerOrderId as accepted again without refunding twice', async () => {
      const first = await refund('R1', '300');
      const again = await refund('R1', '300', { reqTime: '110000' });
      expect(again).toEqual(first);
      expect(sut.refundSubmissions('R1')).toBe(2);
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(700);
      // Even once final: the repeat still says "accepted", and the query tells the state.
      sut.complete(MERCHANT, 'R1', 'fail');
      expect(await refund('R1', '300')).toMatchObject({ retCode: '0000' });
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(1000);
    });

    it('refuses a refundPartnerOrderId reused for another amount with SBX00006', async () => {
      await refund('R1', '300');
      expect(await refund('R1', '301')).toMatchObject({ retCode: UMF_SANDBOX_ERRORS.refundConflict });
      expect(sut.refund(MERCHANT, 'R1')).toMatchObject({ amount: 300 });
    });

    it('answers a scheduled rejection, signed, and does nothing', async () => {
      sut.rejectNext({ retCode: '9999', message: '系统异常' }, 'refund');
      const answer = await refund('R1', '100');
      expect(answer).toEqual({ retCode: '9999', Memo: '系统异常', sign: expect.any(String) });
      expect(verified(answer, 'refund')).toBe(true);
      expect(sut.refund(MERCHANT, 'R1')).toBeUndefined();
      expect(await refund('R1', '100')).toMatchObject({ retCode: '0000' });
    });
  });

  describe('/refund/query', () => {
    it('answers 受理中 (0) until the Nth query, then 1, with every documented field', async () => {
      sut.planRefund('R1', { outcome: 'success', afterQueries: 2 });
      await refund('R1', '300');
      const first = await query('R1');
      expect(Object.keys(first)).toEqual(QUERY_ANSWER_FIELDS);
      expect(first).toMatchObject({
        retCode: '0000',
        retMsg: '查询成功',
        resDate: '20250313',
        resTime: '105252',
        // 订单金额 (打印小票使用): the order's amount.
        amount: '1000',
        status: '0',
        partnerOrderId: 'T1',
        refundPartnerOrderId: 'R1',
        subMerId: MERCHANT,
        proxyId: PROXY,
        orderDate: ORDER.orderDate,
        refundDate: '20250313',
      });
      expect(verified(first, 'query')).toBe(true);
      expect(await query('R1')).toMatchObject({ status: '1' });
      expect(sut.refund(MERCHANT, 'R1')).toMatchObject({ status: '1', queries: 2, finishedAt: CLOCK });
    });

    it('fails a refund as planned, with the reason as retMsg, and gives the money back to the order', async () => {
      sut.planRefund('R1', { outcome: 'fail', afterQueries: 1, failReason: '原路退回失败' });
      await refund('R1', '300');
      expect(await query('R1')).toMatchObject({ retCode: '0000', status: '2', retMsg: '原路退回失败' });
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(1000);
    });

    it('settles a refund when it is accepted when planned so, and after setQueriesUntilFinal queries', async () => {
      sut.planRefund('R1', { outcome: 'success', afterQueries: 0 });
      await refund('R1', '100');
      expect(sut.refund(MERCHANT, 'R1')).toMatchObject({ status: '1' });
      sut.setQueriesUntilFinal(3);
      await refund('R2', '100');
      for (const expected of ['0', '0', '1']) expect(await query('R2')).toMatchObject({ status: expected });
      expect(() => sut.setQueriesUntilFinal(-1)).toThrow();
    });

    it('answers SBX00007 for a refund it does not hold, or not of that order', async () => {
      await refund('R1', '100');
      expect(await query('R2')).toMatchObject({ retCode: UMF_SANDBOX_ERRORS.refundNotFound, retMsg: '退款订单不存在' });
      expect(await query('R1', { partnerOrderId: 'T2' })).toMatchObject({ retCode: 'SBX00007' });
      expect(sut.refund(MERCHANT, 'R1')).toMatchObject({ queries: 0 });
    });

    it('wants version, not apiVersion', async () => {
      const { version: _version, ...rest } = queryParams('R1');
      expect(await post(UMF_QUERY_PATH, { ...rest, apiVersion: '1.0' })).toMatchObject({
        retCode: 'SBX00001',
        retMsg: '参数错误: 缺少version',
      });
    });
  });

  describe('faults', () => {
    it('holds a timed-out call until released; with process the refund exists afterwards', async () => {
      sut.failNext('timeout', { operation: 'refund', process: true });
      const pending = refund('R1', '100').catch((error: unknown) => error);
      await eventually(() => sut.requests().length === 1, 'the held request');
      expect(sut.releaseHeld()).toBe(1);
      expect(String(await pending)).toMatch(/fetch failed/);
      expect(sut.refund(MERCHANT, 'R1')).toMatchObject({ status: '0' });
      expect(sut.requests()[0]).toMatchObject({ fault: 'timeout' });
    });

    it('answers 502, or a body that is not JSON, without doing the call', async () => {
      sut.failNext('5xx', { operation: 'refund' });
      sut.failNext('malformed', { operation: 'refund' });
      const body = encodeUmfRequest({ ...refundParams('R1', '100'), sign: 'x' });
      expect((await postRaw(UMF_REFUND_PATH, body)).status).toBe(502);
      const malformed = await postRaw(UMF_REFUND_PATH, body);
      expect(malformed.status).toBe(200);
      const text = await malformed.text();
      expect(() => parseUmfAnswer(text)).toThrow();
      expect(sut.refund(MERCHANT, 'R1')).toBeUndefined();
    });

    it('answers the real answer with a wrong signature, or none', async () => {
      sut.failNext('badsign', { operation: 'refund' });
      sut.failNext('unsigned', { operation: 'query' });
      const bad = await refund('R1', '100');
      expect(bad).toMatchObject({ retCode: '0000', partnerOrderId: 'T1', sign: expect.any(String) });
      expect(verified(bad, 'refund')).toBe(false);
      const unsigned = await query('R1');
      expect(unsigned).toMatchObject({ retCode: '0000', status: '1' });
      expect(unsigned).not.toHaveProperty('sign');
      expect(sut.refund(MERCHANT, 'R1')).toMatchObject({ status: '1' });
    });

    it('answers, correctly signed, about another order or refund, or another amount', async () => {
      sut.planRefund('R1', { outcome: 'success', afterQueries: 5 });
      sut.failNext('other_refund', { operation: 'refund' });
      const refundAnswer = await refund('R1', '100');
      expect(refundAnswer).toMatchObject({ retCode: '0000', partnerOrderId: 'T1X', amount: '100' });
      expect(verified(refundAnswer, 'refund')).toBe(true);
      sut.failNext('other_amount', { operation: 'refund' });
      expect(await refund('R1', '100')).toMatchObject({ partnerOrderId: 'T1', amount: '101' });

      sut.failNext('other_refund', { operation: 'query' });
      const queried = await query('R1');
      expect(queried).toMatchObject({ partnerOrderId: 'T1', refundPartnerOrderId: 'R1X', amount: '1000' });
      expect(verified(queried, 'query')).toBe(true);
      sut.failNext('other_amount', { operation: 'query' });
      expect(await query('R1')).toMatchObject({ refundPartnerOrderId: 'R1', amount: '1001' });
      // A refusal names no refund: it goes out as it is.
      sut.failNext('other_refund', { operation: 'query' });
      expect(await query('R9')).toMatchObject({ retCode: 'SBX00007' });
    });

    it('keeps a fault for the operation it names', async () => {
      sut.failNext('5xx', { operation: 'query', times: 2 });
      expect(await refund('R1', '100')).toMatchObject({ retCode: '0000' });
      for (let i = 0; i < 2; i++) expect((await postRaw(UMF_QUERY_PATH, 'context={}')).status).toBe(502);
      expect(await query('R1')).toMatchObject({ retCode: '0000' });
    });
  });

  describe('answer signature variants', () => {
    it.each([
      'documented_utf8',
      'case_insensitive_utf8',
      'ascii_gbk',
      'ascii_gbk_with_empty',
      'documented_gbk_with_empty',
    ] as const)('signs answers as %s when told, which the ASCII/UTF-8 reading does not verify', async (variant) => {
      await restart({ answerSignVariant: variant });
      const accepted = await refund('R1', '100');
      expect(verified(accepted, 'refund', variant)).toBe(true);
      expect(verified(accepted, 'refund')).toBe(false);
      sut.planRefund('R2', { outcome: 'fail', afterQueries: 1, failReason: '退款失败' });
      await refund('R2', '100');
      const queried = await query('R2');
      expect(verified(queried, 'query', variant)).toBe(true);
      // Every query field name is lower case: only the refund answer's Memo tells the two orders apart.
      if (variant !== 'case_insensitive_utf8') expect(verified(queried, 'query')).toBe(false);
    });
  });

  describe('notifications', () => {
    const withNotify = (refundNo: string, amount = '300') => refund(refundNo, amount, { notifyUrl: receiver.url });

    it('notifies a final refund, signed k=v& with the platform key, and records the verified answer', async () => {
      await withNotify('R1');
      sut.complete(MERCHANT, 'R1', 'success');
      await sut.notificationsSettled();
      expect(receiver.received).toHaveLength(1);
      const [{ fields, contentType }] = receiver.received;
      expect(contentType).toMatch(/^application\/json/);
      expect(fields).toEqual({
        funCode: 'PayResultNotify',
        reqDate: '20250313',
        reqTime: '105252',
        merId: MERCHANT,
        payType: 'AL',
        shopNo: '',
        operatorId: '',
        deviceType: 'Other',
        deviceInfo: '',
        bpid: '',
        orderDate: ORDER.orderDate,
        partnerOrderId: 'T1',
        amount: '300',
        tradeState: 'REFUND_SUCCESS',
        paySeq: expect.stringMatching(/^\d{18}$/),
        refundPartnerOrderId: 'R1',
        sign: expect.any(String),
      });
      const publicKeyPem = sut.platformCertificate;
      expect(verifyUmfNotification({ fields, publicKeyPem, variant: 'ascii_utf8' })).toBe(true);
      expect(sut.notifications()).toEqual([
        expect.objectContaining({
          merchantId: MERCHANT,
          refundPartnerOrderId: 'R1',
          attempt: 1,
          forged: false,
          acknowledged: true,
          response: expect.objectContaining({ status: 200 }),
          ack: { retCode: '0000', signatureValid: true },
        }),
      ]);
    });

    it('notifies REFUND_FAIL when a query settles the refund as failed', async () => {
      sut.planRefund('R1', { outcome: 'fail', afterQueries: 1 });
      await withNotify('R1');
      await query('R1');
      await sut.notificationsSettled();
      expect(receiver.received.map((r) => r.fields['tradeState'])).toEqual(['REFUND_FAIL']);
      expect(sut.notifications()[0]).toMatchObject({ acknowledged: true });
    });

    it('sends nothing for a refund requested without notifyUrl, and signs notifications as told', async () => {
      await refund('R1', '100');
      sut.complete(MERCHANT, 'R1', 'success');
      await sut.notificationsSettled();
      expect(receiver.received).toHaveLength(0);

      await restart({ notificationSignVariant: 'ascii_gbk_with_empty' });
      await withNotify('R2');
      sut.complete(MERCHANT, 'R2', 'success');
      await sut.notificationsSettled();
      const [{ fields }] = receiver.received;
      const publicKeyPem = sut.platformCertificate;
      expect(verifyUmfNotification({ fields, publicKeyPem, variant: 'ascii_gbk_with_empty' })).toBe(true);
      expect(verifyUmfNotification({ fields, publicKeyPem, variant: 'ascii_utf8' })).toBe(false);
    });

    it('redelivers after each delay until acknowledged', async () => {
      receiver.reply = (fields, index) =>
        [{ status: 500, body: 'oops' }, ack(fields, { retCode: '9999', retMsg: '签名失败' }), ack(fields)][index];
      await withNotify('R1');
      sut.complete(MERCHANT, 'R1', 'success');
      await sut.notificationsSettled();
      expect(sut.notifications().map((n) => [n.attempt, n.acknowledged, n.ack])).toEqual([
        [1, false, { signatureValid: false, problem: 'answered HTTP 500' }],
        [2, false, { retCode: '9999', signatureValid: true, problem: 'retCode is 9999' }],
        [3, true, { retCode: '0000', signatureValid: true }],
      ]);
      const [first, second, third] = receiver.received.map((r) => r.at);
      expect(second - first).toBeGreaterThanOrEqual(19);
      expect(third - second).toBeGreaterThanOrEqual(19);
      // A redelivery is a replay: the same notification.
      expect(new Set(receiver.received.map((r) => JSON.stringify(r.fields))).size).toBe(1);
    });

    it.each([
      ['signed with a key that is not the merchant’s', (f: UmfFields) => ack(f, {}, STRANGER_KEYS.privateKey)],
      ['repeating another reqTime', (f: UmfFields) => ack(f, { reqTime: '000000' })],
      ['not JSON', () => ({ status: 200, body: 'SUCCESS' })],
    ])('delivers four times at most when every answer is %s', async (_name, reply) => {
      receiver.reply = reply;
      await withNotify('R1');
      sut.complete(MERCHANT, 'R1', 'success');
      await sut.notificationsSettled();
      const deliveries = sut.notifications();
      expect(deliveries.map((d) => d.attempt)).toEqual([1, 2, 3, 4]);
      expect(deliveries.every((d) => !d.acknowledged && d.ack.problem)).toBe(true);
      expect(receiver.received).toHaveLength(4);
    });

    it('can deliver a final refund again', async () => {
      await withNotify('R1');
      expect(() => sut.redeliver(MERCHANT, 'R1')).toThrow(/no final refund/);
      sut.complete(MERCHANT, 'R1', 'success');
      await sut.notificationsSettled();
      sut.redeliver(MERCHANT, 'R1');
      await sut.notificationsSettled();
      expect(sut.notifications().map((n) => n.acknowledged)).toEqual([true, true]);
    });

    it('sends a forged notification once, signed with a key that is not the platform’s', async () => {
      receiver.reply = () => ({ status: 400, body: '{"retCode":"3333"}' });
      await withNotify('R1');
      sut.forgeNotification(MERCHANT, 'R1', { outcome: 'fail' });
      await sut.notificationsSettled();
      expect(sut.notifications()).toEqual([expect.objectContaining({ forged: true, attempt: 1, acknowledged: false })]);
      const [{ fields }] = receiver.received;
      expect(fields).toMatchObject({ tradeState: 'REFUND_FAIL', refundPartnerOrderId: 'R1' });
      const publicKeyPem = sut.platformCertificate;
      expect(verifyUmfNotification({ fields, publicKeyPem, variant: 'ascii_utf8' })).toBe(false);
      expect(sut.refund(MERCHANT, 'R1')).toMatchObject({ status: '0' });
    });

    it('builds genuine, forged and tampered notifications without sending them', () => {
      const notification = {
        merchantId: MERCHANT,
        partnerOrderId: 'T1',
        orderDate: ORDER.orderDate,
        refundPartnerOrderId: 'R1',
        amount: 100,
        payType: 'AL',
        outcome: 'success' as const,
        at: CLOCK,
      };
      const publicKeyPem = sut.platformCertificate;
      const check = (fields: UmfFields) => verifyUmfNotification({ fields, publicKeyPem, variant: 'ascii_utf8' });
      expect(check(sut.buildNotification({ notification }))).toBe(true);
      expect(check(sut.buildNotification({ notification, forged: true }))).toBe(false);
      const tampered = sut.buildNotification({ notification, tamper: { amount: '101' } });
      expect(tampered['amount']).toBe('101');
      expect(check(tampered)).toBe(false);
    });

    it('cancels pending redeliveries on stop', async () => {
      await restart({ notifyDelaysMs: [0, 600_000] });
      receiver.reply = () => ({ status: 500, body: '' });
      await withNotify('R1');
      sut.complete(MERCHANT, 'R1', 'success');
      await eventually(() => sut.notifications().length === 1, 'the first delivery');
      await sut.stop();
      await sut.notificationsSettled();
      expect(receiver.received).toHaveLength(1);
    });
  });

  describe(startUmfSandbox.name, () => {
    const config = (merchant: Record<string, string> = {}) =>
      umfConfigSchema.parse({
        baseUrl: 'sandbox',
        merchants: { [MERCHANT]: { proxyId: PROXY, privateKey: MERCHANT_KEYS.privateKey, ...merchant } },
      });

    it('starts for the configured merchants, seeds the orders, and gives the module its platform key and codes', async () => {
      const handle = await startUmfSandbox({
        config: config(),
        orders: [
          {
            merchantId: MERCHANT,
            merchantOrderNo: 'D1',
            totalAmount: 800,
            payMethod: 'ALIPAY',
            paidAt: new Date(Date.now() - DAY_MS),
          },
        ],
      });
      try {
        const simulator = handle.simulator as UmfSandbox;
        expect(handle.baseUrl).toBe(simulator.baseUrl);
        expect(handle.moduleOptions).toEqual({
          platformCertificate: simulator.platformCertificate,
          ...UMF_SANDBOX_MODULE_OPTIONS,
        });
        expect(simulator.order(MERCHANT, 'D1')).toMatchObject({ amount: 800, payType: 'AL', balance: 800 });
      } finally {
        await handle.stop();
      }
    });

    it('refuses a merchant platformCertificate: the sandbox signs with its own key', async () => {
      await expect(
        startUmfSandbox({ config: config({ platformCertificate: PLATFORM_KEYS.publicKey }), orders: [] }),
      ).rejects.toThrow(/platformCertificate: leave it out with baseUrl: sandbox/);
    });

    it('lists only refusals proving nothing was refunded, and its not-found code', () => {
      expect(UMF_SANDBOX_MODULE_OPTIONS.failedErrorCodes).not.toContain(UMF_SANDBOX_ERRORS.system);
      expect(UMF_SANDBOX_MODULE_OPTIONS.notFoundErrorCodes).toEqual([UMF_SANDBOX_ERRORS.refundNotFound]);
    });
  });
});
