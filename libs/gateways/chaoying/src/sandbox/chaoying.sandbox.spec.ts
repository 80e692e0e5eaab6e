import { parseChaoyingAnswer, parseChaoyingRefundList } from '../chaoying.codec';
import { chaoyingConfigSchema } from '../chaoying.config';
import { CHAOYING_V1_PATH, CHAOYING_V2_PATH } from '../chaoying.options';
import { signChaoying, verifyChaoying } from '../chaoying.signer';
import type { ChaoyingFields } from '../chaoying.types';
import { ChaoyingSandbox } from './chaoying.sandbox';
import { CHAOYING_SANDBOX_MODULE_OPTIONS, startChaoyingSandbox } from './chaoying-sandbox.starter';
import type { ChaoyingSandboxOptions } from './chaoying-sandbox.types';
import { waitUntil } from '@refundhub/gateway-kit/testing';

// PROTOCOLS.md §2 test vectors.
const AGENT = '13000000000000001';
const AGENT_KEY = 'TESTCYKEY0123456789ABCDEF0123456';
const VECTOR_MERCHANT = '00000001';
// v2 merchant.
const MERCHANT = 'M000001';
const KEY = 'TESTKEY0123456789ABCDEF0123456789';
const CLOCK = new Date('2025-01-01T04:05:06.000Z'); // 2025-01-01 12:05:06 in China

const ACCEPTED_FIELDS = [
  'state',
  'code',
  'msg',
  'trade_state',
  'mch_id',
  'transaction_id',
  'out_trade_no',
  'out_transaction_id',
  'out_refund_no',
  'refund_id',
  'refund_channel',
  'refund_fee',
  'coupon_refund_fee',
  'total_fee',
  'paytype',
  'nonce_str',
  'sign',
];
const QUERY_FIELDS = [
  'state',
  'code',
  'msg',
  'trade_state',
  'mch_id',
  'refund_count',
  'refund_fee_summary',
  'refund_list',
  'nonce_str',
  'sign',
];
const LISTED_FIELDS = [
  'serial_no',
  'refund_id',
  'out_refund_id',
  'out_refund_no',
  'refund_channel',
  'refund_fee',
  'base_refund_fee',
  'coupon_refund_fee',
  'refund_status',
];

type Params = Record<string, string>;

