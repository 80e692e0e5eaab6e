import { MikroORM } from '@mikro-orm/core';
import { Refund, type RefundView } from '@refundhub/core';

import { ApiHarness, KEYS, MERCHANT, ORDER, refundBody, startApi } from './support/api-harness';
import { describeWithDialect } from './support/databases';

interface ErrorAnswer {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  errors?: Array<{ field: string; message: string }>;
}

const NUL = 'must not contain a NUL character (U+0000)';
const LONE_SURROGATE = 'must be well-formed Unicode: it contains a lone surrogate';
const DATE_TIME = 'must be an RFC 3339 date-time with an offset, e.g. 2025-01-01T12:00:00+08:00';

/** `depth` arrays inside one another around `1`: `[[1]]` is 2 deep. */
function nested(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

/** The body of a valid refund request as JSON text, with `gatewayOptions` written as given. */
function withGatewayOptions(json: string, refundNo = 'RDEEP1'): string {
  const body = JSON.stringify(refundBody({ refundNo, gatewayOptions: { placeholder: 0 } }));
  return body.replace('{"placeholder":0}', json);
}

/** Raw JSON text for a body whose reason is written as given (escapes stay as written). */
function withRawReason(reason: string, refundNo: string): string {
  return JSON.stringify(refundBody({ refundNo, reason: 'PLACEHOLDER' })).replace('"PLACEHOLDER"', `"${reason}"`);
}

for (const dialect of ['sqlite', 'postgresql'] as const) {
  describeWithDialect(dialect, 'Bad input is a 400 that names the field and changes nothing', () => {
    let h: ApiHarness;
    let before: { refunds: number; orders: number; history: number };

    beforeAll(async () => {
      h = await startApi(dialect);
    });

    afterAll(() => h.close());

    beforeEach(async () => {
      before = await h.rowCounts();
    });

    const post = (body: unknown) => h.call<ErrorAnswer>('POST', '/refunds', body);
    const get = (path: string) => h.call<ErrorAnswer>('GET', path);
    const refusedWith = async (answer: { status: number; body: ErrorAnswer }, field: string, message: string) => {
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED', message: 'Validation failed' });
      expect(answer.body.errors).toContainEqual({ field, message });
      expect(await h.rowCounts()).toEqual(before);
    };

    describe('a NUL character', () => {
      it.each([
        ['gateway', { gateway: 'leshua\u0000' }],
        ['merchantId', { merchantId: `${MERCHANT}\u0000` }],
        ['refundNo', { refundNo: 'R\u00001' }],
        ['reason', { reason: 'returned\u0000' }],
        ['notifyUrl', { notifyUrl: 'https://shop.example.com/\u0000' }],
        ['order.merchantOrderNo', { order: { merchantOrderNo: 'T\u00001', totalAmount: 300 } }],
        ['order.gatewayOrderNo', { order: { merchantOrderNo: 'T1', gatewayOrderNo: 'G\u00001', totalAmount: 300 } }],
        ['order.payMethod', { order: { merchantOrderNo: 'T1', totalAmount: 300, payMethod: 'WE\u0000' } }],
        ['order.paidAt', { order: { merchantOrderNo: 'T1', totalAmount: 300, paidAt: '2025-01-01\u0000' } }],
        ['gatewayOptions.note', { gatewayOptions: { note: 'a\u0000b' } }],
        ['gatewayOptions.items[1].name', { gatewayOptions: { items: [{}, { name: '\u0000' }] } }],
      ])('in %s', async (field, overrides) => {
        await refusedWith(await post(refundBody(overrides)), field, NUL);
      });

      it('in a key of gatewayOptions, reported on gatewayOptions without repeating the key', async () => {
        await refusedWith(
          await post(refundBody({ gatewayOptions: { 'a\u0000b': 1 } })),
          'gatewayOptions',
          'has a key with a NUL character (U+0000)',
        );
      });

      it.each(['/refunds/rf_%00', '/refunds/%00/history', '/refunds/rf_1%00x/webhooks', '/refunds/%00/exchanges'])(
        'in the id of %s',
        async (path) => {
          await refusedWith(await get(path), 'id', NUL);
        },
      );

      it('in the id of POST /refunds/:id/sync', async () => {
        await refusedWith(await h.call<ErrorAnswer>('POST', '/refunds/rf_%00/sync'), 'id', NUL);
      });

      it.each(['gateway', 'merchantId', 'merchantOrderNo', 'refundNo', 'gatewayOrderNo', 'cursor'])(
        'in the %s filter',
        async (filter) => {
          await refusedWith(await get(`/refunds?${filter}=a%00b`), filter, NUL);
        },
      );
    });

    describe('deep nesting', () => {
      it('refuses a body nested 10,000 deep before reading it', async () => {
        const answer = await post(withGatewayOptions(`{"a":${nested(10_000)}}`));
        await refusedWith(answer, 'gatewayOptions', 'is nested more than 32 levels deep');
      });

      it('refuses a body that is nothing but nesting', async () => {
        await refusedWith(await post(nested(100_000)), 'body', 'is nested more than 32 levels deep');
      });

      it('takes 32 levels and refuses 33, brackets inside strings not counted', async () => {
        // The body is 1 level, gatewayOptions 2: 30 arrays inside it make 32.
        const ok = await post(withGatewayOptions(`{"text":"[[[[{{{{","deep":${nested(30)}}`, 'RDEEP32'));
        expect(ok.status).toBe(201);
        const tooDeep = await post(withGatewayOptions(`{"deep":${nested(31)}}`, 'RDEEP33'));
        expect(tooDeep.status).toBe(400);
        expect(tooDeep.body.errors).toEqual([
          { field: 'gatewayOptions', message: 'is nested more than 32 levels deep' },
        ]);
      });
    });

    describe('dates', () => {
      it.each([
        '20250101',
        '2025-W01',
        '20250101T000000Z',
        '2025-001',
        '2025-01-01',
        '2025-01-01T12:00:00',
        '2025-01-01 12:00:00+08:00',
        '2025-02-30T00:00:00Z',
        '2025-02-29T00:00:00Z',
        '2025-01-01T24:00:00Z',
        '2025-12-31T23:59:60Z',
        '2025-01-01T12:00:00+24:00',
        '2025-01-01T12:00Z',
        '+002025-01-01T00:00:00Z',
        '2025-01-01T12:00:00.Z',
      ])('refuses paidAt %s', async (paidAt) => {
        const answer = await post(
          refundBody({ refundNo: 'RDATE1', order: { merchantOrderNo: 'TDATE1', totalAmount: 300, paidAt } }),
        );
        await refusedWith(answer, 'order.paidAt', DATE_TIME);
      });

      it.each(['0000-01-01T00:00:00Z', '0001-01-01T00:30:00+01:00', '9999-12-31T23:59:59-00:01'])(
        'refuses %s, outside the years both databases store, in paidAt and the filters',
        async (date) => {
          const range = 'must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z';
          const answer = await post(
            refundBody({ refundNo: 'RDATE2', order: { merchantOrderNo: 'TDATE2', totalAmount: 300, paidAt: date } }),
          );
          await refusedWith(answer, 'order.paidAt', range);
          await refusedWith(await get(`/refunds?createdTo=${encodeURIComponent(date)}`), 'createdTo', range);
        },
      );

      it.each(['20250101', '2025-W01', '20250101T000000Z', '2025-001', '2025-01-01', '2025-13-01T00:00:00Z'])(
        'refuses createdFrom and createdTo %s',
        async (date) => {
          await refusedWith(await get(`/refunds?createdFrom=${date}`), 'createdFrom', DATE_TIME);
          await refusedWith(await get(`/refunds?createdTo=${date}`), 'createdTo', DATE_TIME);
        },
      );

      it('reads an offset, Z, lower case and a fraction as the instants they name', async () => {
        const cases: Array<[string, string]> = [
          ['2025-01-01T12:00:00+08:00', '2025-01-01T04:00:00.000Z'],
          ['2024-02-29t23:30:00.5z', '2024-02-29T23:30:00.500Z'],
          ['2025-06-30T23:59:59.123456789-05:30', '2025-07-01T05:29:59.123Z'],
        ];
        for (const [index, [paidAt, instant]] of cases.entries()) {
          const refundNo = `RDATEOK${index}`;
          const answer = await h.call<RefundView>(
            'POST',
            '/refunds',
            refundBody({
              refundNo,
              amount: 1,
              order: { merchantOrderNo: `TDATEOK${index}`, totalAmount: 300, paidAt },
            }),
          );
          expect(answer.status).toBe(201);
          const stored = await h.app.get(MikroORM).em.fork().findOneOrFail(Refund, { id: answer.body.id });
          expect(stored.paidAt?.toISOString()).toBe(instant);
        }
        const listed = await get('/refunds?createdFrom=2000-01-01T00:00:00%2B08:00&createdTo=2999-01-01T00:00:00Z');
        expect(listed.status).toBe(200);
      });
    });

    describe('ill-formed Unicode', () => {
      it('refuses a lone surrogate in reason, and refuses the same request sent again', async () => {
        const body = withRawReason('x\\ud800y', 'RSURR1');
        await refusedWith(await post(body), 'reason', LONE_SURROGATE);
        await refusedWith(await post(body), 'reason', LONE_SURROGATE);
      });

      it.each([
        ['order.merchantOrderNo', { order: { merchantOrderNo: 'T\udc001', totalAmount: 300 } }],
        ['gatewayOptions.note', { gatewayOptions: { note: '\ud83d' } }],
      ])('refuses a lone surrogate in %s', async (field, overrides) => {
        await refusedWith(await post(refundBody({ refundNo: 'RSURR2', ...overrides })), field, LONE_SURROGATE);
      });

      it('refuses a lone surrogate in a key of gatewayOptions', async () => {
        await refusedWith(
          await post(refundBody({ refundNo: 'RSURR3', gatewayOptions: { '\ud800': 1 } })),
          'gatewayOptions',
          'has a key that is not well-formed Unicode (a lone surrogate)',
        );
      });

      it('refuses a body that is not UTF-8', async () => {
        const bytes = Buffer.concat([Buffer.from('{"reason":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
        const answer = await fetch(`${h.url}/refunds`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEYS.all}`, 'content-type': 'application/json' },
          body: bytes,
        });
        expect(answer.status).toBe(400);
        expect(await answer.json()).toMatchObject({ errors: [{ field: 'body', message: 'is not valid UTF-8' }] });
      });

      it('replays a request whose text has emoji, CJK, combining marks and controls, exactly as sent', async () => {
        const body = withRawReason('退款 \\ud83d\\ude00 e\\u0301 \\u001b[31m \\t end ', 'RSURR4');
        const first = await h.call<RefundView>('POST', '/refunds', body);
        expect(first.status).toBe(201);
        expect(first.body.reason).toBe('退款 😀 e\u0301 \u001b[31m \t end ');
        const again = await h.call<RefundView>('POST', '/refunds', body);
        expect(again.status).toBe(200);
        expect(again.body.id).toBe(first.body.id);
      });
    });

    describe("keys named after Object.prototype's members", () => {
      it.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'])(
        'refuses %s at the top, in order and in gatewayOptions, as any unknown field',
        async (key) => {
          const body = JSON.stringify(refundBody({ refundNo: 'RPROTO1' }));
          const top = `{"${key}":{"polluted":true},${body.slice(1)}`;
          await refusedWith(await post(top), key, 'is not a known field');
          const inOrder = body.replace('"order":{', `"order":{"${key}":1,`);
          await refusedWith(await post(inOrder), `order.${key}`, 'is not a known field');
          const inOptions = JSON.stringify(
            refundBody({ refundNo: 'RPROTO1', gatewayOptions: { a: { b: 'PLACEHOLDER' } } }),
          );
          await refusedWith(
            await post(inOptions.replace('"PLACEHOLDER"', `{"${key}":"x"}`)),
            `gatewayOptions.a.b.${key}`,
            'is not a known field',
          );
          await refusedWith(await get(`/refunds?${key}=1`), key, 'is not a known field');
        },
      );
    });
  });
}

describeWithDialect('sqlite', 'Answers about the request itself, in the API shape', () => {
  let h: ApiHarness;

  beforeAll(async () => {
    h = await startApi('sqlite');
  });

  afterAll(() => h.close());

  const raw = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${h.url}${path}`, init);
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as ErrorAnswer & Record<string, unknown> };
  };

  it('says the key is missing for "Authorization: Bearer " with nothing after it', async () => {
    for (const header of ['Bearer ', 'Bearer', 'bearer \t']) {
      const answer = await raw('/refunds', { headers: { authorization: header } });
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({
        code: 'UNAUTHORIZED',
        message: 'Missing API key: send Authorization: Bearer <key>',
      });
    }
    const basic = await raw('/refunds', { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.body.message).toBe('Authorization must use the Bearer scheme');
  });

  it('answers 415 with the expected type, whether another type or none was sent', async () => {
    const expected = {
      statusCode: 415,
      error: 'Unsupported Media Type',
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'The body must be JSON, sent with Content-Type: application/json',
    };
    for (const contentType of ['application/xml', 'text/plain', 'application/x-www-form-urlencoded']) {
      const answer = await raw('/refunds', {
        method: 'POST',
        headers: { authorization: `Bearer ${KEYS.all}`, 'content-type': contentType },
        body: 'amount=1',
      });
      expect(answer).toMatchObject({ status: 415, body: expected });
    }
    const none = await raw('/refunds', {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.all}` },
      body: new Blob([Buffer.from('{"amount":1}')]),
    });
    expect(none).toMatchObject({ status: 415, body: expected });
  });

  it('answers malformed JSON as a 400 on the body, without repeating it', async () => {
    const answer = await raw('/refunds', {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.all}`, 'content-type': 'application/json' },
      body: '{"reason": <script>',
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'body' }] });
    expect(answer.text).not.toContain('script');
  });

  it('answers an id of any length as a missing refund, in the API shape, without repeating it', async () => {
    for (const id of ['x'.repeat(101), `${'a'.repeat(300)}<script>`, 'rf_short']) {
      const answer = await raw(`/refunds/${encodeURIComponent(id)}`, {
        headers: { authorization: `Bearer ${KEYS.all}` },
      });
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        code: 'REFUND_NOT_FOUND',
        message: 'Refund not found: no refund has this id',
      });
    }
  });

  it('answers an unknown route or a path that is not valid UTF-8 in the API shape, without repeating the path', async () => {
    const unknown = await raw(`/nothing/${'b'.repeat(200)}%3Cscript%3E`, {
      headers: { authorization: `Bearer ${KEYS.all}` },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'NOT_FOUND',
      message: 'No route matches this method and path',
    });
    const badPath = await raw('/refunds/%ED%A0%80%3Cscript%3E', { headers: { authorization: `Bearer ${KEYS.all}` } });
    expect(badPath.status).toBe(400);
    expect(badPath.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'path', message: 'is not valid percent-encoded UTF-8' }],
    });
    expect(badPath.text).not.toContain('script');
    expect(badPath.text).not.toContain('%ED');
  });

  it.each(['/health', '/health/live', '/health/ready'])(
    'tells an unauthenticated %s up or down and nothing more; a valid key sees the checks',
    async (path) => {
      const anonymous = await raw(path);
      expect(anonymous).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(Object.keys(anonymous.body)).toEqual(['status']);
      const wrongKey = await raw(path, { headers: { authorization: 'Bearer wrong' } });
      expect(Object.keys(wrongKey.body)).toEqual(['status']);
      const known = await raw(path, { headers: { authorization: `Bearer ${KEYS.shop}` } });
      expect(known.body).toMatchObject({ status: 'ok', gateways: ['leshua'] });
      if (path === '/health/ready') {
        expect(known.body).toMatchObject({ checks: { database: 'up', outbox: 'up', scheduler: 'up' } });
      }
    },
  );

  it('still answers a well-formed refund and its list', async () => {
    const created = await h.call<RefundView>('POST', '/refunds', refundBody({ order: { ...ORDER } }));
    expect(created.status).toBe(201);
    expect((await h.call('GET', `/refunds/${created.body.id}`)).status).toBe(200);
  });
});
