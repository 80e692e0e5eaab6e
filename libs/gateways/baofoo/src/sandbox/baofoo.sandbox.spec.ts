import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { formatChinaTime } from '@refundhub/gateway-kit';

import {
  decodeBaofooForm,
  encodeBaofooRequestEnvelope,
  parseBaofooAnswer,
  stringifyBaofooContent,
} from '../baofoo.codec';
import { baofooConfigSchema } from '../baofoo.config';
import { BAOFOO_API_PATH } from '../baofoo.options';
import { signBaofoo, verifyBaofoo } from '../baofoo.signer';
import type { BaofooAnswerEnvelope, BaofooMethod } from '../baofoo.types';
import { BaofooSandbox } from './baofoo.sandbox';
import { generateBaofooSandboxKeyPair } from './baofoo-sandbox.keys';
import { BAOFOO_SANDBOX_MODULE_OPTIONS, startBaofooSandbox } from './baofoo-sandbox.starter';
import type { BaofooSandboxOptions } from './baofoo-sandbox.types';
import { waitUntil } from '@refundhub/gateway-kit/testing';

const MERCHANT = '100000';
const TERMINAL = '200000';
const OTHER_MERCHANT = '100001';
const CLOCK = new Date('2026-01-05T04:00:00.000Z'); // 2026-01-05 12:00:00 in China
const STAMP = '20260105120000';
const MERCHANT_KEYS = generateBaofooSandboxKeyPair();
const BAOFOO_KEYS = generateBaofooSandboxKeyPair();
const OTHER_KEYS = generateBaofooSandboxKeyPair();

type Biz = Record<string, unknown>;
interface Posted {
  status: number;
  envelope: BaofooAnswerEnvelope;
  data: Record<string, unknown>;
}

