import { encodeLeshuaForm, parseLeshuaXml } from '../leshua.codec';
import { LESHUA_CGI_PATH } from '../leshua.options';
import { signLeshuaRequest, verifyLeshuaResponse } from '../leshua.signer';
import type { LeshuaFields } from '../leshua.types';
import { LeshuaSandbox } from './leshua.sandbox';
import { waitUntil } from '@refundhub/gateway-kit/testing';

const MERCHANT = '0000000018';
const TRADE_KEY = 'TESTTRADEKEY0123456789ABCDEF0123';
const NOTIFY_KEY = 'TESTNOTIFYKEY0123456789ABCDEF012';

const DOCUMENTED_REFUND_FIELDS = [
  'resp_code',
  'resp_msg',
  'result_code',
  'error_code',
  'error_msg',
  'merchant_id',
  'third_order_id',
  'leshua_order_id',
  'refund_amount',
  'merchant_refund_id',
  'leshua_refund_id',
  'total_amount',
  'order_balance',
  'status',
  'nonce_str',
  'sign',
];

describe(LeshuaSandbox.name, () => {
  let sut: LeshuaSandbox;
  let baseUrl: string;

  beforeEach(async () => {
    sut = new LeshuaSandbox({ merchants: { [MERCHANT]: { tradeKey: TRADE_KEY, notifyKey: NOTIFY_KEY } } });
    baseUrl = await sut.start();
    sut.seedOrder({ merchantId: MERCHANT, thirdOrderId: 'T1', leshuaOrderId: 'LSO1', totalAmount: 1000 });
  });

  afterEach(() => sut.stop());

  async function post(
    params: Record<string, string>,
    options: { key?: string; sign?: string } = {},
  ): Promise<LeshuaFields> {
    const sign = options.sign ?? signLeshuaRequest(params, options.key ?? TRADE_KEY);
    const response = await fetch(`${baseUrl}${LESHUA_CGI_PATH}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: encodeLeshuaForm({ ...params, sign }),
    });
    expect(response.status).toBe(200);
    return parseLeshuaXml(await response.text());
  }

  const refund = (merchantRefundId: string, amount: string, extra: Record<string, string> = {}) =>
    post({
      service: 'unified_refund',
      merchant_id: MERCHANT,
      third_order_id: 'T1',
      merchant_refund_id: merchantRefundId,
      refund_amount: amount,
      nonce_str: 'n1',
      ...extra,
    });
  const query = (refs: Record<string, string>) =>
    post({
      service: 'unified_query_refund',
      merchant_id: MERCHANT,
      third_order_id: 'T1',
      nonce_str: 'n2',
      ...refs,
    });

  describe('signatures', () => {
    it('answers every documented field, signed with the doc rule (empty values kept)', async () => {
      const answer = await refund('R1', '100');
      expect(Object.keys(answer).sort()).toEqual([...DOCUMENTED_REFUND_FIELDS].sort());
      expect(answer).toMatchObject({
        resp_code: '0',
        resp_msg: '',
        result_code: '0',
        status: '10',
        refund_amount: '100',
        order_balance: '900',
        total_amount: '1000',
      });
      expect(verifyLeshuaResponse(answer, TRADE_KEY, 'doc')).toBe('doc');
    });

    it('refuses a wrong signature with resp_code 1 and does no business', async () => {
      await refund('R1', '100');
      const bad = await post(
        {
          service: 'unified_refund',
          merchant_id: MERCHANT,
          third_order_id: 'T1',
          merchant_refund_id: 'R2',
          refund_amount: '100',
          nonce_str: 'n',
        },
        { key: 'WRONG' },
      );
      expect(bad).toEqual({ resp_code: '1', resp_msg: '签名错误' });
      expect(sut.refund(MERCHANT, 'R2')).toBeUndefined();
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(900);
    });

    it('accepts a lowercase request sign', async () => {
      const params = {
        service: 'unified_refund',
        merchant_id: MERCHANT,
        third_order_id: 'T1',
        merchant_refund_id: 'R1',
        refund_amount: '1',
        nonce_str: 'n',
      };
      expect(await post(params, { sign: signLeshuaRequest(params, TRADE_KEY).toLowerCase() })).toMatchObject({
        result_code: '0',
      });
    });

    it('signs over the notify_url value as received (still encoded) and stores it decoded', async () => {
      const answer = await refund('R1', '100', {
        notify_url: encodeURIComponent('http://127.0.0.1:1/notify?a=1'),
      });
      expect(answer).toMatchObject({ resp_code: '0', result_code: '0' });
      expect(sut.refund(MERCHANT, 'R1')?.notifyUrl).toBe('http://127.0.0.1:1/notify?a=1');
    });

    it('refuses an unknown merchant like a bad signature', async () => {
      const params = {
        service: 'unified_refund',
        merchant_id: '0000000099',
        third_order_id: 'T1',
        merchant_refund_id: 'R1',
        refund_amount: '1',
        nonce_str: 'n',
      };
      expect(await post(params)).toEqual({ resp_code: '1', resp_msg: '商户不存在' });
    });

    it('can sign with the skip-empty variant instead', async () => {
      await sut.stop();
      sut = new LeshuaSandbox({
        merchants: { [MERCHANT]: { tradeKey: TRADE_KEY, notifyKey: NOTIFY_KEY } },
        responseSignVariant: 'skip-empty',
      });
      baseUrl = await sut.start();
      sut.seedOrder({ merchantId: MERCHANT, thirdOrderId: 'T1', totalAmount: 1000 });
      const answer = await refund('R1', '100');
      expect(verifyLeshuaResponse(answer, TRADE_KEY, 'doc')).toBeNull();
      expect(verifyLeshuaResponse(answer, TRADE_KEY, 'skip-empty')).toBe('skip-empty');
    });
  });

  describe('unified_refund', () => {
    it('refuses more than the remaining balance, counting refunds in progress', async () => {
      await refund('R1', '600');
      expect(await refund('R2', '401')).toMatchObject({
        result_code: '1',
        error_code: 'REFUND_AMOUNT_EXCEED',
      });
      expect(await refund('R3', '400')).toMatchObject({ result_code: '0', order_balance: '0' });
    });

    it('returns the same refund for a repeated merchant_refund_id and amount, without refunding twice', async () => {
      const first = await refund('R1', '300');
      const again = await refund('R1', '300');
      expect(again).toMatchObject({
        result_code: '0',
        leshua_refund_id: first.leshua_refund_id,
        status: '10',
        order_balance: '700',
      });
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(700);
      expect(sut.refundSubmissions('R1')).toBe(2);
    });

    it('refuses a repeated merchant_refund_id with another amount', async () => {
      await refund('R1', '300');
      expect(await refund('R1', '301')).toMatchObject({ result_code: '1', error_code: 'REFUND_ID_CONFLICT' });
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(700);
    });

    it('answers the current status to a repeated id once the refund is final', async () => {
      await refund('R1', '300');
      sut.complete(MERCHANT, 'R1', 'success');
      expect(await refund('R1', '300')).toMatchObject({ status: '11' });
    });

    it('refuses unknown orders, bad amounts and missing parameters', async () => {
      expect(await refund('R1', '1', { third_order_id: 'NOPE' })).toMatchObject({
        result_code: '1',
        error_code: 'ORDER_NOT_EXIST',
      });
      expect(await refund('R1', '1.5')).toMatchObject({ result_code: '1', error_code: 'PARAM_ERROR' });
      expect(await refund('R1', '0')).toMatchObject({ result_code: '1', error_code: 'PARAM_ERROR' });
      expect(
        await post({
          service: 'unified_refund',
          merchant_id: MERCHANT,
          merchant_refund_id: 'R1',
          refund_amount: '1',
          nonce_str: 'n',
        }),
      ).toMatchObject({
        error_code: 'PARAM_ERROR',
      });
    });

    it('prefers leshua_order_id over third_order_id', async () => {
      sut.seedOrder({ merchantId: MERCHANT, thirdOrderId: 'T2', leshuaOrderId: 'LSO2', totalAmount: 50 });
      expect(await refund('R1', '10', { leshua_order_id: 'LSO2' })).toMatchObject({
        third_order_id: 'T2',
        leshua_order_id: 'LSO2',
      });
    });

    it('answers a final status at once when planned with afterQueries 0', async () => {
      sut.planRefund('R1', { outcome: 'fail', afterQueries: 0, failureReason: 'no' });
      expect(await refund('R1', '100')).toMatchObject({ status: '12' });
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(1000);
    });
  });

  describe('unified_query_refund', () => {
    it('finds a refund by merchant_refund_id or leshua_refund_id, and finalizes it after the configured queries', async () => {
      sut.setQueriesUntilFinal(3);
      const { leshua_refund_id } = await refund('R1', '100');
      expect(await query({ merchant_refund_id: 'R1' })).toMatchObject({ status: '10' });
      expect(await query({ leshua_refund_id })).toMatchObject({ status: '10', merchant_refund_id: 'R1' });
      const final = await query({ merchant_refund_id: 'R1', leshua_refund_id });
      expect(final).toMatchObject({
        status: '11',
        refund_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      });
      expect(verifyLeshuaResponse(final, TRADE_KEY, 'doc')).toBe('doc');
      expect(sut.refund(MERCHANT, 'R1')?.queries).toBe(3);
    });

    it('answers REFUND_NOT_EXIST for unknown or mismatched refunds', async () => {
      const { leshua_refund_id } = await refund('R1', '100');
      expect(await query({ merchant_refund_id: 'R9' })).toMatchObject({
        result_code: '1',
        error_code: 'REFUND_NOT_EXIST',
      });
      expect(await query({ merchant_refund_id: 'R1', leshua_refund_id: `${leshua_refund_id}X` })).toMatchObject({
        error_code: 'REFUND_NOT_EXIST',
      });
      expect(await query({ merchant_refund_id: 'R1', third_order_id: 'T9' })).toMatchObject({
        error_code: 'REFUND_NOT_EXIST',
      });
    });

    it('includes failure_reason and no refund_time for a failed refund', async () => {
      sut.planRefund('R1', { outcome: 'fail', failureReason: '账户异常' });
      await refund('R1', '100');
      const answer = await query({ merchant_refund_id: 'R1' });
      expect(answer).toMatchObject({ status: '12', failure_reason: '账户异常' });
      expect(answer.refund_time).toBeUndefined();
    });
  });

  describe('control API', () => {
    it('rejectNext applies to the next matching service only', async () => {
      sut.rejectNext('E1', 'nope', { service: 'unified_query_refund' });
      expect(await refund('R1', '100')).toMatchObject({ result_code: '0' });
      expect(await query({ merchant_refund_id: 'R1' })).toMatchObject({
        result_code: '1',
        error_code: 'E1',
        error_msg: 'nope',
      });
      expect(await query({ merchant_refund_id: 'R1' })).toMatchObject({ result_code: '0' });
    });

    it('failNext 5xx answers HTTP 502 the given number of times, processing only when asked', async () => {
      sut.failNext('5xx', { times: 2, process: true });
      const send = () =>
        fetch(`${baseUrl}${LESHUA_CGI_PATH}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: encodeLeshuaForm(
            signed({
              service: 'unified_refund',
              merchant_id: MERCHANT,
              third_order_id: 'T1',
              merchant_refund_id: 'R1',
              refund_amount: '100',
              nonce_str: 'n',
            }),
          ),
        });
      expect((await send()).status).toBe(502);
      expect((await send()).status).toBe(502);
      expect(sut.refund(MERCHANT, 'R1')).toMatchObject({ status: '10' });
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(900);
      expect(sut.requests().map((r) => r.fault)).toEqual(['5xx', '5xx']);
      expect((await send()).status).toBe(200);
    });

    it('failNext timeout holds the request until released', async () => {
      sut.failNext('timeout');
      const pending = fetch(`${baseUrl}${LESHUA_CGI_PATH}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: encodeLeshuaForm(
          signed({
            service: 'unified_query_refund',
            merchant_id: MERCHANT,
            third_order_id: 'T1',
            merchant_refund_id: 'R1',
            nonce_str: 'n',
          }),
        ),
      });
      const outcome = pending.then(
        () => 'answered',
        () => 'dropped',
      );
      await waitUntil(() => sut.requests().length === 1, { what: 'sut.requests().length === 1' });
      expect(sut.releaseHeld()).toBe(1);
      expect(await outcome).toBe('dropped');
    });

    it('stop() closes even with held requests', async () => {
      sut.failNext('timeout', { times: 2 });
      const held = [1, 2].map(() =>
        fetch(`${baseUrl}${LESHUA_CGI_PATH}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: 'service=unified_refund',
        }).then(
          () => 'answered',
          () => 'dropped',
        ),
      );
      await waitUntil(() => sut.requests().length === 2, { what: 'sut.requests().length === 2' });
      await sut.stop();
      expect(await Promise.all(held)).toEqual(['dropped', 'dropped']);
    });

    it('records a notification that could not be delivered', async () => {
      await refund('R1', '100', { notify_url: encodeURIComponent('http://127.0.0.1:1/notify') });
      sut.complete(MERCHANT, 'R1', 'success');
      await sut.settled();
      expect(sut.notifications()).toEqual([
        expect.objectContaining({
          merchantRefundId: 'R1',
          url: 'http://127.0.0.1:1/notify',
          acknowledged: false,
          response: { error: expect.any(String) },
        }),
      ]);
      expect(() => sut.complete(MERCHANT, 'R1', 'fail')).toThrow('already final');
    });
  });

  function signed(params: Record<string, string>): Record<string, string> {
    return { ...params, sign: signLeshuaRequest(params, TRADE_KEY) };
  }
});

/** Polls on the event loop (no timers) until the sandbox has seen the request. */
