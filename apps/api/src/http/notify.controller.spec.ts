import { Readable } from 'node:stream';

import { UnknownGatewayError } from '@refundhub/core';

import { NotifyController } from './notify.controller';
import { HttpTestApp, createHttpTestApp } from './testing/http-test-app';

// "退款成功" in GBK: not valid UTF-8, so any decode/re-encode of the body would change these bytes.
const GBK_TEXT = Buffer.from([0xcd, 0xcb, 0xbf, 0xee, 0xb3, 0xc9, 0xb9, 0xa6]);

const bodies: Array<[string, string | undefined, Buffer]> = [
  [
    'XML sent as text/xml with a charset',
    'text/xml; charset=GBK',
    Buffer.concat([Buffer.from('<xml><msg>'), GBK_TEXT, Buffer.from('</msg></xml>')]),
  ],
  [
    'XML sent as application/xml',
    'application/xml',
    Buffer.from('<?xml version="1.0"?><leshua><status>2</status></leshua>'),
  ],
  ['XML sent as text/html', 'text/html;charset=utf-8', Buffer.from('<xml><a>1</a></xml>')],
  ['a form body', 'application/x-www-form-urlencoded', Buffer.from('b=2&a=1&sign=AB%2BC%3D%3D&note=%CD%CB')],
  ['a GBK form body', 'application/x-www-form-urlencoded; charset=GBK', Buffer.concat([Buffer.from('msg='), GBK_TEXT])],
  ['a JSON body with its spacing', 'application/json', Buffer.from('{ "b": 2,  "a": 1, "sign": "x" }\n')],
  ['malformed JSON', 'application/json', Buffer.from('{"a": ')],
  ['GBK bytes as text/plain', 'text/plain', GBK_TEXT],
  ['a body without a content type', undefined, Buffer.from('context={"a":1}')],
  ['an empty body', 'application/json', Buffer.alloc(0)],
];

describe.each([
  ['Nest default body parsing', false],
  ['Nest rawBody: true', true],
])(`${NotifyController.name} (%s)`, (_name, nestRawBody) => {
  let sut: HttpTestApp;

  beforeAll(async () => {
    sut = await createHttpTestApp({ nestRawBody });
  });

  afterAll(() => sut.app.close());

  beforeEach(() => {
    jest.clearAllMocks();
    sut.refunds.handleNotification.mockResolvedValue({
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: 'success',
      result: 'APPLIED',
    });
    sut.refunds.notificationBodyLimit.mockReturnValue(1024 * 1024);
  });

  it.each(bodies)(
    'hands the adapter the exact bytes of %s, without an API key',
    async (_case, contentType, payload) => {
      const res = await sut.app.inject({
        method: 'POST',
        url: '/notify/leshua',
        headers: contentType ? { 'content-type': contentType, 'x-sign': 'abc' } : { 'x-sign': 'abc' },
        payload,
      });

      expect(res.statusCode).toBe(200);
      expect(sut.refunds.handleNotification).toHaveBeenCalledTimes(1);
      const [gateway, notification] = sut.refunds.handleNotification.mock.calls[0];
      expect(gateway).toBe('leshua');
      expect(Buffer.isBuffer(notification.rawBody)).toBe(true);
      expect(notification.rawBody.equals(payload)).toBe(true);
      expect(notification.contentType).toBe(contentType ?? null);
      expect(notification.headers['content-type']).toBe(contentType);
      expect(notification.headers['x-sign']).toBe('abc');
    },
  );

  it('answers with exactly the status, content type and body the adapter chose', async () => {
    sut.refunds.handleNotification.mockResolvedValue({
      status: 202,
      contentType: 'application/xml; charset=UTF-8',
      body: '<xml><return_code>SUCCESS</return_code></xml>',
      result: 'REPEATED',
    });
    const res = await sut.app.inject({
      method: 'POST',
      url: '/notify/chaoying',
      headers: { 'content-type': 'text/xml' },
      payload: '<xml/>',
    });

    expect(res.statusCode).toBe(202);
    expect(res.headers['content-type']).toBe('application/xml; charset=UTF-8');
    expect(res.body).toBe('<xml><return_code>SUCCESS</return_code></xml>');
    expect(res.headers['refundhub-notification']).toBe('REPEATED');
  });

  it("refuses a body over the gateway's limit with 413, closes the connection, and never hands it over", async () => {
    sut.refunds.notificationBodyLimit.mockReturnValue(16);
    const res = await sut.app.inject({
      method: 'POST',
      url: '/notify/umf',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":"0123456789"}',
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ statusCode: 413, code: 'BODY_TOO_LARGE' });
    expect(res.headers.connection).toBe('close');
    expect(sut.refunds.notificationBodyLimit).toHaveBeenCalledWith('umf');
    expect(sut.refunds.handleNotification).not.toHaveBeenCalled();
  });

  it('takes a body of exactly the limit', async () => {
    sut.refunds.notificationBodyLimit.mockReturnValue(7);
    const res = await sut.app.inject({
      method: 'POST',
      url: '/notify/leshua',
      headers: { 'content-type': 'text/xml' },
      payload: '<xml/>!',
    });
    expect(res.statusCode).toBe(200);
    expect(sut.refunds.handleNotification.mock.calls[0][1].rawBody.toString()).toBe('<xml/>!');
  });

  it('caps a body sent without a length as it arrives', async () => {
    sut.refunds.notificationBodyLimit.mockReturnValue(8);
    const res = await sut.app.inject({
      method: 'POST',
      url: '/notify/leshua',
      headers: { 'content-type': 'text/xml', 'transfer-encoding': 'chunked' },
      payload: Readable.from([Buffer.from('<xml>'), Buffer.from('<a/>'), Buffer.from('</xml>')]),
    });
    expect(res.statusCode).toBe(413);
    expect(sut.refunds.handleNotification).not.toHaveBeenCalled();
  });

  it("leaves the other routes' body limit alone", async () => {
    sut.refunds.notificationBodyLimit.mockReturnValue(1);
    const res = await sut.app.inject({
      method: 'POST',
      url: '/refunds',
      headers: { 'content-type': 'application/json', authorization: 'Bearer whatever' },
      payload: '{"amount":1}',
    });
    expect(res.statusCode).toBe(401);
    expect(sut.refunds.notificationBodyLimit).not.toHaveBeenCalled();
  });

  it('answers 404 for an unknown gateway', async () => {
    sut.refunds.handleNotification.mockRejectedValue(new UnknownGatewayError('paypal'));
    const res = await sut.app.inject({
      method: 'POST',
      url: '/notify/paypal',
      headers: { 'content-type': 'text/xml' },
      payload: '<xml/>',
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'GATEWAY_UNKNOWN' });
  });

  it("leaves the other routes' parsing alone: XML on /refunds is still unsupported", async () => {
    const res = await sut.app.inject({
      method: 'POST',
      url: '/refunds',
      headers: { 'content-type': 'text/xml', authorization: 'Bearer whatever' },
      payload: '<xml/>',
    });
    expect(res.statusCode).toBe(415);
  });
});

describe('NotifyController without registerRawBodyParsers()', () => {
  it('fails loudly instead of handing the adapter a re-parsed body', async () => {
    const sut = await createHttpTestApp({ rawBodyParsers: false });
    try {
      const res = await sut.app.inject({
        method: 'POST',
        url: '/notify/leshua',
        headers: { 'content-type': 'application/json' },
        payload: '{"a":1}',
      });
      expect(res.statusCode).toBe(500);
      expect(sut.refunds.handleNotification).not.toHaveBeenCalled();
    } finally {
      await sut.app.close();
    }
  });
});