describe(BaofooSandbox.name, () => {
  let sut: BaofooSandbox;
  let baseUrl: string;

  async function restart(options: Partial<BaofooSandboxOptions> = {}): Promise<void> {
    await sut?.stop();
    sut = new BaofooSandbox({
      merchants: {
        [MERCHANT]: { terId: TERMINAL, privateKey: MERCHANT_KEYS.privateKeyPem },
        [OTHER_MERCHANT]: { terId: TERMINAL, publicKey: OTHER_KEYS.publicKeyPem },
      },
      keyPair: BAOFOO_KEYS,
      now: () => CLOCK,
      notifications: { retryDelaysMs: [1], timeoutMs: 2000 },
      ...options,
    });
    baseUrl = await sut.start();
    sut.seedOrder({
      merchantId: MERCHANT,
      originOutTradeNo: 'T1',
      originTradeNo: 'BF1',
      totalAmount: 1000,
      paidAt: new Date('2026-01-01T00:00:00.000Z'),
    });
  }

  beforeEach(() => restart());
  afterEach(() => sut.stop());

  const postRaw = (body: string, contentType = 'application/x-www-form-urlencoded') =>
    fetch(`${baseUrl}${BAOFOO_API_PATH}`, { method: 'POST', headers: { 'Content-Type': contentType }, body });

  /** Signs `biz` as the merchant would (unless told otherwise) and posts the envelope as a form. */
  async function call(
    method: BaofooMethod | string,
    biz: Biz,
    options: { privateKeyPem?: string; signStr?: string; envelope?: Record<string, string> } = {},
  ): Promise<Posted> {
    const bizContent = stringifyBaofooContent(biz);
    const signStr =
      options.signStr ??
      signBaofoo({ privateKeyPem: options.privateKeyPem ?? MERCHANT_KEYS.privateKeyPem, content: bizContent });
    const response = await postRaw(
      encodeBaofooRequestEnvelope({
        merId: String(biz['merId'] ?? MERCHANT),
        terId: TERMINAL,
        method: method as BaofooMethod,
        charset: 'UTF-8',
        version: '1.0',
        format: 'json',
        timestamp: STAMP,
        signType: 'RSA',
        signSn: '7',
        ncrptnSn: '1',
        dgtlEnvlp: '',
        signStr,
        bizContent,
        ...options.envelope,
      }),
    );
    return read(response);
  }

  async function read(response: Response): Promise<Posted> {
    const text = await response.text();
    const envelope = parseBaofooAnswer(text);
    return {
      status: response.status,
      envelope,
      data: envelope.dataContent ? (JSON.parse(envelope.dataContent) as Record<string, unknown>) : {},
    };
  }

  const verified = (envelope: BaofooAnswerEnvelope) =>
    verifyBaofoo({
      publicKeyPem: sut.platformPublicKey,
      content: envelope.dataContent ?? '',
      signStr: envelope.signStr,
    });

  const refundBiz = (outTradeNo: string, refundAmt: number, extra: Biz = {}): Biz => ({
    merId: MERCHANT,
    terId: TERMINAL,
    originOutTradeNo: 'T1',
    outTradeNo,
    refundAmt,
    totalAmt: refundAmt,
    txnTime: STAMP,
    refundReason: '用户取消订单',
    ...extra,
  });
  const refund = (outTradeNo: string, refundAmt: number, extra: Biz = {}) =>
    call('order_refund', refundBiz(outTradeNo, refundAmt, extra));
  const query = (outTradeNo: string, extra: Biz = {}) =>
    call('refund_query', { merId: MERCHANT, terId: TERMINAL, outTradeNo, ...extra });

  describe('envelope and authentication', () => {
    it('accepts a signed order_refund and answers a signed envelope (REFUND, accepted)', async () => {
      const answer = await refund('R1', 300);
      expect(answer.status).toBe(200);
      expect(answer.envelope).toEqual({
        returnCode: 'SUCCESS',
        returnMsg: expect.any(String),
        merId: MERCHANT,
        terId: TERMINAL,
        charset: 'UTF-8',
        version: '1.0',
        format: 'json',
        signType: 'RSA',
        signSn: '1',
        ncrptnSn: '7',
        signStr: expect.stringMatching(/^[0-9a-f]{512}$/),
        dataContent: expect.any(String),
      });
      expect(verified(answer.envelope)).toBe(true);
      expect(answer.data).toEqual({
        originTradeNo: 'BF1',
        originOutTradeNo: 'T1',
        outTradeNo: 'R1',
        tradeNo: expect.stringMatching(/^BFR\d{20}$/),
        refundAmt: 300,
        totalAmt: 300,
        resultCode: 'SUCCESS',
        refundState: 'REFUND',
      });
      expect(sut.refund(MERCHANT, 'R1')).toMatchObject({
        state: 'REFUND',
        refundAmt: 300,
        queries: 0,
        createdAt: CLOCK,
      });
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(700);
      expect(sut.requests()).toEqual([
        expect.objectContaining({
          operation: 'order_refund',
          bizContent: expect.objectContaining({ outTradeNo: 'R1' }),
        }),
      ]);
    });

    it('verifies a request signStr in either hex case, and signs upper case hex when asked', async () => {
      const biz = refundBiz('R1', 100);
      const signStr = signBaofoo({ privateKeyPem: MERCHANT_KEYS.privateKeyPem, content: stringifyBaofooContent(biz) });
      expect((await call('order_refund', biz, { signStr: signStr.toUpperCase() })).data).toMatchObject({
        resultCode: 'SUCCESS',
      });
      await restart({ uppercaseSignatures: true });
      const answer = await refund('R2', 100);
      expect(answer.envelope.signStr).toMatch(/^[0-9A-F]{512}$/);
      expect(verified(answer.envelope)).toBe(true);
    });

    it('checks a registered public key too', async () => {
      sut.seedOrder({ merchantId: OTHER_MERCHANT, originOutTradeNo: 'T9', totalAmount: 100 });
      const biz = { ...refundBiz('R1', 100), merId: OTHER_MERCHANT, originOutTradeNo: 'T9' };
      expect((await call('order_refund', biz, { privateKeyPem: OTHER_KEYS.privateKeyPem })).data).toMatchObject({
        resultCode: 'SUCCESS',
        refundState: 'REFUND',
      });
      expect((await call('order_refund', biz)).data).toMatchObject({ errCode: 'VERIFY_ERROR' });
    });

    it('refuses a wrong, missing or tampered signature with a signed VERIFY_ERROR and does nothing', async () => {
      const wrong = await call('order_refund', refundBiz('R1', 100), { privateKeyPem: OTHER_KEYS.privateKeyPem });
      expect(wrong.data).toEqual({ resultCode: 'FAIL', errCode: 'VERIFY_ERROR', errMsg: '验签失败' });
      expect(verified(wrong.envelope)).toBe(true);
      const signStr = signBaofoo({
        privateKeyPem: MERCHANT_KEYS.privateKeyPem,
        content: stringifyBaofooContent(refundBiz('R1', 100)),
      });
      expect((await call('order_refund', refundBiz('R1', 101), { signStr })).data).toMatchObject({
        errCode: 'VERIFY_ERROR',
      });
      expect((await call('order_refund', refundBiz('R1', 100), { signStr: 'zz' })).data).toMatchObject({
        errCode: 'VERIFY_ERROR',
      });
      expect(sut.refund(MERCHANT, 'R1')).toBeUndefined();
      expect(sut.refundSubmissions('R1')).toBe(3);
    });

    it('refuses an unknown merchant and a terminal that is not the merchant’s, signed', async () => {
      const unknown = await call('order_refund', { ...refundBiz('R1', 100), merId: '999999' });
      expect(unknown.data).toEqual({ resultCode: 'FAIL', errCode: 'MERCHANT_NOT_EXIST', errMsg: '商户不存在' });
      expect(verified(unknown.envelope)).toBe(true);
      const terminal = await call('order_refund', refundBiz('R1', 100), { envelope: { terId: '299999' } });
      expect(terminal.data).toMatchObject({ errCode: 'MERID_TERID_NOT_MATCH' });
    });

    it('refuses a bizContent without merId or terId inside (INVALID_PARAMETER 商户号不能为null)', async () => {
      const { merId: _merId, ...withoutMerId } = refundBiz('R1', 100);
      expect((await call('order_refund', withoutMerId)).data).toEqual({
        resultCode: 'FAIL',
        errCode: 'INVALID_PARAMETER',
        errMsg: '商户号不能为null',
      });
      const { terId: _terId, ...withoutTerId } = refundBiz('R1', 100);
      expect((await call('order_refund', withoutTerId)).data).toMatchObject({ errCode: 'INVALID_PARAMETER' });
    });

    it.each([
      ['a JSON body', () => postRaw(JSON.stringify({ method: 'order_refund' }), 'application/json')],
      ['a repeated field', () => postRaw('method=order_refund&method=order_refund')],
      ['a missing signStr', () => postRaw('merId=100000&terId=200000&method=order_refund')],
    ])('answers returnCode FAIL, unsigned and without dataContent, to %s', async (_name, send) => {
      const answer = await read(await send());
      expect(answer.envelope).toEqual({ returnCode: 'FAIL', returnMsg: expect.any(String) });
    });

    it('answers returnCode FAIL to an unknown method or a fixed field of another value', async () => {
      expect((await call('order_query', refundBiz('R1', 100))).envelope).toMatchObject({ returnCode: 'FAIL' });
      expect((await call('order_refund', refundBiz('R1', 100), { envelope: { version: '2.0' } })).envelope).toEqual({
        returnCode: 'FAIL',
        returnMsg: 'version不合法',
      });
    });

    it('accepts a timestamp within ten minutes of its clock, China time, and refuses others (and UTC)', async () => {
      const at = (ms: number) => formatChinaTime(new Date(CLOCK.getTime() + ms), 'yyyyMMddHHmmss');
      const stamped = (timestamp: string, no: string) =>
        call('order_refund', refundBiz(no, 1), { envelope: { timestamp } });
      expect((await stamped(at(600_000), 'R1')).envelope.returnCode).toBe('SUCCESS');
      expect((await stamped(at(-600_000), 'R2')).envelope.returnCode).toBe('SUCCESS');
      expect((await stamped(at(601_000), 'R3')).envelope).toMatchObject({ returnCode: 'FAIL' });
      expect((await stamped('20260105040000', 'R4')).envelope).toMatchObject({ returnCode: 'FAIL' }); // UTC
      expect((await stamped('2026-01-05 12:00:00', 'R5')).envelope).toMatchObject({ returnCode: 'FAIL' });
      expect(sut.refund(MERCHANT, 'R3')).toBeUndefined();
    });
  });

  describe('order_refund', () => {
    it('finds the order by originTradeNo, which wins over originOutTradeNo', async () => {
      const answer = await refund('R1', 100, { originOutTradeNo: undefined, originTradeNo: 'BF1' });
      expect(answer.data).toMatchObject({ refundState: 'REFUND', originOutTradeNo: 'T1' });
      expect((await refund('R2', 100, { originTradeNo: 'BF1', originOutTradeNo: 'NOPE' })).data).toMatchObject({
        refundState: 'REFUND',
      });
    });

    it('answers SUCCESS with ORDER_NOT_EXIST and ABNORMAL for an unknown order, as the real sandbox did', async () => {
      expect((await refund('R1', 100, { originOutTradeNo: 'NOPE' })).data).toEqual({
        originOutTradeNo: 'NOPE',
        outTradeNo: 'R1',
        refundAmt: 100,
        totalAmt: 100,
        resultCode: 'SUCCESS',
        refundState: 'ABNORMAL',
        errCode: 'ORDER_NOT_EXIST',
        errMsg: '原支付订单不存在',
      });
    });

    it('refuses more than the order has left, accepted refunds counting (REFUND_AMT_EXCEEDS)', async () => {
      await refund('R1', 600);
      expect((await refund('R2', 401)).data).toMatchObject({
        resultCode: 'FAIL',
        errCode: 'REFUND_AMT_EXCEEDS',
        errMsg: '退款金额超过可退金额',
      });
      expect((await refund('R3', 400)).data).toMatchObject({ refundState: 'REFUND' });
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(0);
    });

    it('refuses an order paid more than a year ago (ORDER_NOT_SUPPORT_REFUNDS)', async () => {
      sut.seedOrder({
        merchantId: MERCHANT,
        originOutTradeNo: 'OLD',
        totalAmount: 100,
        paidAt: new Date('2025-01-04T15:00:00.000Z'), // 2025-01-04 23:00 in China: 366 days ago
      });
      sut.seedOrder({
        merchantId: MERCHANT,
        originOutTradeNo: 'YEAR',
        totalAmount: 100,
        paidAt: new Date('2025-01-05T15:00:00.000Z'), // 365 days ago
      });
      expect((await refund('R1', 100, { originOutTradeNo: 'OLD' })).data).toMatchObject({
        resultCode: 'FAIL',
        errCode: 'ORDER_NOT_SUPPORT_REFUNDS',
      });
      expect((await refund('R2', 100, { originOutTradeNo: 'YEAR' })).data).toMatchObject({ refundState: 'REFUND' });
    });

    it('records marketing and sharing parts as received; totalAmt must be refundAmt + mktAmt', async () => {
      const mktRefundInfo = { mktMerId: MERCHANT, mktAmt: 20 };
      const sharingRefundInfo = [
        { sharingMerId: '100002', sharingAmt: 70 },
        { sharingMerId: '100003', sharingAmt: 50 },
      ];
      const answer = await refund('R1', 100, { totalAmt: 120, mktRefundInfo, sharingRefundInfo, advanceAmt: 5 });
      expect(answer.data).toMatchObject({ refundAmt: 100, totalAmt: 120, refundState: 'REFUND' });
      expect(sut.refund(MERCHANT, 'R1')).toMatchObject({ mktRefundInfo, sharingRefundInfo, advanceAmt: 5 });
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(880);

      expect((await refund('R2', 100, { totalAmt: 100, mktRefundInfo })).data).toMatchObject({
        resultCode: 'FAIL',
        errCode: 'INVALID_PARAMETER',
        errMsg: '退款总金额须等于退款金额与营销退款金额之和',
      });
      expect((await refund('R3', 100, { totalAmt: 101 })).data).toMatchObject({ errCode: 'INVALID_PARAMETER' });
      expect((await refund('R4', 100, { sharingRefundInfo: [{ sharingMerId: '1' }] })).data).toMatchObject({
        errCode: 'INVALID_PARAMETER',
        errMsg: '分账退款信息不合法',
      });
    });

    it.each([
      ['refundReason', { refundReason: '' }],
      ['outTradeNo', { outTradeNo: 'R-1' }],
      ['refundAmt', { refundAmt: '100' }],
      ['txnTime', { txnTime: '2026-01-05 12:00:00' }],
      ['both order numbers', { originOutTradeNo: undefined }],
    ])('refuses a bad %s (INVALID_PARAMETER)', async (_name, extra) => {
      expect((await refund('R1', 100, extra)).data).toMatchObject({ resultCode: 'FAIL', errCode: 'INVALID_PARAMETER' });
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(1000);
    });

    it('repeats the same answer to a repeated outTradeNo and never refunds twice (幂等)', async () => {
      const first = await refund('R1', 300);
      const again = await refund('R1', 300, { originOutTradeNo: undefined, originTradeNo: 'BF1' });
      expect(again.envelope.dataContent).toBe(first.envelope.dataContent);
      sut.complete(MERCHANT, 'R1', 'success');
      expect((await refund('R1', 300)).envelope.dataContent).toBe(first.envelope.dataContent);
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(700);
      expect(sut.refundSubmissions('R1')).toBe(3);
    });

    it('answers ORDER_EXIST to a repeated outTradeNo with another amount or order', async () => {
      sut.seedOrder({ merchantId: MERCHANT, originOutTradeNo: 'T2', totalAmount: 1000 });
      await refund('R1', 300);
      expect((await refund('R1', 301)).data).toMatchObject({ resultCode: 'FAIL', errCode: 'ORDER_EXIST' });
      expect((await refund('R1', 300, { originOutTradeNo: 'T2' })).data).toMatchObject({ errCode: 'ORDER_EXIST' });
      expect(sut.order(MERCHANT, 'T2')?.balance).toBe(1000);
    });
  });

  describe('refund_query', () => {
    it('answers REFUND until queriesUntilFinal queries, then SUCCESS with finishTime and succAmt', async () => {
      sut.setQueriesUntilFinal(2);
      const { data } = await refund('R1', 300);
      const first = await query('R1');
      expect(verified(first.envelope)).toBe(true);
      expect(first.data).toEqual({
        tradeNo: data['tradeNo'],
        outTradeNo: 'R1',
        refundState: 'REFUND',
        resultCode: 'SUCCESS',
      });
      expect((await query('', { tradeNo: data['tradeNo'] })).data).toEqual({
        tradeNo: data['tradeNo'],
        outTradeNo: 'R1',
        refundState: 'SUCCESS',
        finishTime: STAMP,
        succAmt: 300,
        resultCode: 'SUCCESS',
      });
      expect(sut.refund(MERCHANT, 'R1')).toMatchObject({ state: 'SUCCESS', queries: 2, finishTime: CLOCK });
    });

    it('settles REFUND_ERROR as planned and gives the amount back', async () => {
      sut.planRefund('R1', { outcome: 'fail', afterQueries: 1, errCode: 'CHANNEL_RETURN_ERR', errMsg: '银行拒绝' });
      await refund('R1', 400);
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(600);
      expect((await query('R1')).data).toMatchObject({
        refundState: 'REFUND_ERROR',
        resultCode: 'SUCCESS',
        errCode: 'CHANNEL_RETURN_ERR',
        errMsg: '银行拒绝',
      });
      expect(sut.order(MERCHANT, 'T1')?.balance).toBe(1000);
    });

    it('stays ABNORMAL when so planned, until re-planned or completed; afterQueries 0 is final at once', async () => {
      sut.planRefund('R1', { outcome: 'abnormal', afterQueries: 1 });
      sut.planRefund('R2', { outcome: 'success', afterQueries: 0 });
      await refund('R1', 100);
      expect((await refund('R2', 100)).data).toMatchObject({ refundState: 'SUCCESS' });
      expect((await query('R1')).data).toMatchObject({ refundState: 'ABNORMAL' });
      expect((await query('R1')).data).toMatchObject({ refundState: 'ABNORMAL' });
      sut.planRefund('R1', { outcome: 'success', afterQueries: 3 });
      expect((await query('R1')).data).toMatchObject({ refundState: 'SUCCESS' });
      expect(() => sut.complete(MERCHANT, 'R1', 'fail')).toThrow('already final');
    });

    it('answers SUCCESS + ABNORMAL for a refund it never received, or ORDER_NOT_EXIST when so configured', async () => {
      expect((await query('R9')).data).toEqual({ outTradeNo: 'R9', resultCode: 'SUCCESS', refundState: 'ABNORMAL' });
      await restart({ unknownRefundQuery: 'not_found' });
      expect((await query('R9')).data).toEqual({
        outTradeNo: 'R9',
        resultCode: 'FAIL',
        errCode: 'ORDER_NOT_EXIST',
        errMsg: '退款订单不存在',
      });
      sut.setUnknownRefundQuery('abnormal');
      expect((await query('R9')).data).toMatchObject({ refundState: 'ABNORMAL' });
    });

    it('does not find a refund whose tradeNo and outTradeNo disagree', async () => {
      const { data } = await refund('R1', 100);
      await refund('R2', 100);
      expect((await query('R2', { tradeNo: data['tradeNo'] })).data).toMatchObject({ refundState: 'ABNORMAL' });
      expect((await query('')).data).toMatchObject({ errCode: 'INVALID_PARAMETER' });
    });
  });

  describe('one refund of an order at a time', () => {
    it('refuses NOT_SUPPORT_CONCURRENT while another refund of the order is held, and records the violation', async () => {
      sut.failNext('timeout', { operation: 'order_refund', process: true });
      const held = postRefundDropped('R1', 100);
      await waitUntil(() => sut.requests().length === 1, { what: 'sut.requests().length === 1' });
      const second = await refund('R2', 100, { originOutTradeNo: undefined, originTradeNo: 'BF1' });
      expect(second.data).toEqual({
        resultCode: 'FAIL',
        errCode: 'NOT_SUPPORT_CONCURRENT',
        errMsg: '不支持并发退款,请分批次执行',
      });
      expect(sut.violations()).toEqual([
        { merchantId: MERCHANT, orderRef: 'BF1', outTradeNo: 'R2', inFlight: ['R1'], at: CLOCK },
      ]);
      expect(sut.refund(MERCHANT, 'R2')).toBeUndefined();
      // Another order is not concerned.
      sut.seedOrder({ merchantId: MERCHANT, originOutTradeNo: 'T2', totalAmount: 100 });
      expect((await refund('R3', 100, { originOutTradeNo: 'T2' })).data).toMatchObject({ refundState: 'REFUND' });

      expect(sut.releaseHeld()).toBe(1);
      expect(await held).toBe('dropped');
      expect((await refund('R2', 100)).data).toMatchObject({ refundState: 'REFUND' });
      expect(sut.violations()).toHaveLength(1);
    });

    it('holds answers to widen the window: two refunds sent together overlap, one after the other do not', async () => {
      await restart({ holdRefundAnswerTurns: 20_000 });
      await refund('R1', 100);
      await refund('R2', 100);
      expect(sut.violations()).toEqual([]);
      const both = await Promise.all([refund('R3', 100), refund('R4', 100)]);
      expect(both.map((a) => a.data['errCode'] ?? a.data['refundState']).sort()).toEqual([
        'NOT_SUPPORT_CONCURRENT',
        'REFUND',
      ]);
      expect(sut.violations()).toHaveLength(1);
      sut.holdRefundAnswers(0);
      await Promise.all([refund('R5', 100), refund('R6', 100)]);
      expect(sut.violations()).toHaveLength(1);
    });

    it('lets a refused 5xx or malformed answer end the flight', async () => {
      sut.failNext('5xx', { operation: 'order_refund' });
      sut.failNext('malformed', { operation: 'order_refund', process: true });
      expect((await postSigned('R1', 100)).status).toBe(502);
      expect((await postSigned('R2', 100)).status).toBe(200);
      expect((await refund('R3', 100)).data).toMatchObject({ refundState: 'REFUND' });
      expect(sut.violations()).toEqual([]);
    });
  });

  describe('faults', () => {
    it('timeout without process holds the request, refunds nothing, and stop() drops it', async () => {
      sut.failNext('timeout', { times: 2 });
      const held = [postRefundDropped('R1', 100), postRefundDropped('R1', 100)];
      await waitUntil(() => sut.requests().length === 2, { what: 'sut.requests().length === 2' });
      expect(sut.refund(MERCHANT, 'R1')).toBeUndefined();
      await sut.stop();
      expect(await Promise.all(held)).toEqual(['dropped', 'dropped']);
    });

    it('malformed answers a body that is not JSON', async () => {
      sut.failNext('malformed', { operation: 'order_refund' });
      const response = await postSigned('R1', 100);
      expect(response.status).toBe(200);
      expect(() => JSON.parse(response.text)).toThrow();
      expect(sut.refund(MERCHANT, 'R1')).toBeUndefined();
    });

    it('badsign and unsigned answer the real answer with a wrong or no signStr', async () => {
      sut.failNext('badsign', { operation: 'order_refund' });
      const bad = await refund('R1', 100);
      expect(bad.envelope.signStr).toMatch(/^[0-9a-f]{512}$/);
      expect(bad.data).toMatchObject({ outTradeNo: 'R1', refundState: 'REFUND' });
      expect(verified(bad.envelope)).toBe(false);
      sut.failNext('unsigned', { operation: 'refund_query' });
      const unsigned = await query('R1');
      expect(unsigned.envelope).not.toHaveProperty('signStr');
      expect(unsigned.data).toMatchObject({ outTradeNo: 'R1' });
      expect(sut.refund(MERCHANT, 'R1')?.queries).toBe(1);
    });

    it('other_refund and other_amount answer about another refund, correctly signed', async () => {
      sut.failNext('other_refund', { operation: 'order_refund' });
      const other = await refund('R1', 100);
      expect(other.data).toMatchObject({ outTradeNo: 'R1X', refundAmt: 100 });
      expect(verified(other.envelope)).toBe(true);
      sut.failNext('other_amount', { times: 2 });
      expect((await refund('R2', 200)).data).toMatchObject({ outTradeNo: 'R2', refundAmt: 201, totalAmt: 201 });
      // A query answer without an amount gets one that is not ours.
      const found = await query('R1');
      expect(found.data).toMatchObject({ outTradeNo: 'R1', refundState: 'SUCCESS', succAmt: 101 });
      expect(verified(found.envelope)).toBe(true);
      // Refusals are about no refund: unchanged.
      sut.failNext('other_refund');
      expect((await refund('R3', 10_000)).data).toMatchObject({ outTradeNo: 'R3', errCode: 'REFUND_AMT_EXCEEDS' });
    });

    it('rejectNext answers the signed refusal to the next matching, authenticated call, doing nothing', async () => {
      sut.rejectNext({ errCode: 'SYSTEM_BUSY', errMsg: '系统繁忙' }, 'order_refund');
      expect((await query('R1')).data).toMatchObject({ refundState: 'ABNORMAL' });
      expect(
        (await call('order_refund', refundBiz('R1', 100), { privateKeyPem: OTHER_KEYS.privateKeyPem })).data,
      ).toMatchObject({
        errCode: 'VERIFY_ERROR',
      });
      const busy = await refund('R1', 100);
      expect(busy.data).toEqual({ resultCode: 'FAIL', errCode: 'SYSTEM_BUSY', errMsg: '系统繁忙' });
      expect(verified(busy.envelope)).toBe(true);
      expect(sut.refund(MERCHANT, 'R1')).toBeUndefined();
      sut.rejectNext({
        errCode: 'ORDER_NOT_EXIST',
        errMsg: '订单不存在',
        resultCode: 'SUCCESS',
        refundState: 'ABNORMAL',
      });
      expect((await refund('R1', 100)).data).toEqual({
        resultCode: 'SUCCESS',
        refundState: 'ABNORMAL',
        errCode: 'ORDER_NOT_EXIST',
        errMsg: '订单不存在',
      });
    });
  });

  describe('notifications', () => {
    let receiver: Receiver;
    beforeEach(async () => {
      receiver = await Receiver.start();
    });
    afterEach(() => receiver.close());

    const notifiedRefund = async (outTradeNo: string, amount: number) => {
      sut.planRefund(outTradeNo, { outcome: 'success', afterQueries: 1 });
      await refund(outTradeNo, amount, { notifyUrl: `${receiver.url}/notify/baofoo` });
      await query(outTradeNo);
      await sut.notificationsSettled();
    };

    it('POSTs a signed REFUND notification as a form when the refund becomes final, once acknowledged', async () => {
      await notifiedRefund('R1', 300);
      expect(receiver.received).toHaveLength(1);
      const [received] = receiver.received;
      expect(received.contentType).toMatch(/^application\/x-www-form-urlencoded/);
      const envelope = decodeBaofooForm(received.body);
      expect(envelope).toEqual({
        merId: MERCHANT,
        terId: TERMINAL,
        charset: 'UTF-8',
        version: '1.0',
        format: 'json',
        notifyType: 'REFUND',
        signType: 'RSA',
        signSn: '1',
        ncrptnSn: '1',
        signStr: expect.stringMatching(/^[0-9a-f]+$/),
        dataContent: expect.any(String),
      });
      expect(
        verifyBaofoo({
          publicKeyPem: sut.platformPublicKey,
          content: envelope['dataContent'],
          signStr: envelope['signStr'],
        }),
      ).toBe(true);
      expect(JSON.parse(envelope['dataContent'])).toEqual({
        merId: MERCHANT,
        terId: TERMINAL,
        tradeNo: sut.refund(MERCHANT, 'R1')?.tradeNo,
        outTradeNo: 'R1',
        refundState: 'SUCCESS',
        finishTime: STAMP,
        succAmt: 300,
        resultCode: 'SUCCESS',
        txnTime: STAMP,
      });
      expect(sut.notifications()).toEqual([
        expect.objectContaining({ outTradeNo: 'R1', attempt: 1, acknowledged: true, forged: false }),
      ]);
    });

    it('redelivers until the answer is exactly OK, and gives up after maxAttempts', async () => {
      receiver.answers.push('ok', 'FAIL');
      await notifiedRefund('R1', 100);
      expect(sut.notifications().map((n) => [n.attempt, n.acknowledged])).toEqual([
        [1, false],
        [2, false],
        [3, true],
      ]);
      await restart({ notifications: { retryDelaysMs: [0], maxAttempts: 3 } });
      receiver.answers.push('no', 'no', 'no');
      await notifiedRefund('R2', 100);
      expect(sut.notifications()).toHaveLength(3);
      expect(sut.notifications().every((n) => !n.acknowledged)).toBe(true);
      sut.redeliver(MERCHANT, 'R2');
      await sut.notificationsSettled();
      expect(sut.notifications().map((n) => n.attempt)).toEqual([1, 2, 3, 1]);
    });

    it('notifies a failed refund with its errMsg, as JSON with a numeric merId when so configured', async () => {
      await restart({ notifications: { body: 'json', merIdAsNumber: true, retryDelaysMs: [1] } });
      sut.planRefund('R1', { outcome: 'fail', afterQueries: 5 });
      await refund('R1', 100, { notifyUrl: `${receiver.url}/n` });
      sut.complete(MERCHANT, 'R1', 'fail');
      await sut.notificationsSettled();
      const [received] = receiver.received;
      expect(received.contentType).toMatch(/^application\/json/);
      const envelope = JSON.parse(received.body) as Record<string, unknown>;
      expect(envelope).toMatchObject({ merId: 100000, notifyType: 'REFUND' });
      const data = JSON.parse(envelope['dataContent'] as string) as Record<string, unknown>;
      expect(data).toMatchObject({ merId: 100000, outTradeNo: 'R1', refundState: 'REFUND_ERROR', errMsg: '退款失败' });
      expect(data).not.toHaveProperty('succAmt');
      expect(
        verifyBaofoo({
          publicKeyPem: sut.platformPublicKey,
          content: envelope['dataContent'] as string,
          signStr: envelope['signStr'] as string,
        }),
      ).toBe(true);
    });

    it('sends nothing for a refund without notifyUrl, and a forged notification once', async () => {
      await refund('R1', 100);
      sut.complete(MERCHANT, 'R1', 'success');
      await sut.notificationsSettled();
      expect(receiver.received).toHaveLength(0);

      receiver.answers.push('FAIL');
      sut.sendForgedNotification({
        merchantId: MERCHANT,
        outTradeNo: 'R1',
        outcome: 'success',
        url: `${receiver.url}/x`,
      });
      await sut.notificationsSettled();
      expect(sut.notifications()).toEqual([expect.objectContaining({ forged: true, attempt: 1, acknowledged: false })]);
      const envelope = decodeBaofooForm(receiver.received[0].body);
      expect(
        verifyBaofoo({
          publicKeyPem: sut.platformPublicKey,
          content: envelope['dataContent'],
          signStr: envelope['signStr'],
        }),
      ).toBe(false);
      expect(JSON.parse(envelope['dataContent'])).toMatchObject({ outTradeNo: 'R1', refundState: 'SUCCESS' });
    });
  });

  describe('startBaofooSandbox', () => {
    it("starts for the configured merchants, seeds the orders and hands the module Baofoo's public key", async () => {
      const config = baofooConfigSchema.parse({
        baseUrl: 'sandbox',
        merchants: { [MERCHANT]: { terId: TERMINAL, privateKey: MERCHANT_KEYS.privateKeyPem } },
      });
      const handle = await startBaofooSandbox({
        config,
        orders: [{ merchantId: MERCHANT, merchantOrderNo: 'T7', gatewayOrderNo: 'BF7', totalAmount: 50 }],
      });
      try {
        const simulator = handle.simulator as BaofooSandbox;
        expect(handle.moduleOptions).toEqual({
          platformPublicKey: simulator.platformPublicKey,
          ...BAOFOO_SANDBOX_MODULE_OPTIONS,
        });
        expect(simulator.order(MERCHANT, 'BF7')).toMatchObject({ originOutTradeNo: 'T7', balance: 50 });
        expect(handle.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      } finally {
        await handle.stop();
      }
    });
  });

  /** A signed order_refund posted raw: status and text. */
  async function postSigned(outTradeNo: string, refundAmt: number): Promise<{ status: number; text: string }> {
    const bizContent = stringifyBaofooContent(refundBiz(outTradeNo, refundAmt));
    const response = await postRaw(
      encodeBaofooRequestEnvelope({
        merId: MERCHANT,
        terId: TERMINAL,
        method: 'order_refund',
        charset: 'UTF-8',
        version: '1.0',
        format: 'json',
        timestamp: STAMP,
        signType: 'RSA',
        signSn: '1',
        ncrptnSn: '1',
        signStr: signBaofoo({ privateKeyPem: MERCHANT_KEYS.privateKeyPem, content: bizContent }),
        bizContent,
      }),
    );
    return { status: response.status, text: await response.text() };
  }

  /** A refund whose answer a `timeout` fault holds: resolves `dropped` once the sandbox lets go of it. */
  function postRefundDropped(outTradeNo: string, refundAmt: number): Promise<'answered' | 'dropped'> {
    return postSigned(outTradeNo, refundAmt).then(
      () => 'answered' as const,
      () => 'dropped' as const,
    );
  }
});

/** A merchant's notify endpoint: answers `OK` unless told otherwise, one queued answer per delivery. */
class Receiver {
  readonly received: Array<{ contentType: string; body: string }> = [];
  readonly answers: string[] = [];

  private constructor(private readonly server: Server) {
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.received.push({
          contentType: request.headers['content-type'] ?? '',
          body: Buffer.concat(chunks).toString('utf8'),
        });
        response.writeHead(200, { 'content-type': 'text/plain' }).end(this.answers.shift() ?? 'OK');
      });
    });
  }

  static start(): Promise<Receiver> {
    const server = createServer();
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(new Receiver(server))));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Polls on the event loop (no timers) until the condition holds. */
