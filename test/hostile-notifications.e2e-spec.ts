import { MikroORM } from '@mikro-orm/core';
import { Refund, RefundService, type RefundView } from '@refundhub/core';
import fc from 'fast-check';

import { ApiHarness, startApi } from './support/api-harness';
import { describeWithDialect } from './support/databases';
import {
  BAOFOO,
  NOTIFYING_GATEWAYS,
  NotifiedResult,
  NotifyingGateway,
  NotifyingSimulators,
  createNotifyingRefund,
  genuineNotification,
  startNotifyingSimulators,
} from './support/notifying-gateways';
import { postRaw } from './support/raw-http';

/**
 * Hostile notifications, property-tested over real HTTP: random bytes, XML, form and JSON fragments,
 * huge and deep structures within the size limits, forged ones, and genuine signed notifications, as
 * they are or mutated, thrown at `POST /notify/<gateway>` of every gateway that notifies. For every one:
 * no 5xx; no refund or balance changes unless the answer is 2xx and the notification was genuine (and
 * then only the refund it is about, only to what it says); and every order's balance holds afterwards.
 *
 * Seeded and replayable: a failure prints fast-check's seed and path; run again with
 * `HOSTILE_SEED=<seed> HOSTILE_PATH=<path>` to replay that very case (`HOSTILE_RUNS` sets how many).
 */

const SEED = Number(process.env.HOSTILE_SEED ?? 20261130);
const RUNS = Number(process.env.HOSTILE_RUNS ?? 150);
const PATH = process.env.HOSTILE_PATH;

/** The refunds each API holds, by gateway: refund number and amount (every amount is distinct per order). */
const REFUNDS: Record<NotifyingGateway, Array<{ refundNo: string; amount: number }>> = {
  leshua: [
    { refundNo: 'HL1', amount: 10 },
    { refundNo: 'HL2', amount: 20 },
    { refundNo: 'HL3', amount: 30 },
    { refundNo: 'HL4', amount: 40 },
  ],
  umf: [
    { refundNo: 'HU1', amount: 10 },
    { refundNo: 'HU2', amount: 20 },
    { refundNo: 'HU3', amount: 30 },
  ],
  // One refund per order: Baofoo takes one refund of an order at a time, and a second one would be
  // submitted in the background when the first settles, which is not the notification's doing.
  baofoo: [{ refundNo: 'HB1', amount: 10 }],
};
const BAOFOO_SECOND = { refundNo: 'HB2', amount: 20, merchantOrderNo: 'BF20260101000002' };

/** What a notification is allowed to do: move this refund to this status (only with a 2xx), or nothing. */
type Intent = { gateway: NotifyingGateway; refundNo: string; status: RefundView['status'] } | null;

interface Case {
  gateway: NotifyingGateway;
  body: Buffer;
  contentType?: string;
  /** Set only for a notification signed with the gateway's own key over what it says. */
  intent: Intent;
  what: string;
}

const STATUS_OF: Record<NotifiedResult, RefundView['status']> = {
  success: 'SUCCEEDED',
  fail: 'FAILED',
  processing: 'PROCESSING',
};

const gateway = fc.constantFrom<NotifyingGateway>(...NOTIFYING_GATEWAYS);
const contentType = fc.option(
  fc.constantFrom(
    'text/xml',
    'application/xml; charset=GBK',
    'application/json',
    'application/json;charset=UTF-8',
    'application/x-www-form-urlencoded',
    'text/plain',
    'application/octet-stream',
    'multipart/form-data; boundary=x',
  ),
  { nil: undefined },
);

/** Anything at all: bytes, or text in any encoding. */
const randomBody = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ unit: 'binary', maxLength: 512 }).map((text) => Buffer.from(text, 'utf8')),
  fc.string({ maxLength: 512 }).map((text) => Buffer.from(text, 'latin1')),
);

