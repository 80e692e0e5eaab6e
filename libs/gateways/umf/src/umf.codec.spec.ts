import { decodeUmfRequest, encodeUmfRequest, parseUmfAnswer, parseUmfNotification, UmfParseError } from './umf.codec';

describe('UMF codec', () => {
  it('posts one form field context holding the JSON of strings, empties left out', () => {
    const body = encodeUmfRequest({
      amount: '1',
      shopNo: '',
      operator: undefined,
      notifyUrl: 'https://x.cn/a?b=c&d=e',
    });
    expect(body).toBe(
      'context=%7B%22amount%22%3A%221%22%2C%22notifyUrl%22%3A%22https%3A%2F%2Fx.cn%2Fa%3Fb%3Dc%26d%3De%22%7D',
    );
    expect(new URLSearchParams(body).get('context')).toBe('{"amount":"1","notifyUrl":"https://x.cn/a?b=c&d=e"}');
    expect(decodeUmfRequest(body)).toEqual({ amount: '1', notifyUrl: 'https://x.cn/a?b=c&d=e' });
  });

  it('keeps Chinese text and + through the form encoding', () => {
    const body = encodeUmfRequest({ operator: '张三', sign: 'a+b/c=' });
    expect(decodeUmfRequest(body)).toEqual({ operator: '张三', sign: 'a+b/c=' });
  });

  it('reads an answer as strings, untrimmed; numbers as their JSON text; null as absent', () => {
    expect(parseUmfAnswer('{"retCode":"0000","Memo":" 退款成功 ","amount":100,"x":null,"ok":true}')).toEqual({
      retCode: '0000',
      Memo: ' 退款成功 ',
      amount: '100',
      ok: 'true',
    });
  });

  it.each(['', 'not json', '[]', '"0000"', 'null', '{"retCode":{"a":1}}', '{"list":[1]}', '<xml/>'])(
    'refuses %p (the client makes it a malformed unknown)',
    (text) => {
      expect(() => parseUmfAnswer(text)).toThrow(UmfParseError);
    },
  );

  it('reads a notification body as UTF-8 JSON', () => {
    expect(parseUmfNotification(Buffer.from('{"tradeState":"REFUND_SUCCESS","retMsg":"成功"}'))).toEqual({
      tradeState: 'REFUND_SUCCESS',
      retMsg: '成功',
    });
    expect(() => parseUmfNotification(Buffer.from('\u0000not a notification'))).toThrow(UmfParseError);
  });

  it('refuses a request body without context', () => {
    expect(() => decodeUmfRequest('amount=1')).toThrow(UmfParseError);
  });
});