describe(ChaoyingSandbox.name, () => {
  let sut: ChaoyingSandbox;
  let baseUrl: string;

  async function restart(options: Partial<ChaoyingSandboxOptions> = {}): Promise<void> {
    await sut?.stop();
    sut = new ChaoyingSandbox({
      merchants: { [MERCHANT]: { key: KEY }, [VECTOR_MERCHANT]: {} },
      agentId: AGENT,
      agentKey: AGENT_KEY,
      now: () => CLOCK,
      ...options,
    });
    baseUrl = await sut.start();
    sut.seedOrder({ merchantId: MERCHANT, outTradeNo: 'T1', transactionId: 'P1', totalFee: 1000, payType: 'WECHAT' });
  }

  beforeEach(() => restart());
  afterEach(() => sut.stop());

  async function postRaw(path: string, body: string, contentType = 'application/x-www-form-urlencoded') {
    return fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  }

  /** Signs `params` with `key` (unless `sign` is given or `null`) and posts them as a form. */
  async function post(
    path: string,
    params: Params,
    options: { key?: string; sign?: string | null } = {},
  ): Promise<ChaoyingFields> {
    const sign = options.sign === undefined ? signChaoying(params, options.key ?? KEY) : options.sign;
    const response = await postRaw(path, new URLSearchParams({ ...params, ...(sign ? { sign } : {}) }).toString());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await response.text();
    // Every value a string.
    expect(Object.values(JSON.parse(text) as object).every((v) => typeof v === 'string')).toBe(true);
    return parseChaoyingAnswer(text);
  }

  const refundParams = (outRefundNo: string, fee: string, extra: Params = {}): Params => ({
    method: 'refund',
    version: '1.0',
    paytype: 'WECHAT',
    mch_id: MERCHANT,
    out_trade_no: 'T1',
    out_refund_no: outRefundNo,
    total_fee: '1000',
    refund_fee: fee,
    op_user_id: MERCHANT,
    ...extra,
  });
  const queryParams = (outRefundNo: string, extra: Params = {}): Params => ({
    method: 'refundquery',
    version: '1.0',
    paytype: 'WECHAT',
    mch_id: MERCHANT,
    out_refund_no: outRefundNo,
    ...extra,
  });
  /** v2 calls, signed with the merchant's key. */
  const refund = (outRefundNo: string, fee: string, extra: Params = {}) =>
    post(CHAOYING_V2_PATH, refundParams(outRefundNo, fee, extra));
  const query = (outRefundNo: string, extra: Params = {}) => post(CHAOYING_V2_PATH, queryParams(outRefundNo, extra));
  const listOf = (answer: ChaoyingFields) => parseChaoyingRefundList(answer['refund_list']);
  const statusOf = async (outRefundNo: string) =>
    listOf(await query(outRefundNo)).find((r) => r.out_refund_no === outRefundNo)?.refund_status;

  describe('v1 /UnifiedPay/Gateway (agent)', () => {
    const vectorRefund = {
      method: 'refund',
      agent_id: AGENT,
      version: '1.0',
      pid: 'yunpos',
      paytype: 'WECHAT',
      mch_id: VECTOR_MERCHANT,
      out_trade_no: '1497769914931',
      out_refund_no: 'TK-1497769914931-01',
      total_fee: '1',
      refund_fee: '1',
      op_user_id: VECTOR_MERCHANT,
    };
    const vectorQuery = {
      method: 'refundquery',
      agent_id: AGENT,
      version: '1.0',
      pid: 'yunpos',
      paytype: 'WECHAT',
      mch_id: VECTOR_MERCHANT,
      out_refund_no: 'TK-1497769914931-01',
    };

    beforeEach(() => {
      sut.seedOrder({ merchantId: VECTOR_MERCHANT, outTradeNo: '1497769914931', totalFee: 1, payType: 'WECHAT' });
    });

    it('accepts the PROTOCOLS.md refund and query vectors and answers signed with the agent key', async () => {
      expect(signChaoying(vectorRefund, AGENT_KEY)).toBe('D9018F0530A755830F5C06532EA019B3');
      const accepted = await post(CHAOYING_V1_PATH, vectorRefund, { sign: 'D9018F0530A755830F5C06532EA019B3' });
      expect(Object.keys(accepted)).toEqual(ACCEPTED_FIELDS);
      expect(accepted).toMatchObject({
        state: 'SUCCESS',
        code: '10000',
        msg: 'SUCCESS',
        trade_state: 'SUCCESS',
        mch_id: VECTOR_MERCHANT,
        out_trade_no: '1497769914931',
        out_refund_no: 'TK-1497769914931-01',
        refund_channel: 'ORIGINAL',
        refund_fee: '1',
        coupon_refund_fee: '0',
        total_fee: '1',
        paytype: 'WECHAT',
        nonce_str: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
      expect(verifyChaoying(accepted, AGENT_KEY)).toBe(true);
      expect(sut.refund(VECTOR_MERCHANT, 'TK-1497769914931-01')).toMatchObject({ status: 'PROCESSING', refundFee: 1 });

      expect(signChaoying(vectorQuery, AGENT_KEY)).toBe('F6208317EAC5BE5EB9F1FB181A0489E5');
      const found = await post(CHAOYING_V1_PATH, vectorQuery, { sign: 'F6208317EAC5BE5EB9F1FB181A0489E5' });
      expect(Object.keys(found)).toEqual(QUERY_FIELDS);
      expect(verifyChaoying(found, AGENT_KEY)).toBe(true);
      const [listed] = listOf(found);
      expect(Object.keys(listed)).toEqual([...LISTED_FIELDS, 'refund_time']);
      expect(listed).toMatchObject({
        refund_id: accepted['refund_id'],
        out_refund_no: 'TK-1497769914931-01',
        refund_status: 'SUCCESS',
        refund_time: '2025-01-01 12:05:06',
      });
    });

    it("signs with the merchant's key when no agentKey is set (it is then the agent's key)", async () => {
      await restart({ agentKey: undefined, merchants: { [MERCHANT]: { key: KEY } } });
      const answer = await post(CHAOYING_V1_PATH, refundParams('R1', '100', { agent_id: AGENT }));
      expect(answer).toMatchObject({ state: 'SUCCESS', trade_state: 'SUCCESS' });
      expect(verifyChaoying(answer, KEY)).toBe(true);
    });

    it('refuses a v1 call with a missing or wrong agent_id (20012), and every v1 call when no agent is set', async () => {
      const missing = await post(CHAOYING_V1_PATH, refundParams('R1', '100'), { key: AGENT_KEY });
      expect(missing).toEqual({ state: 'FAIL', code: '20012', msg: '缺少agent_id', sign: expect.any(String) });
      expect(verifyChaoying(missing, AGENT_KEY)).toBe(true);
      const wrong = await post(CHAOYING_V1_PATH, refundParams('R1', '100', { agent_id: '1' }), { key: AGENT_KEY });
      expect(wrong).toMatchObject({ state: 'FAIL', code: '20012', msg: '代理商错误' });

      await restart({ agentId: undefined, agentKey: undefined });
      expect(await post(CHAOYING_V1_PATH, refundParams('R1', '100', { agent_id: AGENT }))).toMatchObject({
        state: 'FAIL',
        code: '20012',
      });
      expect(sut.refund(MERCHANT, 'R1')).toBeUndefined();
    });

    it('refuses a v1 call signed with the merchant key when the agent key is set', async () => {
      const answer = await post(CHAOYING_V1_PATH, refundParams('R1', '100', { agent_id: AGENT }), { key: KEY });
      expect(answer).toMatchObject({ state: 'FAIL', code: '20002', msg: '签名错误' });
      expect(verifyChaoying(answer, AGENT_KEY)).toBe(true);
    });
  });

  describe('v2 /v2/UnifiedPay/Gateway (merchant key) and authentication', () => {
    it("accepts a call signed with the merchant's key and answers signed with it", async () => {
      const answer = await refund('R1', '100');
      expect(answer).toMatchObject({ state: 'SUCCESS', code: '10000', trade_state: 'SUCCESS', out_refund_no: 'R1' });
      expect(verifyChaoying(answer, KEY)).toBe(true);
      expect(sut.requests()).toEqual([
        expect.objectContaining({
          operation: 'refund',
          endpoint: 'v2',
          params: expect.objectContaining({ sign: expect.any(String) }),
        }),
      ]);
    });

    it('refuses agent_id on v2 (20012) and a call signed with the agent key (20002)', async () => {
      expect(await refund('R1', '100', { agent_id: AGENT })).toMatchObject({ state: 'FAIL', code: '20012' });
      expect(await post(CHAOYING_V2_PATH, refundParams('R1', '100'), { key: AGENT_KEY })).toMatchObject({
        state: 'FAIL',
        code: '20002',
      });
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(1000);
    });

    it('refuses a bad or missing signature with a signed 20002 and does no business', async () => {
      const bad = await post(CHAOYING_V2_PATH, refundParams('R1', '100'), { key: 'WRONG' });
      expect(bad).toEqual({ state: 'FAIL', code: '20002', msg: '签名错误', sign: expect.any(String) });
      expect(verifyChaoying(bad, KEY)).toBe(true);
      expect(await post(CHAOYING_V2_PATH, refundParams('R1', '100'), { sign: null })).toMatchObject({ code: '20002' });
      // Tampering after signing.
      const params = refundParams('R1', '100');
      const sign = signChaoying(params, KEY);
      expect(await post(CHAOYING_V2_PATH, { ...params, refund_fee: '101' }, { sign })).toMatchObject({ code: '20002' });
      expect(sut.refund(MERCHANT, 'R1')).toBeUndefined();
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(1000);
      expect(sut.refundSubmissions('R1')).toBe(3);
    });

    it('accepts a lowercase request sign and ignores empty values', async () => {
      const params = refundParams('R1', '100');
      const answer = await post(
        CHAOYING_V2_PATH,
        { ...params, transaction_id: '', pid: '' },
        { sign: signChaoying(params, KEY).toLowerCase() },
      );
      expect(answer).toMatchObject({ state: 'SUCCESS', trade_state: 'SUCCESS' });
    });

    it('refuses an unknown merchant with an unsigned 20005, and a merchant without a key on v2', async () => {
      expect(await refund('R1', '100', { mch_id: 'NOPE' })).toEqual({ state: 'FAIL', code: '20005', msg: '商户错误' });
      expect(
        await post(CHAOYING_V2_PATH, refundParams('R1', '1', { mch_id: VECTOR_MERCHANT }), { key: AGENT_KEY }),
      ).toEqual({ state: 'FAIL', code: '20005', msg: '商户错误: 未配置密钥' });
    });

    it('refuses an unknown method with a signed FAIL 20004', async () => {
      const answer = await post(CHAOYING_V2_PATH, { method: 'orderquery', mch_id: MERCHANT, out_trade_no: 'T1' });
      expect(answer).toMatchObject({ state: 'FAIL', code: '20004' });
      expect(verifyChaoying(answer, KEY)).toBe(true);
    });

    it('refuses a body that is not a form, unsigned', async () => {
      const json = await postRaw(CHAOYING_V2_PATH, JSON.stringify(refundParams('R1', '1')), 'application/json');
      expect(JSON.parse(await json.text())).toEqual({ state: 'FAIL', code: '20004', msg: expect.any(String) });
      const repeated = await postRaw(CHAOYING_V2_PATH, 'method=refund&method=refund');
      expect(JSON.parse(await repeated.text())).toMatchObject({ state: 'FAIL', code: '20004' });
    });
  });

  describe('method=refund', () => {
    it('starts the refund PROCESSING and takes it off the balance', async () => {
      const answer = await refund('R1', '300');
      expect(Object.keys(answer)).toEqual(ACCEPTED_FIELDS);
      expect(answer).toMatchObject({ transaction_id: 'P1', out_trade_no: 'T1', refund_fee: '300', total_fee: '1000' });
      expect(sut.refund(MERCHANT, 'R1')).toMatchObject({
        status: 'PROCESSING',
        refundId: answer['refund_id'],
        outTradeNo: 'T1',
        transactionId: 'P1',
        refundFee: 300,
        queries: 0,
        createdAt: CLOCK,
      });
      expect(sut.order(MERCHANT, 'P1')?.balance).toBe(700);
    });

    it('finds the order by transaction_id too', async () => {
      const answer = await refund('R1', '100', { out_trade_no: '', transaction_id: 'P1' });
      expect(answer).toMatchObject({ trade_state: 'SUCCESS', out_trade_no: 'T1', transaction_id: 'P1' });
    });

    it('answers the same refund to a repeated out_refund_no, order and fee, never refunding twice', async () => {
      const first = await refund('R1', '300');
      const again = await refund('R1', '300', { out_trade_no: '', transaction_id: 'P1' });
      expect(again).toMatchObject({ trade_state: 'SUCCESS', refund_id: first['refund_id'], refund_fee: '300' });
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(700);
      expect(sut.refundSubmissions('R1')).toBe(2);
      sut.complete(MERCHANT, 'R1', 'success');
      // Still only the application's answer, whatever became of the refund.
      expect(await refund('R1', '300')).toMatchObject({ trade_state: 'SUCCESS', refund_id: first['refund_id'] });
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(700);
    });

    it('refuses a repeated out_refund_no for another fee or another order (20008 退款单号重复)', async () => {
      sut.seedOrder({ merchantId: MERCHANT, outTradeNo: 'T2', totalFee: 1000 });
      await refund('R1', '300');
      const conflict = await refund('R1', '301');
      expect(Object.keys(conflict)).toEqual(['state', 'code', 'msg', 'trade_state', 'nonce_str', 'sign']);
      expect(conflict).toMatchObject({ state: 'SUCCESS', code: '20008', msg: '退款单号重复', trade_state: 'FAIL' });
      expect(verifyChaoying(conflict, KEY)).toBe(true);
      expect(await refund('R1', '300', { out_trade_no: 'T2' })).toMatchObject({ code: '20008', msg: '退款单号重复' });
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(700);
      expect(sut.order(MERCHANT, 'T2')?.balance).toBe(1000);
    });

    it('refuses more than the remaining balance, refunds in progress counting (20008)', async () => {
      await refund('R1', '600');
      expect(await refund('R2', '401')).toMatchObject({
        state: 'SUCCESS',
        code: '20008',
        msg: '退款金额超过可退金额',
        trade_state: 'FAIL',
      });
      expect(await refund('R3', '400')).toMatchObject({ trade_state: 'SUCCESS' });
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(0);
      expect(sut.refund(MERCHANT, 'R2')).toBeUndefined();
    });

    it('gives a FAIL refund back to the balance, keeps a CHANGE one refunded', async () => {
      await refund('R1', '600');
      await refund('R2', '400');
      sut.complete(MERCHANT, 'R1', 'fail', '原卡已销户');
      sut.complete(MERCHANT, 'R2', 'change');
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(600);
      expect(sut.refund(MERCHANT, 'R1')).toMatchObject({ status: 'FAIL', failReason: '原卡已销户', refundTime: CLOCK });
      expect(await refund('R3', '601')).toMatchObject({ code: '20008' });
      expect(await refund('R3', '600')).toMatchObject({ trade_state: 'SUCCESS' });
      expect(() => sut.complete(MERCHANT, 'R1', 'success')).toThrow('already final');
    });

    it.each<[string, Params]>([
      ['both order references', { transaction_id: 'P1' }],
      ['neither order reference', { out_trade_no: '' }],
      ['an out_refund_no over 32 characters', { out_refund_no: 'R'.repeat(33) }],
      ['a zero refund_fee', { refund_fee: '0' }],
      ['a decimal refund_fee', { refund_fee: '1.50' }],
      ['a negative total_fee', { total_fee: '-1000' }],
      ['a total_fee other than the order total', { total_fee: '999' }],
      ['a paytype other than the order pay type', { paytype: 'ALIPAY' }],
      ['an undocumented paytype', { paytype: 'wechat' }],
      ['no op_user_id', { op_user_id: '' }],
      ['no paytype', { paytype: '' }],
    ])('refuses %s with 20004', async (_name, extra) => {
      const answer = await refund('R1', '100', extra);
      expect(answer).toMatchObject({ state: 'SUCCESS', code: '20004', trade_state: 'FAIL' });
      expect(answer['msg']).toMatch(/^参数错误/);
      expect(verifyChaoying(answer, KEY)).toBe(true);
      expect(sut.refund(MERCHANT, 'R1')).toBeUndefined();
    });

    it('refuses an unknown order with 20007', async () => {
      expect(await refund('R1', '100', { out_trade_no: 'NOPE' })).toMatchObject({
        state: 'SUCCESS',
        code: '20007',
        msg: '订单不存在',
        trade_state: 'FAIL',
      });
    });

    it('accepts any documented paytype for an order seeded without one', async () => {
      sut.seedOrder({ merchantId: MERCHANT, outTradeNo: 'T2', totalFee: 50 });
      expect(await refund('R1', '50', { out_trade_no: 'T2', total_fee: '50', paytype: 'ALIPAY' })).toMatchObject({
        trade_state: 'SUCCESS',
        paytype: 'ALIPAY',
      });
    });
  });

  describe('method=refundquery', () => {
    it('lists every refund of the order, partial refunds together', async () => {
      sut.setQueriesUntilFinal(5);
      const r1 = await refund('R1', '300');
      const r2 = await refund('R2', '200');
      sut.complete(MERCHANT, 'R1', 'fail');
      const answer = await query('R2');
      expect(answer).toMatchObject({
        state: 'SUCCESS',
        code: '10000',
        msg: 'SUCCESS',
        trade_state: 'SUCCESS',
        mch_id: MERCHANT,
        refund_count: '2',
        refund_fee_summary: '200',
      });
      expect(verifyChaoying(answer, KEY)).toBe(true);
      expect(typeof answer['refund_list']).toBe('string');
      expect(listOf(answer)).toEqual([
        {
          serial_no: '1',
          refund_id: r1['refund_id'],
          out_refund_id: expect.any(String),
          out_refund_no: 'R1',
          refund_channel: 'ORIGINAL',
          refund_fee: '300',
          base_refund_fee: '300',
          coupon_refund_fee: '0',
          refund_status: 'FAIL',
          refund_time: '2025-01-01 12:05:06',
        },
        {
          serial_no: '2',
          refund_id: r2['refund_id'],
          out_refund_id: expect.any(String),
          out_refund_no: 'R2',
          refund_channel: 'ORIGINAL',
          refund_fee: '200',
          base_refund_fee: '200',
          coupon_refund_fee: '0',
          refund_status: 'PROCESSING',
        },
      ]);
      // Only the queried refund's queries count.
      expect(sut.refund(MERCHANT, 'R2')?.queries).toBe(1);
      expect(sut.refund(MERCHANT, 'R1')?.queries).toBe(0);
    });

    it('finds a refund by refund_id alone, and not when refund_id and out_refund_no disagree', async () => {
      const { refund_id } = await refund('R1', '100');
      await refund('R2', '100');
      expect(await query('', { refund_id })).toMatchObject({ code: '10000', refund_count: '2' });
      expect(await query('R2', { refund_id })).toMatchObject({ code: '20007', trade_state: 'FAIL' });
    });

    it('answers a signed 20007 订单不存在 for an unknown refund', async () => {
      const answer = await query('R9');
      expect(answer).toEqual({
        state: 'SUCCESS',
        code: '20007',
        msg: '订单不存在',
        trade_state: 'FAIL',
        nonce_str: expect.any(String),
        sign: expect.any(String),
      });
      expect(verifyChaoying(answer, KEY)).toBe(true);
    });

    it('refuses a query without paytype or refund reference (20004)', async () => {
      expect(await query('R1', { paytype: '' })).toMatchObject({ code: '20004', trade_state: 'FAIL' });
      expect(await query('')).toMatchObject({ code: '20004' });
    });

    it('settles SUCCESS after queriesUntilFinal queries by default', async () => {
      sut.setQueriesUntilFinal(3);
      await refund('R1', '100');
      expect(await statusOf('R1')).toBe('PROCESSING');
      expect(await statusOf('R1')).toBe('PROCESSING');
      expect(await statusOf('R1')).toBe('SUCCESS');
      expect(sut.refund(MERCHANT, 'R1')).toMatchObject({ status: 'SUCCESS', queries: 3, refundTime: CLOCK });
    });

    it('honours the constructor queriesUntilFinal', async () => {
      await restart({ queriesUntilFinal: 2 });
      await refund('R1', '100');
      expect(await statusOf('R1')).toBe('PROCESSING');
      expect(await statusOf('R1')).toBe('SUCCESS');
    });

    it('settles FAIL per plan and gives the amount back', async () => {
      sut.planRefund('R1', { outcome: 'fail', afterQueries: 2, failReason: '银行拒绝' });
      await refund('R1', '400');
      expect(await statusOf('R1')).toBe('PROCESSING');
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(600);
      const listed = listOf(await query('R1'))[0];
      expect(listed).toMatchObject({ refund_status: 'FAIL', refund_time: '2025-01-01 12:05:06' });
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(1000);
      expect(sut.refund(MERCHANT, 'R1')?.failReason).toBe('银行拒绝');
    });

    it('settles CHANGE per plan, still refunded', async () => {
      sut.planRefund('R1', { outcome: 'change', afterQueries: 1 });
      await refund('R1', '400');
      expect(await statusOf('R1')).toBe('CHANGE');
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(600);
      expect(await refund('R2', '601')).toMatchObject({ code: '20008' });
    });

    it('stays NOTSURE when so planned, until re-planned or completed', async () => {
      sut.planRefund('R1', { outcome: 'notsure', afterQueries: 1 });
      sut.planRefund('R2', { outcome: 'notsure', afterQueries: 0 });
      await refund('R1', '100');
      await refund('R2', '100');
      expect(await statusOf('R1')).toBe('NOTSURE');
      expect(await statusOf('R1')).toBe('NOTSURE');
      expect(listOf(await query('R1'))[0]).not.toHaveProperty('refund_time');
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(800);
      sut.planRefund('R1', { outcome: 'success', afterQueries: 5 });
      expect(await statusOf('R1')).toBe('NOTSURE');
      expect(await statusOf('R1')).toBe('SUCCESS');
      expect(await statusOf('R2')).toBe('NOTSURE');
      expect(sut.complete(MERCHANT, 'R2', 'fail')).toMatchObject({ status: 'FAIL' });
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(900);
    });

    it('applies a plan made while the refund is pending, and settles at once with afterQueries 0', async () => {
      sut.setQueriesUntilFinal(10);
      await refund('R1', '100');
      sut.planRefund('R1', { outcome: 'fail', afterQueries: 1 });
      expect(await statusOf('R1')).toBe('FAIL');
      sut.planRefund('R2', { outcome: 'success', afterQueries: 0 });
      await refund('R2', '100');
      expect(sut.refund(MERCHANT, 'R2')?.status).toBe('SUCCESS');
    });
  });

  describe('faults', () => {
    const send = (params: Params) =>
      postRaw(CHAOYING_V2_PATH, new URLSearchParams({ ...params, sign: signChaoying(params, KEY) }).toString());

    it('timeout holds the request until released; with process the refund exists', async () => {
      sut.failNext('timeout', { operation: 'refund', process: true });
      const outcome = send(refundParams('R1', '100')).then(
        () => 'answered',
        () => 'dropped',
      );
      await waitUntil(() => sut.requests().length === 1, { what: 'sut.requests().length === 1' });
      expect(sut.releaseHeld()).toBe(1);
      expect(await outcome).toBe('dropped');
      expect(sut.refund(MERCHANT, 'R1')).toMatchObject({ status: 'PROCESSING' });
      expect(sut.requests()[0]).toMatchObject({ operation: 'refund', fault: 'timeout' });
      expect(await refund('R1', '100')).toMatchObject({ trade_state: 'SUCCESS' });
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(900);
    });

    it('timeout without process does nothing; stop() drops held requests', async () => {
      sut.failNext('timeout', { times: 2 });
      const held = [1, 2].map(() =>
        send(refundParams('R1', '100')).then(
          () => 'answered',
          () => 'dropped',
        ),
      );
      await waitUntil(() => sut.requests().length === 2, { what: 'sut.requests().length === 2' });
      expect(sut.refund(MERCHANT, 'R1')).toBeUndefined();
      await sut.stop();
      expect(await Promise.all(held)).toEqual(['dropped', 'dropped']);
    });

    it('5xx answers HTTP 502 the given number of times, only for the given operation', async () => {
      sut.failNext('5xx', { operation: 'refundquery', times: 2 });
      expect((await send(refundParams('R1', '100'))).status).toBe(200);
      expect((await send(queryParams('R1'))).status).toBe(502);
      expect((await send(queryParams('R1'))).status).toBe(502);
      expect(sut.refund(MERCHANT, 'R1')?.queries).toBe(0);
      expect((await send(queryParams('R1'))).status).toBe(200);
      expect(sut.requests().map((r) => r.fault)).toEqual([undefined, '5xx', '5xx', undefined]);
    });

    it('malformed answers a body that is not JSON', async () => {
      sut.failNext('malformed', { process: true });
      const response = await send(refundParams('R1', '100'));
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(() => JSON.parse(text)).toThrow();
      expect(sut.refund(MERCHANT, 'R1')).toBeDefined();
    });

    it('badsign answers the real answer signed with another key', async () => {
      sut.failNext('badsign', { operation: 'refund' });
      const answer = await refund('R1', '100');
      expect(answer).toMatchObject({ trade_state: 'SUCCESS', out_refund_no: 'R1', sign: expect.any(String) });
      expect(verifyChaoying(answer, KEY)).toBe(false);
      expect(sut.refund(MERCHANT, 'R1')).toBeDefined();
    });

    it('unsigned answers the real answer without sign', async () => {
      await refund('R1', '100');
      sut.failNext('unsigned', { operation: 'refundquery' });
      const answer = await query('R1');
      expect(answer).toMatchObject({ code: '10000', refund_count: '1' });
      expect(answer).not.toHaveProperty('sign');
    });

    it('other_refund: a correctly signed answer about another out_refund_no (refund)', async () => {
      sut.failNext('other_refund', { operation: 'refund' });
      const answer = await refund('R1', '100');
      expect(answer).toMatchObject({ trade_state: 'SUCCESS', out_refund_no: 'R1X', refund_fee: '100' });
      expect(verifyChaoying(answer, KEY)).toBe(true);
      expect(sut.refund(MERCHANT, 'R1')).toBeDefined();
    });

    it('other_refund: our refund_list entry renamed, the others kept (refundquery)', async () => {
      await refund('R1', '100');
      await refund('R2', '200');
      sut.failNext('other_refund', { operation: 'refundquery' });
      const answer = await query('R2');
      expect(verifyChaoying(answer, KEY)).toBe(true);
      expect(listOf(answer).map((r) => [r.out_refund_no, r.refund_fee])).toEqual([
        ['R1', '100'],
        ['R2X', '200'],
      ]);
    });

    it('other_amount: our refund_fee changed, correctly signed (refund and refundquery)', async () => {
      sut.failNext('other_amount', { times: 2 });
      const accepted = await refund('R1', '100');
      expect(accepted).toMatchObject({ out_refund_no: 'R1', refund_fee: '101' });
      expect(verifyChaoying(accepted, KEY)).toBe(true);
      await refund('R2', '200'); // second fault consumed here
      sut.failNext('other_amount', { operation: 'refundquery' });
      const found = await query('R1');
      expect(verifyChaoying(found, KEY)).toBe(true);
      expect(listOf(found).map((r) => [r.out_refund_no, r.refund_fee])).toEqual([
        ['R1', '101'],
        ['R2', '200'],
      ]);
      expect(sut.refund(MERCHANT, 'R1')?.refundFee).toBe(100);
    });

    it('alters nothing in an answer about no refund', async () => {
      sut.failNext('other_refund');
      const answer = await query('R9');
      expect(answer).toMatchObject({ code: '20007' });
      expect(verifyChaoying(answer, KEY)).toBe(true);
    });
  });

  describe('rejectNext', () => {
    it('answers the signed refusal to the next matching, correctly signed call, doing nothing', async () => {
      sut.rejectNext({ code: '20006', msg: '系统错误' }, 'refund');
      expect(await query('R1')).toMatchObject({ code: '20007' });
      // A badly signed call does not consume it.
      expect(await post(CHAOYING_V2_PATH, refundParams('R1', '100'), { key: 'WRONG' })).toMatchObject({
        code: '20002',
      });
      const refused = await refund('R1', '100');
      expect(refused).toEqual({
        state: 'SUCCESS',
        code: '20006',
        msg: '系统错误',
        trade_state: 'FAIL',
        nonce_str: expect.any(String),
        sign: expect.any(String),
      });
      expect(verifyChaoying(refused, KEY)).toBe(true);
      expect(sut.refund(MERCHANT, 'R1')).toBeUndefined();
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(1000);
      expect(await refund('R1', '100')).toMatchObject({ trade_state: 'SUCCESS' });
      expect(sut.refundSubmissions('R1')).toBe(3);
    });

    it('does not count a rejected query', async () => {
      await refund('R1', '100');
      sut.rejectNext({ code: '30001', msg: '网络异常', state: 'FAIL' });
      expect(await query('R1')).toEqual({
        state: 'FAIL',
        code: '30001',
        msg: '网络异常',
        nonce_str: expect.any(String),
        sign: expect.any(String),
      });
      expect(sut.refund(MERCHANT, 'R1')?.queries).toBe(0);
      sut.rejectNext({ code: '10000', msg: 'SUCCESS', tradeState: 'NEED_QUERY' }, 'refundquery');
      expect(await query('R1')).toMatchObject({ state: 'SUCCESS', trade_state: 'NEED_QUERY' });
    });
  });

  describe('control API', () => {
    it('finds orders by out_trade_no or transaction_id, and refuses duplicate or empty seeds', () => {
      const order = sut.seedOrder({ merchantId: MERCHANT, outTradeNo: 'T2', totalFee: 5 });
      expect(order).toMatchObject({ outTradeNo: 'T2', transactionId: expect.stringMatching(/^\d{28}$/), balance: 5 });
      expect(sut.order(MERCHANT, order.transactionId)).toEqual(order);
      expect(sut.order('OTHER', 'T2')).toBeUndefined();
      expect(() => sut.seedOrder({ merchantId: MERCHANT, outTradeNo: 'T2', totalFee: 5 })).toThrow('already');
      expect(() => sut.seedOrder({ merchantId: MERCHANT, outTradeNo: 'T3', totalFee: 0 })).toThrow('positive');
      expect(() => sut.setQueriesUntilFinal(-1)).toThrow();
    });

    it('complete() refuses unknown refunds', () => {
      expect(() => sut.complete(MERCHANT, 'R9', 'success')).toThrow('no refund');
    });

    it('refuses agentKey without agentId', () => {
      expect(() => new ChaoyingSandbox({ merchants: {}, agentKey: 'K' })).toThrow('agentId');
    });
  });

  describe('startChaoyingSandbox', () => {
    it('starts for the configured merchants and agent, seeding the orders', async () => {
      const config = chaoyingConfigSchema.parse({
        baseUrl: 'sandbox',
        agentId: AGENT,
        agentKey: AGENT_KEY,
        merchants: { [VECTOR_MERCHANT]: {} },
      });
      const handle = await startChaoyingSandbox({
        config,
        orders: [
          {
            merchantId: VECTOR_MERCHANT,
            merchantOrderNo: '1497769914931',
            gatewayOrderNo: 'P9',
            totalAmount: 1,
            payMethod: 'WECHAT',
          },
        ],
      });
      try {
        expect(handle.moduleOptions).toBe(CHAOYING_SANDBOX_MODULE_OPTIONS);
        expect(CHAOYING_SANDBOX_MODULE_OPTIONS).toEqual({
          failedErrorCodes: ['20008'],
          busyErrorCodes: [],
          notFoundErrorCodes: [],
        });
        const simulator = handle.simulator as ChaoyingSandbox;
        expect(simulator.order(VECTOR_MERCHANT, 'P9')).toMatchObject({
          outTradeNo: '1497769914931',
          payType: 'WECHAT',
        });
        const params = {
          method: 'refund',
          agent_id: AGENT,
          paytype: 'WECHAT',
          mch_id: VECTOR_MERCHANT,
          transaction_id: 'P9',
          out_refund_no: 'TK-1',
          total_fee: '1',
          refund_fee: '1',
          op_user_id: VECTOR_MERCHANT,
        };
        const response = await fetch(`${handle.baseUrl}${CHAOYING_V1_PATH}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ ...params, sign: signChaoying(params, AGENT_KEY) }).toString(),
        });
        const answer = parseChaoyingAnswer(await response.text());
        expect(answer).toMatchObject({ trade_state: 'SUCCESS', out_trade_no: '1497769914931' });
        expect(verifyChaoying(answer, AGENT_KEY)).toBe(true);
      } finally {
        await handle.stop();
      }
    });
  });
});

/** Polls on the event loop (no timers) until the sandbox has seen the request. */