const HOSTILE_TEXT = ['\u0000', '\n', '\r\n', '\u001b[2K', '\u202e', '退款', '😀', '%', '%ZZ', '%00', '\ud800', '\\'];

const XML_TOKENS = [
  '<leshua>',
  '</leshua>',
  '<xml>',
  '</xml>',
  '<?xml version="1.0" encoding="utf-8"?>',
  '<!DOCTYPE leshua [<!ENTITY x "xxxxxxxxxx">]>',
  '&x;',
  '&amp;',
  '&#0;',
  '&#x10FFFF;',
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '<a/>',
  '<a b="c>">',
  '</a>',
  '<merchant_id>0000000018</merchant_id>',
  '<merchant_refund_id>HL1</merchant_refund_id>',
  '<refund_amount>10</refund_amount>',
  '<refund_amount>1e1</refund_amount>',
  '<status>11</status>',
  '<status>12</status>',
  '<error_code>0</error_code>',
  '<sign>0b574d40e722ec76b55d4e8795f71182</sign>',
  '<__proto__>1</__proto__>',
  '<constructor>1</constructor>',
];

const xmlFragments = fc
  .array(fc.oneof(fc.constantFrom(...XML_TOKENS), fc.constantFrom(...HOSTILE_TEXT), fc.string({ maxLength: 8 })), {
    maxLength: 60,
  })
  .map((parts) => Buffer.from(parts.join(''), 'utf8'));

const FORM_NAMES = [
  'merId',
  'terId',
  'notifyType',
  'signStr',
  'dataContent',
  'signType',
  'a',
  '',
  '__proto__',
  'constructor',
];
const FORM_VALUES = [
  'REFUND',
  '100000',
  'PAYMENT',
  JSON.stringify({ merId: '100000', outTradeNo: 'HB1', refundState: 'SUCCESS', succAmt: 10, resultCode: 'SUCCESS' }),
  JSON.stringify({ merId: 100000, outTradeNo: 'HB1', succAmt: '1e1' }),
  '{"merId":{"a":[1,[2,[3]]]}}',
  'ab'.repeat(256),
];

const formFragments = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...FORM_NAMES), fc.string({ maxLength: 6 })),
      fc.oneof(fc.constantFrom(...FORM_VALUES, ...HOSTILE_TEXT), fc.string({ maxLength: 20 })),
      fc.boolean(),
    ),
    { maxLength: 16 },
  )
  .map((pairs) =>
    Buffer.from(
      pairs
        .map(([name, value, encoded]) =>
          encoded ? new URLSearchParams([[name, value]]).toString() : `${name}=${value}`,
        )
        .join('&'),
      'utf8',
    ),
  );

const UMF_LIKE = fc.record(
  {
    merId: fc.constantFrom('30000101', '30000102', '', '3'.repeat(80)),
    refundPartnerOrderId: fc.constantFrom('HU1', 'HU2', 'HU3', 'NOPE', ''),
    amount: fc.oneof(
      fc.constantFrom('10', '-10', '1e1', '0x0a', '10.0', '', ' 10', '99999999999999999999'),
      fc.integer(),
    ),
    tradeState: fc.constantFrom('REFUND_SUCCESS', 'REFUND_FAIL', 'TRADE_SUCCESS', ''),
    sign: fc.oneof(fc.constantFrom('', 'A'.repeat(172)), fc.string({ maxLength: 20 })),
    nested: fc.jsonValue({ maxDepth: 3 }),
  },
  { requiredKeys: [] },
);

const jsonFragments = fc.oneof(
  fc.json({ maxDepth: 4 }).map((text) => Buffer.from(text, 'utf8')),
  UMF_LIKE.map((value) => Buffer.from(JSON.stringify(value), 'utf8')),
  fc
    .constantFrom(
      '{"__proto__":{"merId":"30000101"},"merId":"30000101"}',
      '{"constructor":{"prototype":{"x":1}}}',
      '{"merId":"30000101","merId":"30000102"}',
      '{"a":"\\ud800"}',
      '[]',
      'null',
      '"REFUND_SUCCESS"',
      '{"notifyType":"REFUND","dataContent":"{\\"merId\\":\\"100000\\"}"}',
    )
    .map((text) => Buffer.from(text, 'utf8')),
);

