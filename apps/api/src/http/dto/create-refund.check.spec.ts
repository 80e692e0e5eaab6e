import { BadRequestException } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import fc from 'fast-check';

import { unsafeInputProblems } from '../input-safety';
import { validRefundBody } from '../testing/refund-bodies';
import { type ValidationFailedBody, createValidationPipe } from '../validation.pipe';
import { checkCreateRefundBody } from './create-refund.check';
import { CreateRefundDto, RefundOrderDto } from './create-refund.dto';

type Body = Record<string, any>;

function validBody(): Body {
  return { ...validRefundBody(), gatewayOptions: { shopNo: 'S1', items: [1, { a: null }] } };
}

function withChange(change: (body: Body) => void): Body {
  const body = validBody();
  change(body);
  return body;
}

/** The DTO class-transformer made, as the plain object the check answers: its own fields, `order` too. */
function plain(dto: CreateRefundDto): Record<string, unknown> {
  return { ...dto, order: { ...dto.order } };
}

const pipe = createValidationPipe();

/** What the app-wide pipe, with class-validator on the DTO's decorators, answers for a body. */
async function oracle(body: unknown): Promise<unknown> {
  try {
    const dto = (await pipe.transform(body, { type: 'body', metatype: CreateRefundDto })) as CreateRefundDto;
    return { dto: plain(dto), problems: [] };
  } catch (error) {
    if (!(error instanceof BadRequestException)) throw error;
    return { dto: null, problems: (error.getResponse() as ValidationFailedBody).errors };
  }
}

/** The body as JSON would bring it, a fresh one for each side: the pipe may change what it is given. */
function copy(body: unknown): unknown {
  return body === undefined ? undefined : JSON.parse(JSON.stringify(body));
}

async function expectSameAsDecorators(body: unknown): Promise<void> {
  const expected = await oracle(copy(body));
  expect(checkCreateRefundBody(copy(body))).toStrictEqual(expected);
}

const ALL_REQUIRED = [
  { field: 'gateway', message: 'is required' },
  { field: 'merchantId', message: 'is required' },
  { field: 'refundNo', message: 'is required' },
  { field: 'amount', message: 'is required' },
  { field: 'order', message: 'is required' },
];

const RFC3339 = 'must be an RFC 3339 date-time with an offset, e.g. 2025-01-01T12:00:00+08:00';

