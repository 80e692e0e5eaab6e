import {
  BaofooParseError,
  decodeBaofooForm,
  decodeBaofooRequestEnvelope,
  encodeBaofooAnswer,
  encodeBaofooNotification,
  encodeBaofooRequestEnvelope,
  parseBaofooAnswer,
  parseBaofooJsonObject,
  parseBaofooNotification,
  parseBaofooNotificationData,
  parseBaofooQueryAnswerData,
  parseBaofooRefundAnswerData,
} from './baofoo.codec';
import type { BaofooNotificationEnvelope, BaofooRequestEnvelope } from './baofoo.types';

const BIZ = '{"merId":"100000","refundReason":"用户取消 & <退款> +1","refundAmt":100}';
const envelope: BaofooRequestEnvelope = {
  merId: '100000',
  terId: '200000',
  method: 'order_refund',
  charset: 'UTF-8',
  version: '1.0',
  format: 'json',
  timestamp: '20210315155012',
  signType: 'RSA',
  signSn: '1',
  ncrptnSn: '1',
  dgtlEnvlp: '',
  signStr: 'abcdef',
  bizContent: BIZ,
};

describe('Baofoo codec', () => {
  describe('request envelope (form)', () => {
    it('encodes every envelope field as a form field, bizContent url-encoded, empty dgtlEnvlp kept', () => {
      const body = encodeBaofooRequestEnvelope(envelope);
      expect(body).toMatch(
        /^merId=100000&terId=200000&method=order_refund&charset=UTF-8&version=1\.0&format=json&timestamp=20210315155012&signType=RSA&signSn=1&ncrptnSn=1&dgtlEnvlp=&signStr=abcdef&bizContent=/,
      );
      expect(body).not.toContain('用户');
      expect(new URLSearchParams(body).get('bizContent')).toBe(BIZ);
    });

    it('decodes it back exactly, bizContent byte for byte', () => {
      expect(decodeBaofooRequestEnvelope(encodeBaofooRequestEnvelope(envelope))).toEqual(envelope);
    });

    it('refuses a field given twice and drops unknown fields', () => {
      expect(() => decodeBaofooForm('merId=1&merId=2')).toThrow(BaofooParseError);
      expect(decodeBaofooRequestEnvelope('merId=1&extra=2')).toEqual({ merId: '1' });
    });
  });

  describe('answer envelope (JSON)', () => {
    it('keeps dataContent as received, and reads a numeric merId as text', () => {
      const dataContent = '{"outTradeNo":"R1", "refundAmt":100}';
      expect(parseBaofooAnswer(JSON.stringify({ returnCode: 'SUCCESS', merId: 100000, dataContent, x: 1 }))).toEqual({
        returnCode: 'SUCCESS',
        merId: '100000',
        dataContent,
      });
    });

    it('round-trips what the sandbox writes', () => {
      const written = { returnCode: 'SUCCESS', returnMsg: 'ok', signStr: 'ab', dataContent: '{}' };
      expect(parseBaofooAnswer(encodeBaofooAnswer(written))).toEqual(written);
    });

    it.each([
      ['not JSON', 'oops'],
      ['an array', '[]'],
      ['a dataContent object', '{"returnCode":"SUCCESS","dataContent":{"a":1}}'],
      ['a boolean code', '{"returnCode":true}'],
      ['an unsafe numeric id', '{"merId":12345678901234567890}'],
    ])('refuses %s', (_, text) => {
      expect(() => parseBaofooAnswer(text)).toThrow(BaofooParseError);
    });
  });

  describe('dataContent', () => {
    it('reads refund answers leniently: numbers or strings, null as absent', () => {
      expect(
        parseBaofooRefundAnswerData(
          '{"outTradeNo":123,"tradeNo":"BF1","refundAmt":"100","totalAmt":100,"resultCode":"SUCCESS","errCode":null}',
        ),
      ).toEqual({ outTradeNo: '123', tradeNo: 'BF1', refundAmt: '100', totalAmt: 100, resultCode: 'SUCCESS' });
    });

    it('reads query answers and notifications', () => {
      expect(
        parseBaofooQueryAnswerData('{"refundState":"SUCCESS","succAmt":100,"finishTime":"20260105120000"}'),
      ).toEqual({ refundState: 'SUCCESS', succAmt: 100, finishTime: '20260105120000' });
      expect(parseBaofooNotificationData('{"merId":100000,"terId":200000,"outTradeNo":"R1","succAmt":100}')).toEqual({
        merId: '100000',
        terId: '200000',
        outTradeNo: 'R1',
        succAmt: 100,
      });
    });

    it('refuses an object where a field is text', () => {
      expect(() => parseBaofooQueryAnswerData('{"refundState":["SUCCESS"]}')).toThrow('dataContent field refundState');
      expect(() => parseBaofooJsonObject('"x"')).toThrow('content is not a JSON object');
    });
  });

  describe('notifications', () => {
    const notification: BaofooNotificationEnvelope = {
      merId: '100000',
      terId: '200000',
      notifyType: 'REFUND',
      signStr: 'ab',
      dataContent: '{"outTradeNo":"R1","refundState":"SUCCESS","errMsg":"a+b & c"}',
    };

    it.each(['json', 'form'] as const)('reads a %s body the sandbox encodes', (format) => {
      const { body, contentType } = encodeBaofooNotification({ envelope: notification, format });
      expect(parseBaofooNotification({ body, contentType })).toEqual(notification);
    });

    it('sniffs the body when the Content-Type is missing or says nothing', () => {
      const json = encodeBaofooNotification({ envelope: notification, format: 'json' }).body;
      const form = encodeBaofooNotification({ envelope: notification, format: 'form' }).body;
      expect(parseBaofooNotification({ body: json, contentType: null })).toEqual(notification);
      expect(parseBaofooNotification({ body: form, contentType: 'text/plain' })).toEqual(notification);
      expect(parseBaofooNotification({ body: ` \n${json}`, contentType: 'application/x-www-form-urlencoded' })).toEqual(
        notification,
      );
    });

    it('reads a numeric merId in a JSON notification as text', () => {
      expect(parseBaofooNotification({ body: '{"merId":100000,"notifyType":"REFUND"}', contentType: null })).toEqual({
        merId: '100000',
        notifyType: 'REFUND',
      });
    });

    it('refuses an unreadable JSON body', () => {
      expect(() => parseBaofooNotification({ body: '{oops', contentType: 'application/json' })).toThrow(
        BaofooParseError,
      );
    });
  });
});