/** Within every gateway's size limit (8 KiB at least), but far deeper or larger than any notification. */
const structures = fc.oneof(
  fc.integer({ min: 1, max: 1300 }).map((n) => Buffer.from(`<leshua>${'<a>'.repeat(n)}${'</a>'.repeat(n)}</leshua>`)),
  fc.integer({ min: 1, max: 1900 }).map((n) => Buffer.from(`<leshua>${'<a/>'.repeat(n)}</leshua>`)),
  fc.integer({ min: 1, max: 3900 }).map((n) => Buffer.from(`${'['.repeat(n)}${']'.repeat(n)}`)),
  fc.integer({ min: 1, max: 1300 }).map((n) => Buffer.from(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`)),
  fc
    .integer({ min: 1, max: 1300 })
    .map((n) => Buffer.from(JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, 1]))))),
  fc.integer({ min: 1, max: 1900 }).map((n) => Buffer.from(`notifyType=REFUND${'&a=1'.repeat(n)}`)),
);

/** A notification about one of the API's refunds (or one it does not have), signed as its gateway signs. */
const signed = gateway.chain((gw) =>
  fc
    .record({
      refund: fc.constantFrom(...REFUNDS[gw], ...(gw === 'baofoo' ? [BAOFOO_SECOND] : []), {
        refundNo: 'NOPE',
        amount: 10,
      }),
      result: fc.constantFrom<NotifiedResult>(
        ...(gw === 'baofoo' ? (['success', 'fail'] as const) : (['success', 'fail', 'processing'] as const)),
      ),
      amount: fc.constantFrom<'right' | 'wrong' | 'missing'>('right', 'right', 'right', 'wrong', 'missing'),
      forged: fc.boolean(),
    })
    .map(({ refund, result, amount, forged }) => {
      const notification = genuineNotification({
        gateway: gw,
        refundNo: refund.refundNo,
        result,
        amount: amount === 'right' ? refund.amount : amount === 'wrong' ? refund.amount + 1 : null,
        forged,
      });
      // Baofoo's failure refunds nothing: it carries no amount, and is complete without one.
      const complete = amount === 'right' || (amount === 'missing' && gw === 'baofoo' && result === 'fail');
      const intent: Intent =
        !forged && complete && refund.refundNo !== 'NOPE'
          ? { gateway: gw, refundNo: refund.refundNo, status: STATUS_OF[result] }
          : null;
      return {
        gateway: gw,
        ...notification,
        intent,
        what: `${forged ? 'forged' : 'signed'} ${result}, amount ${amount}`,
      };
    }),
);

type Mutation = (body: Buffer) => Buffer;

const mutation: fc.Arbitrary<{ name: string; apply: Mutation }> = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })).map(([at, bit]) => ({
    name: `flip bit ${bit} of byte ${at}`,
    apply: (body: Buffer) => {
      const copy = Buffer.from(body);
      if (copy.length) copy[at % copy.length] ^= 1 << bit;
      return copy;
    },
  })),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 40 })).map(([at, length]) => ({
    name: `cut ${length} bytes at ${at}`,
    apply: (body: Buffer) => {
      const from = body.length ? at % body.length : 0;
      return Buffer.concat([body.subarray(0, from), body.subarray(from + length)]);
    },
  })),
  fc.tuple(fc.nat(), fc.constantFrom(...HOSTILE_TEXT, '<a>', '"', '&', '=', '}', ']]>')).map(([at, text]) => ({
    name: `insert ${JSON.stringify(text)} at ${at}`,
    apply: (body: Buffer) => {
      const from = body.length ? at % body.length : 0;
      return Buffer.concat([body.subarray(0, from), Buffer.from(text), body.subarray(from)]);
    },
  })),
  fc
    .constantFrom(
      ['11', '12'],
      ['12', '11'],
      ['10', '11'],
      ['REFUND_FAIL', 'REFUND_SUCCESS'],
      ['REFUND_ERROR', 'SUCCESS'],
      ['0000000018', '0000000019'],
      ['30000101', '30000102'],
      ['HL1', 'HL2'],
      ['HU1', 'HU2'],
      ['HB1', 'HB2'],
      ['"succAmt":10', '"succAmt":20'],
      ['<error_code><![CDATA[0]]>', '<error_code><![CDATA[5]]>'],
    )
    .map(([from, to]) => ({
      name: `replace ${from} with ${to}`,
      apply: (body: Buffer) => Buffer.from(body.toString('latin1').split(from).join(to), 'latin1'),
    })),
  fc.constant({ name: 'twice over', apply: (body: Buffer) => Buffer.concat([body, body]) }),
  fc.constant({
    name: 'hex signature upper case',
    apply: (body: Buffer) => Buffer.from(body.toString().replace(/[0-9a-f]{32,}/g, (hex) => hex.toUpperCase())),
  }),
);

/**
 * A signed notification, mutated. Whatever the mutation, it may do at most what the notification said:
 * a mutation that only touched what its gateway does not sign (Leshua's `error_code`, the case of a hex
 * signature, Baofoo's envelope) leaves a notification as genuine as it was.
 */
const mutated = fc.tuple(signed, mutation).map(([notification, change]) => ({
  ...notification,
  body: change.apply(notification.body),
  what: `${notification.what}, ${change.name}`,
}));

const unsigned = (body: fc.Arbitrary<Buffer>, what: string) =>
  fc
    .tuple(gateway, body, contentType)
    .map(([gw, b, type]) => ({ gateway: gw, body: b, contentType: type, intent: null, what }));

const cases: fc.Arbitrary<Case> = fc.oneof(
  unsigned(randomBody, 'random bytes'),
  unsigned(xmlFragments, 'XML fragments'),
  unsigned(formFragments, 'form fragments'),
  unsigned(jsonFragments, 'JSON fragments'),
  unsigned(structures, 'deep or large structure'),
  signed,
  mutated,
);

interface Observed {
  gateway: string;
  refundNo: string;
  status: string;
  failureCode: string | null;
  finishedAt: number | null;
  order: { id: string; total: number; reserved: number; refunded: number };
}

for (const dialect of ['sqlite', 'postgresql'] as const) {
  describeWithDialect(dialect, 'hostile notifications, property-tested over HTTP', () => {
    let h: ApiHarness;
    let simulators: NotifyingSimulators;

    beforeAll(async () => {
      simulators = await startNotifyingSimulators();
      simulators.baofoo.seedOrder({
        merchantId: BAOFOO.merchant,
        originOutTradeNo: BAOFOO_SECOND.merchantOrderNo,
        totalAmount: 500,
        paidAt: simulators.paidAt,
      });
      h = await startApi(dialect, { gateways: simulators.sections });
      for (const gw of NOTIFYING_GATEWAYS) {
        for (const refund of REFUNDS[gw]) {
          await createNotifyingRefund(h, { gateway: gw, ...refund, paidAt: simulators.paidAt });
        }
      }
      const second = await h.call<RefundView>('POST', '/refunds', {
        gateway: 'baofoo',
        merchantId: BAOFOO.merchant,
        refundNo: BAOFOO_SECOND.refundNo,
        amount: BAOFOO_SECOND.amount,
        order: {
          merchantOrderNo: BAOFOO_SECOND.merchantOrderNo,
          totalAmount: 500,
          paidAt: simulators.paidAt.toISOString(),
        },
        reason: '用户取消订单',
      });
      expect(second.status).toBe(201);
    });
    afterAll(async () => {
      await h.close();
      await simulators.stop();
    });

    const observe = async (): Promise<Map<string, Observed>> => {
      const rows = await h.app
        .get(MikroORM)
        .em.fork()
        .find(Refund, {}, { populate: ['order'] });
      return new Map(
        rows.map((r) => [
          `${r.gateway}:${r.refundNo}`,
          {
            gateway: r.gateway,
            refundNo: r.refundNo,
            status: r.status,
            failureCode: r.status === 'FAILED' ? r.failureCode : null,
            finishedAt: r.finishedAt?.getTime() ?? null,
            order: {
              id: r.order.id,
              total: r.order.totalAmount,
              reserved: r.order.reservedAmount,
              refunded: r.order.refundedAmount,
            },
          },
        ]),
      );
    };

    /** reserved = the refunds not FAILED, refunded = the SUCCEEDED ones, refunded <= reserved <= total. */
    const expectBalancesHold = async () => {
      const rows = await h.app
        .get(MikroORM)
        .em.fork()
        .find(Refund, {}, { populate: ['order'] });
      const orders = new Map<string, { total: number; reserved: number; refunded: number; refunds: Refund[] }>();
      for (const row of rows) {
        const order = orders.get(row.order.id) ?? {
          total: row.order.totalAmount,
          reserved: row.order.reservedAmount,
          refunded: row.order.refundedAmount,
          refunds: [],
        };
        order.refunds.push(row);
        orders.set(row.order.id, order);
      }
      for (const order of orders.values()) {
        const sum = (refunds: Refund[]) => refunds.reduce((total, r) => total + r.amount, 0);
        expect(order.reserved).toBe(sum(order.refunds.filter((r) => r.status !== 'FAILED')));
        expect(order.refunded).toBe(sum(order.refunds.filter((r) => r.status === 'SUCCEEDED')));
        expect(order.refunded).toBeLessThanOrEqual(order.reserved);
        expect(order.reserved).toBeLessThanOrEqual(order.total);
      }
    };

    it('answers every body without a 5xx, changes only what a genuine notification says, and keeps every balance', async () => {
      await fc.assert(
        fc.asyncProperty(cases, async (notification) => {
          const before = await observe();
          const answer = await postRaw({
            url: `${h.url}/notify/${notification.gateway}`,
            body: notification.body,
            contentType: notification.contentType,
            contentLength: notification.body.length,
          });
          await h.app.get(RefundService).settled();
          const after = await observe();

          expect(answer.status).toBeLessThan(500);
          expect(answer.status).toBeGreaterThanOrEqual(200);
          expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
          const refundsChanged = [...after.entries()].filter(([key, row]) => {
            const was = before.get(key);
            return (
              was?.status !== row.status || was.failureCode !== row.failureCode || was.finishedAt !== row.finishedAt
            );
          });
          const ordersChanged = new Set(
            [...after.entries()]
              .filter(([key, row]) => JSON.stringify(before.get(key)?.order) !== JSON.stringify(row.order))
              .map(([, row]) => row.order.id),
          );
          if (refundsChanged.length || ordersChanged.size) {
            const intent = notification.intent;
            const key = `${intent?.gateway}:${intent?.refundNo}`;
            expect(answer.status).toBeLessThan(300);
            expect(intent).not.toBeNull();
            expect(refundsChanged.map(([changed]) => changed)).toEqual([key]);
            expect(after.get(key)?.status).toBe(intent?.status);
            expect([...ordersChanged].every((order) => order === after.get(key)?.order.id)).toBe(true);
          }
          await expectBalancesHold();
        }),
        { seed: SEED, numRuns: RUNS, ...(PATH ? { path: PATH } : {}), endOnFailure: true },
      );
      await expectBalancesHold();
    });
  });
}