describe('checkCreateRefundBody', () => {
  it('answers a valid body with its fields, absent ones undefined', async () => {
    const checked = checkCreateRefundBody(validBody());
    expect(checked).toStrictEqual({ dto: validBody(), problems: [] });
    await expectSameAsDecorators(validBody());

    const minimal = {
      gateway: 'umf',
      merchantId: 'M',
      refundNo: 'R',
      amount: 1,
      order: { gatewayOrderNo: 'G', totalAmount: 1 },
    };
    expect(checkCreateRefundBody(minimal)).toStrictEqual({
      dto: {
        ...minimal,
        order: {
          merchantOrderNo: undefined,
          gatewayOrderNo: 'G',
          totalAmount: 1,
          paidAt: undefined,
          payMethod: undefined,
        },
        reason: undefined,
        notifyUrl: undefined,
        gatewayOptions: undefined,
      },
      problems: [],
    });
    await expectSameAsDecorators(minimal);
  });

  it("knows every field the DTOs' decorators name, at both levels", () => {
    const fields = (target: new () => object) => [
      ...new Set(
        getMetadataStorage()
          .getTargetValidationMetadatas(target, '', true, false)
          .map((m) => m.propertyName),
      ),
    ];
    const unknown = (problems: ReadonlyArray<{ message: string }>) =>
      problems.filter((p) => p.message === 'is not a known field');
    expect(fields(CreateRefundDto)).toHaveLength(8);
    expect(fields(RefundOrderDto)).toHaveLength(5);
    for (const field of fields(CreateRefundDto)) {
      expect(unknown(checkCreateRefundBody({ [field]: 1 }).problems)).toEqual([]);
    }
    for (const field of fields(RefundOrderDto)) {
      expect(unknown(checkCreateRefundBody({ order: { gatewayOrderNo: 'G', [field]: 1 } }).problems)).toEqual([]);
    }
  });

  it.each<[string, unknown, Array<{ field: string; message: string }>]>([
    ['no body', undefined, ALL_REQUIRED],
    ['null', null, ALL_REQUIRED],
    ['a string', 'refund please', ALL_REQUIRED],
    ['a number', 100, ALL_REQUIRED],
    ['true', true, ALL_REQUIRED],
    ['false', false, ALL_REQUIRED],
    ['an empty object', {}, ALL_REQUIRED],
    ['an empty array', [], ALL_REQUIRED],
    [
      'an array (its indices are unknown fields)',
      [validBody(), 'x'],
      [
        { field: '0', message: 'is not a known field' },
        { field: '1', message: 'is not a known field' },
        ...ALL_REQUIRED,
      ],
    ],
  ])('answers a body that is %s as class-validator does', async (_case, body, problems) => {
    expect(checkCreateRefundBody(body)).toStrictEqual({ dto: null, problems });
    await expectSameAsDecorators(body);
  });

  it.each<[string, Body, Array<{ field: string; message: string }>]>([
    [
      'unknown fields first, integer-like names before the others, then the nested ones in place',
      withChange((b) => {
        b.zeta = 1;
        b['7'] = 2;
        b.alpha = 3;
        b.order.extra = true;
        b.order['2'] = 'x';
        b.gateway = '';
      }),
      [
        { field: '7', message: 'is not a known field' },
        { field: 'zeta', message: 'is not a known field' },
        { field: 'alpha', message: 'is not a known field' },
        { field: 'gateway', message: 'must not be blank' },
        { field: 'order.2', message: 'is not a known field' },
        { field: 'order.extra', message: 'is not a known field' },
      ],
    ],
    ['gateway missing', withChange((b) => delete b.gateway), [{ field: 'gateway', message: 'is required' }]],
    ['gateway null', withChange((b) => (b.gateway = null)), [{ field: 'gateway', message: 'is required' }]],
    ['gateway a number', withChange((b) => (b.gateway = 7)), [{ field: 'gateway', message: 'must be a string' }]],
    [
      'gateway blank',
      withChange((b) => (b.gateway = ' \t\u3000')),
      [{ field: 'gateway', message: 'must not be blank' }],
    ],
    [
      'gateway of 33 code points',
      withChange((b) => (b.gateway = 'g'.repeat(33))),
      [{ field: 'gateway', message: 'must be at most 32 characters' }],
    ],
    ['gateway of 32 emoji (64 UTF-16 units)', withChange((b) => (b.gateway = '😀'.repeat(32))), []],
    [
      'merchantId of 65 code points',
      withChange((b) => (b.merchantId = 'm'.repeat(65))),
      [{ field: 'merchantId', message: 'must be at most 64 characters' }],
    ],
    [
      'refundNo an array',
      withChange((b) => (b.refundNo = ['R1'])),
      [{ field: 'refundNo', message: 'must be a string' }],
    ],
    ['amount null', withChange((b) => (b.amount = null)), [{ field: 'amount', message: 'is required' }]],
    [
      'amount a string',
      withChange((b) => (b.amount = '100')),
      [{ field: 'amount', message: 'must be a JSON number of fen, not a string' }],
    ],
    [
      'amount an object',
      withChange((b) => (b.amount = { fen: 1 })),
      [{ field: 'amount', message: 'must be an integer number of fen' }],
    ],
    [
      'amount a fraction',
      withChange((b) => (b.amount = 1.5)),
      [{ field: 'amount', message: 'must be an integer number of fen (1 yuan = 100), not a fraction' }],
    ],
    ['amount 0', withChange((b) => (b.amount = 0)), [{ field: 'amount', message: 'must be at least 1 fen' }]],
    [
      'amount above 10^12',
      withChange((b) => (b.amount = 1_000_000_000_001)),
      [{ field: 'amount', message: 'must be at most 1000000000000 fen' }],
    ],
    [
      'amount above the order total',
      withChange((b) => (b.amount = 301)),
      [{ field: 'amount', message: 'must not exceed order.totalAmount (300)' }],
    ],
    [
      'amount above an order total that is not an amount (only the total is reported)',
      withChange((b) => (b.order.totalAmount = 0.5)),
      [{ field: 'order.totalAmount', message: 'must be an integer number of fen (1 yuan = 100), not a fraction' }],
    ],
    ['order missing', withChange((b) => delete b.order), [{ field: 'order', message: 'is required' }]],
    ['order null', withChange((b) => (b.order = null)), [{ field: 'order', message: 'is required' }]],
    ['order a string', withChange((b) => (b.order = 'T1')), [{ field: 'order', message: 'must be an object' }]],
    [
      'order an array of orders',
      withChange((b) => (b.order = [validBody().order])),
      [{ field: 'order', message: 'must be an object' }],
    ],
    [
      'order without order numbers (its own fields are not checked then)',
      withChange((b) => (b.order = { merchantOrderNo: ' ', gatewayOrderNo: null, totalAmount: 'x', junk: 1 })),
      [{ field: 'order', message: 'needs merchantOrderNo or gatewayOrderNo' }],
    ],
    [
      'order.merchantOrderNo blank beside a gateway order number',
      withChange((b) => (b.order = { merchantOrderNo: '  ', gatewayOrderNo: 'G1', totalAmount: 300 })),
      [{ field: 'order.merchantOrderNo', message: 'must not be blank (leave it out or send null)' }],
    ],
    [
      'order.gatewayOrderNo a number',
      withChange((b) => (b.order.gatewayOrderNo = 5)),
      [{ field: 'order.gatewayOrderNo', message: 'must be a string' }],
    ],
    [
      'order.merchantOrderNo of 65 code points',
      withChange((b) => (b.order.merchantOrderNo = 'T'.repeat(65))),
      [{ field: 'order.merchantOrderNo', message: 'must be at most 64 characters' }],
    ],
    [
      'order.totalAmount missing',
      withChange((b) => delete b.order.totalAmount),
      [{ field: 'order.totalAmount', message: 'is required' }],
    ],
    ['order.paidAt null', withChange((b) => (b.order.paidAt = null)), []],
    [
      'order.paidAt without an offset',
      withChange((b) => (b.order.paidAt = '2025-01-01T12:00:00')),
      [{ field: 'order.paidAt', message: RFC3339 }],
    ],
    [
      'order.paidAt a number',
      withChange((b) => (b.order.paidAt = 1735700000)),
      [{ field: 'order.paidAt', message: RFC3339 }],
    ],
    [
      'order.paidAt in year 0',
      withChange((b) => (b.order.paidAt = '0000-06-01T00:00:00Z')),
      [{ field: 'order.paidAt', message: 'must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z' }],
    ],
    [
      'order.payMethod of 33 code points',
      withChange((b) => (b.order.payMethod = 'W'.repeat(33))),
      [{ field: 'order.payMethod', message: 'must be at most 32 characters' }],
    ],
    ['reason null', withChange((b) => (b.reason = null)), []],
    [
      'reason empty',
      withChange((b) => (b.reason = '')),
      [{ field: 'reason', message: 'must not be blank (leave it out or send null)' }],
    ],
    [
      'reason of 257 code points',
      withChange((b) => (b.reason = 'r'.repeat(257))),
      [{ field: 'reason', message: 'must be at most 256 characters' }],
    ],
    ['notifyUrl null', withChange((b) => (b.notifyUrl = null)), []],
    ['notifyUrl on a host without a TLD', withChange((b) => (b.notifyUrl = 'http://hooks:8080/x')), []],
    [
      'notifyUrl without a scheme',
      withChange((b) => (b.notifyUrl = 'shop.example.com/hooks')),
      [{ field: 'notifyUrl', message: 'must be an http(s) URL' }],
    ],
    [
      'notifyUrl on ftp',
      withChange((b) => (b.notifyUrl = 'ftp://shop.example.com/hooks')),
      [{ field: 'notifyUrl', message: 'must be an http(s) URL' }],
    ],
    [
      'notifyUrl a number',
      withChange((b) => (b.notifyUrl = 5)),
      [{ field: 'notifyUrl', message: 'must be an http(s) URL' }],
    ],
    [
      'notifyUrl of 513 code points, checked before its form',
      withChange((b) => (b.notifyUrl = 'x'.repeat(513))),
      [{ field: 'notifyUrl', message: 'must be at most 512 characters' }],
    ],
    ['gatewayOptions null', withChange((b) => (b.gatewayOptions = null)), []],
    [
      'gatewayOptions an array',
      withChange((b) => (b.gatewayOptions = [])),
      [{ field: 'gatewayOptions', message: 'must be an object' }],
    ],
    [
      'gatewayOptions a string',
      withChange((b) => (b.gatewayOptions = '{}')),
      [{ field: 'gatewayOptions', message: 'must be an object' }],
    ],
  ])('answers %s as the decorators do', async (_case, body, problems) => {
    const checked = checkCreateRefundBody(copy(body));
    if (problems.length) expect(checked).toStrictEqual({ dto: null, problems });
    else expect(checked.problems).toEqual([]);
    await expectSameAsDecorators(body);
  });

  describe('against the DTO decorators (property test)', () => {
    const blank = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\u3000', '\ufeff') });
    const nearLimit = fc
      .tuple(
        fc.constantFrom(31, 32, 33, 63, 64, 65, 255, 256, 257, 511, 512, 513),
        fc.constantFrom('a', '😀', '❤️', ' '),
      )
      .map(([n, unit]) => unit.repeat(n));
    const url = fc.oneof(
      fc.webUrl(),
      fc.webUrl({ validSchemes: ['ftp', 'ws', 'HTTP'] }),
      fc.constantFrom(
        'https://shop.example.com/hooks',
        'http://localhost:3000/x',
        'http://10.0.0.1/x',
        'http://[::1]:8080/x',
        'https://',
        'http://a b.com',
        'shop.example.com',
        '//shop.example.com/x',
        'https://shop.example.com:99999/x',
        'https://user:pw@shop.example.com/x',
      ),
      nearLimit.map((s) => `https://e.com/${s}`),
    );
    const date = fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom(
        '2025-01-01T12:00:00+08:00',
        '2025-01-01t12:00:00z',
        '2025-01-01 12:00:00Z',
        '2025-02-29T00:00:00Z',
        '2024-02-29T00:00:00.123456789-23:59',
        '0000-12-31T23:59:59Z',
        '0001-01-01T00:00:00+01:00',
        '9999-12-31T23:59:59-01:00',
        '2025-01-01',
        '2025-01-01T24:00:00Z',
      ),
    );
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      blank,
      nearLimit,
      fc.constant(''),
      fc.constantFrom('leshua', 'T1', 'R1', '  x  '),
    );
    const number = fc.oneof(
      fc.integer({ min: -5, max: 1000 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(0, -0, 1, 0.5, 1.5, 299.99, 1e12, 1e12 + 1, 2 ** 53, 1e300, -1),
    );
    const scalar = fc.oneof(text, number, fc.boolean(), fc.constant(null), url, date);
    const json = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 3 }),
      ),
    })).value;

    const goodText = (max: number) =>
      fc
        .oneof(
          fc.string({ minLength: 1, maxLength: Math.min(max, 24) }),
          fc.string({ unit: 'grapheme', minLength: 1, maxLength: max }),
        )
        .filter((t) => /\S/.test(t) && [...t].length <= max);
    const goodOptionalText = (max: number) => fc.oneof({ weight: 3, arbitrary: goodText(max) }, fc.constant(null));
    const goodFen = fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1e12 }));
    const goodDate = fc.oneof(
      fc
        .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      fc.constant('2025-01-01T12:00:00+08:00'),
      fc.constant(null),
    );
    const goodUrl = fc.oneof(
      fc.webUrl({ validSchemes: ['http', 'https'] }),
      fc.constantFrom('https://shop.example.com/hooks', 'http://hooks:8080/x'),
      fc.constant(null),
    );
    const goodOptions = fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), json, { maxKeys: 3 }), fc.constant(null));

    /** A field's value: mostly a good one, sometimes anything JSON can carry. */
    const field = (good: fc.Arbitrary<unknown>) =>
      fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: json });
    const extraKey = fc.oneof(
      fc.constantFrom('extra', 'Gateway', 'order_', '0', '12', 'totalAmount', 'amount', 'merchantOrderNo'),
      fc.string({ maxLength: 6 }),
    );
    const extras = fc.oneof(
      { weight: 4, arbitrary: fc.constant({}) },
      { weight: 1, arbitrary: fc.dictionary(extraKey, json, { maxKeys: 3 }) },
    );
    /** Which fields to leave out: usually none. */
    const leftOut = <K extends string>(keys: K[]) =>
      fc.oneof({ weight: 4, arbitrary: fc.constant<K[]>([]) }, { weight: 1, arbitrary: fc.subarray(keys) });
    function without(fields: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
      const rest = { ...fields };
      for (const key of keys) delete rest[key];
      return rest;
    }

    const order = fc
      .tuple(
        extras,
        fc.record({
          merchantOrderNo: field(fc.oneof(goodOptionalText(64), text)),
          gatewayOrderNo: field(fc.oneof(goodOptionalText(64), text)),
          totalAmount: field(fc.oneof(goodFen, number)),
          paidAt: field(fc.oneof(goodDate, date)),
          payMethod: field(fc.oneof(goodOptionalText(32), text)),
        }),
        leftOut(['merchantOrderNo', 'gatewayOrderNo', 'totalAmount', 'paidAt', 'payMethod']),
        extras,
      )
      .map(([before, fields, out, after]) => ({ ...before, ...without(fields, out), ...after }));

    const refund = fc
      .tuple(
        extras,
        fc.record({
          gateway: field(fc.oneof(goodText(32), text)),
          merchantId: field(fc.oneof(goodText(64), text)),
          refundNo: field(fc.oneof(goodText(64), text)),
          amount: field(fc.oneof(goodFen, number)),
          order: fc.oneof({ weight: 6, arbitrary: order }, { weight: 1, arbitrary: json }),
          reason: field(fc.oneof(goodOptionalText(256), text)),
          notifyUrl: field(fc.oneof(goodUrl, url)),
          gatewayOptions: field(goodOptions),
        }),
        leftOut(['gateway', 'merchantId', 'refundNo', 'amount', 'order', 'reason', 'notifyUrl', 'gatewayOptions']),
        extras,
      )
      .map(([before, fields, out, after]) => ({ ...before, ...without(fields, out), ...after }));

    /** A body without a problem, to hold the DTO equal too. */
    const valid = fc
      .record({
        gateway: goodText(32),
        merchantId: goodText(64),
        refundNo: goodText(64),
        total: goodFen,
        share: fc.double({ min: 0, max: 1, noNaN: true }),
        merchantOrderNo: goodOptionalText(64),
        gatewayOrderNo: goodText(64),
        paidAt: goodDate,
        payMethod: goodOptionalText(32),
        reason: goodOptionalText(256),
        notifyUrl: goodUrl,
        gatewayOptions: goodOptions,
      })
      .chain(({ total, share, merchantOrderNo, gatewayOrderNo, paidAt, payMethod, ...rest }) =>
        fc
          .tuple(
            leftOut(['reason', 'notifyUrl', 'gatewayOptions']),
            leftOut(['merchantOrderNo', 'paidAt', 'payMethod']),
          )
          .map(([out, orderOut]) => ({
            ...without(rest, out),
            amount: Math.max(1, Math.floor(total * share)),
            order: without({ merchantOrderNo, gatewayOrderNo, totalAmount: total, paidAt, payMethod }, orderOut),
          })),
      );

    const body = fc.oneof(
      { weight: 4, arbitrary: valid },
      { weight: 8, arbitrary: refund },
      { weight: 1, arbitrary: json },
      { weight: 1, arbitrary: fc.array(fc.oneof(refund, json), { maxLength: 3 }) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    );

    it('answers every body the app-wide pipe lets through exactly as the app-wide pipe does with CreateRefundDto', async () => {
      await fc.assert(
        fc.asyncProperty(
          body.map((b) => copy(b)),
          async (b) => {
            fc.pre(unsafeInputProblems(b, { type: 'body' }).length === 0);
            await expectSameAsDecorators(b);
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
