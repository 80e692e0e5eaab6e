/**
 * Random and hostile requests against the real API, on SQLite and PostgreSQL. For every one: no
 * 5xx, an error in the API's shape, no row written unless the answer is 2xx, an identical retry of
 * a created refund replays it, and afterwards every order's balance still adds up.
 *
 * Seeded and replayable: a failure prints fast-check's seed and path; run it again with
 *   HOSTILE_SEED=<seed> HOSTILE_PATH=<path> npx jest test/hostile-input.e2e-spec.ts
 * HOSTILE_RUNS=<n> runs more (or fewer) cases per property.
 */
import { MikroORM } from '@mikro-orm/core';
import { Refund, RefundOrder } from '@refundhub/core';
import fc from 'fast-check';

import { ApiHarness, HttpAnswer, KEYS, MERCHANT, startApi } from './support/api-harness';
import { describeWithDialect } from './support/databases';

const SEED = Number(process.env.HOSTILE_SEED ?? 20261130);
const PATH = process.env.HOSTILE_PATH;
const RUNS = Number(process.env.HOSTILE_RUNS ?? 120);

/** Paid orders in the Leshua sandbox that valid requests draw on. */
const ORDERS = [
  { merchantOrderNo: 'HT0001', gatewayOrderNo: 'HG0001', totalAmount: 300 },
  { merchantOrderNo: 'HT0002', gatewayOrderNo: 'HG0002', totalAmount: 1000 },
  { merchantOrderNo: 'HT0003', gatewayOrderNo: 'HG0003', totalAmount: 50 },
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Attempt {
  method: 'GET' | 'POST';
  path: string;
  /** Sent as is (already JSON text, or deliberately not JSON). */
  body?: string;
  contentType?: string | null;
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));

const HOSTILE_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u001b[31mred',
  'line\nbreak\r\n',
  '\u2028\u2029',
  '\u202e',
  '退款',
  '😀',
  'e\u0301',
  '__proto__',
  'constructor',
  "'; drop table refund; --",
  '<script>',
  '%00',
  '../../etc/passwd',
];

const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_TEXT),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.tuple(fc.string({ maxLength: 8 }), loneSurrogate, fc.string({ maxLength: 8 })).map((parts) => parts.join('')),
  fc.integer({ min: 60, max: 5_000 }).map((length) => 'x'.repeat(length)),
);

const DATES = [
  '2025-01-01T12:00:00+08:00',
  '2025-01-01T04:00:00Z',
  '20250101',
  '2025-W01',
  '20250101T000000Z',
  '2025-001',
  '2025-01-01',
  '2025-02-30T00:00:00Z',
  '2025-01-01T24:00:00Z',
  '2025-12-31T23:59:60Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999999999-23:59',
  '+275760-09-13T00:00:00Z',
];

const hostileNumber = fc.oneof(
  fc.constantFrom(0, -1, -0, 0.5, 1.5, 1e21, 1e308, -1e308, 2 ** 53, 2 ** 53 + 2, 1_000_000_000_001),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Nesting from shallow to far past any limit: arrays inside arrays, objects inside objects. */
const deep: fc.Arbitrary<Json> = fc.tuple(fc.integer({ min: 20, max: 3_000 }), fc.boolean()).map(([depth, arrays]) => {
  let value: Json = 1;
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { d: value };
  return value;
});

const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  { arbitrary: hostileString, weight: 4 },
  { arbitrary: hostileNumber, weight: 3 },
  { arbitrary: fc.constantFrom<Json>(null, true, false, [], {}), weight: 1 },
  { arbitrary: fc.constantFrom(...DATES), weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, weight: 2 },
  { arbitrary: deep, weight: 1 },
);

const PROTOTYPE_KEYS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf'];
const hostileKey = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), hostileString, fc.constantFrom('extra', 'amount'));

// ---------------------------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------------------------

/** A refund request that should succeed (or answer 422/409 when the balance or a replay says so). */
const validBody = fc
  .record({
    // A few numbers come back often: the same request replays, a different one conflicts (409).
    refundNo: fc.oneof(fc.constantFrom('R1', 'R2', 'R3'), fc.stringMatching(/^R[0-9A-Z]{1,12}$/)),
    amount: fc.integer({ min: 1, max: 400 }),
    order: fc.integer({ min: 0, max: ORDERS.length - 1 }),
    byGatewayOrderNo: fc.boolean(),
    reason: fc.option(
      fc.string({ unit: 'grapheme', maxLength: 30 }).filter((text) => text.trim() !== ''),
      {
        nil: undefined,
      },
    ),
    paidAt: fc.option(fc.constantFrom(DATES[0], DATES[1]), { nil: undefined }),
    gatewayOptions: fc.option(
      fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
      {
        nil: undefined,
      },
    ),
  })
  .map((r) => {
    const order = ORDERS[r.order];
    const body: { [key: string]: Json } = {
      gateway: 'leshua',
      merchantId: MERCHANT,
      refundNo: r.refundNo,
      amount: r.amount,
      order: {
        ...(r.byGatewayOrderNo ? { gatewayOrderNo: order.gatewayOrderNo } : { merchantOrderNo: order.merchantOrderNo }),
        totalAmount: order.totalAmount,
        ...(r.paidAt ? { paidAt: r.paidAt } : {}),
      },
    };
    if (r.reason !== undefined) body.reason = r.reason;
    if (r.gatewayOptions !== undefined) body.gatewayOptions = r.gatewayOptions as { [key: string]: Json };
    return body;
  });

const FIELDS = [
  ['gateway'],
  ['merchantId'],
  ['refundNo'],
  ['amount'],
  ['order'],
  ['order', 'merchantOrderNo'],
  ['order', 'gatewayOrderNo'],
  ['order', 'totalAmount'],
  ['order', 'paidAt'],
  ['order', 'payMethod'],
  ['reason'],
  ['notifyUrl'],
  ['gatewayOptions'],
  ['gatewayOptions', 'note'],
];

type Mutation =
  | { kind: 'set'; path: string[]; value: Json }
  | { kind: 'delete'; path: string[] }
  | { kind: 'addKey'; at: string[]; key: string; value: Json };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom(...FIELDS), value: hostileValue }),
  fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...FIELDS) }),
  fc.record({
    kind: fc.constant('addKey' as const),
    at: fc.constantFrom<string[]>([], ['order'], ['gatewayOptions'], ['gatewayOptions', 'nested']),
    key: hostileKey,
    value: hostileValue,
  }),
);

/** The container at `path` (made an object when it is not one), for a mutation to change. */
function containerAt(body: { [key: string]: Json }, path: string[]): { [key: string]: Json } {
  let current = body;
  for (const key of path) {
    const next = Object.prototype.hasOwnProperty.call(current, key) ? current[key] : undefined;
    if (next === null || typeof next !== 'object' || Array.isArray(next)) {
      const made: { [key: string]: Json } = {};
      Object.defineProperty(current, key, { value: made, enumerable: true, writable: true, configurable: true });
      current = made;
    } else current = next;
  }
  return current;
}

/** Sets an own property, even one named `__proto__`, the way JSON.parse would have made it. */
function setOwn(target: { [key: string]: Json }, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function mutate(base: { [key: string]: Json }, mutations: Mutation[]): Json {
  const body = structuredClone(base);
  for (const m of mutations) {
    if (m.kind === 'addKey') setOwn(containerAt(body, m.at), m.key, m.value);
    else {
      const parent = containerAt(body, m.path.slice(0, -1));
      const last = m.path[m.path.length - 1];
      if (m.kind === 'set') setOwn(parent, last, m.value);
      else delete parent[last];
    }
  }
  return body;
}

/** JSON text of a value; lone surrogates come out as `\udXXX` escapes, as a client would send them. */
function toJson(value: Json): string {
  return JSON.stringify(value);
}

const rawText: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 33, max: 20_000 }).map((depth) => `{"gatewayOptions":${'['.repeat(depth)}${']'.repeat(depth)}}`),
  fc.integer({ min: 33, max: 20_000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom('', ' ', 'null', '[]', '"x"', '{', '{"amount":}', '{"reason":"\\ud800"}', '{"__proto__":{"x":1}}'),
  fc.tuple(validBody, fc.nat()).map(([body, cut]) => {
    const text = toJson(body);
    return text.slice(0, cut % text.length);
  }),
);

const postBody: fc.Arbitrary<Attempt> = fc.oneof(
  {
    arbitrary: validBody.map((body) => ({ method: 'POST' as const, path: '/refunds', body: toJson(body) })),
    weight: 4,
  },
  {
    arbitrary: fc.tuple(validBody, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([body, mutations]) => ({
      method: 'POST' as const,
      path: '/refunds',
      body: toJson(mutate(body, mutations)),
    })),
    weight: 6,
  },
  {
    arbitrary: hostileValue.map((value) => ({ method: 'POST' as const, path: '/refunds', body: toJson(value) })),
    weight: 1,
  },
  { arbitrary: rawText.map((text) => ({ method: 'POST' as const, path: '/refunds', body: text })), weight: 2 },
);

const withContentType: fc.Arbitrary<Attempt> = fc
  .tuple(
    postBody,
    fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 12 },
      {
        arbitrary: fc.constantFrom('application/json; charset=utf-8', 'text/plain', 'application/xml', null),
        weight: 2,
      },
    ),
  )
  .map(([attempt, contentType]) => (contentType === undefined ? attempt : { ...attempt, contentType }));

// ---------------------------------------------------------------------------------------------
// Paths and queries
// ---------------------------------------------------------------------------------------------

/** Percent-encodes every UTF-16 unit; a lone surrogate becomes the bytes of its CESU-8 form, which are not UTF-8. */
function percentEncode(text: string): string {
  let out = '';
  for (const char of text) {
    if (/^[A-Za-z0-9_.~-]$/.test(char)) out += char;
    else {
      const unit = char.charCodeAt(0);
      const bytes =
        char.length === 1 && unit >= 0xd800 && unit <= 0xdfff
          ? [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
          : [...Buffer.from(char, 'utf8')];
      out += bytes.map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    }
  }
  return out;
}

const RAW_ESCAPES = ['%00', '%ED%A0%80', '%E0%A4%A', '%zz', '%', '%2F', '%C0%AF', '%FF'];

/** Stands for the id of a refund made earlier in the run, so that the routes also act on real refunds. */
const EXISTING = '@existing';

const segment: fc.Arbitrary<string> = fc.oneof(
  fc.constant(EXISTING),
  hostileString.map(percentEncode),
  fc.constantFrom(...RAW_ESCAPES),
  fc.constant('rf_0123456789abcdef0123456789abcdef'),
  fc.integer({ min: 90, max: 3_000 }).map((length) => 'a'.repeat(length)),
);

const FILTERS = [
  'gateway',
  'merchantId',
  'status',
  'merchantOrderNo',
  'needsAttention',
  'createdFrom',
  'createdTo',
  'cursor',
  'limit',
  'refundNo',
  'gatewayOrderNo',
  'order',
];

const query: fc.Arbitrary<Attempt> = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...FILTERS), fc.constantFrom(...PROTOTYPE_KEYS), hostileString.map(percentEncode)),
      fc.oneof(
        hostileString.map(percentEncode),
        fc.constantFrom(...DATES).map(percentEncode),
        fc.constantFrom(...RAW_ESCAPES, 'PROCESSING', 'true', '1', '200', '201', '-1', '1e2'),
      ),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => ({ method: 'GET' as const, path: `/refunds?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` }));

const idRoute: fc.Arbitrary<Attempt> = fc
  .tuple(segment, segment, fc.integer({ min: 0, max: 5 }))
  .map(([id, other, route]) => {
    switch (route) {
      case 0:
        return { method: 'GET' as const, path: `/refunds/${id}` };
      case 1:
        return { method: 'GET' as const, path: `/refunds/${id}/history` };
      case 2:
        return { method: 'POST' as const, path: `/refunds/${id}/sync` };
      case 3:
        return { method: 'GET' as const, path: `/refunds/${id}/webhooks` };
      case 4:
        return { method: 'GET' as const, path: `/refunds/${id}/exchanges` };
      default:
        return { method: 'POST' as const, path: `/refunds/${id}/webhooks/${other}/retry` };
    }
  });

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

/** How a failing attempt is printed: a body nested 20,000 deep would fill the screen. */
function shortly(attempt: Attempt): Attempt {
  const body = attempt.body === undefined ? '' : ` ${attempt.body.slice(0, 300)} (${attempt.body.length} characters)`;
  const type = attempt.contentType === undefined ? '' : ` [content-type ${String(attempt.contentType)}]`;
  const text = `${attempt.method} ${attempt.path.slice(0, 300)}${type}${body}`;
  return Object.assign(attempt, { [fc.toStringMethod]: () => text });
}

async function send(h: ApiHarness, attempt: Attempt): Promise<HttpAnswer> {
  const headers: Record<string, string> = { authorization: `Bearer ${KEYS.all}` };
  const contentType = attempt.contentType === undefined ? 'application/json' : attempt.contentType;
  if (attempt.body !== undefined && contentType !== null) headers['content-type'] = contentType;
  const response = await fetch(`${h.url}${attempt.path}`, {
    method: attempt.method,
    headers,
    // A string body would be sent as text/plain when no type is given; bytes are sent with none.
    body: attempt.body === undefined ? undefined : Buffer.from(attempt.body, 'utf8'),
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // checked below: every answer of the API is JSON
  }
  return { status: response.status, body, text, headers: response.headers };
}

/** Every order's balance, from the rows: reserved = not FAILED, refunded = SUCCEEDED, never above the total. */
async function expectBalancesHold(h: ApiHarness): Promise<void> {
  const em = h.app.get(MikroORM).em.fork();
  const orders = await em.find(RefundOrder, {});
  const refunds = await em.find(Refund, {});
  for (const order of orders) {
    const own = refunds.filter((refund) => refund.order.id === order.id);
    const reserved = own.filter((r) => r.status !== 'FAILED').reduce((sum, r) => sum + r.amount, 0);
    const refunded = own.filter((r) => r.status === 'SUCCEEDED').reduce((sum, r) => sum + r.amount, 0);
    expect({ order: order.orderRef, reserved: order.reservedAmount, refunded: order.refundedAmount }).toEqual({
      order: order.orderRef,
      reserved,
      refunded,
    });
    expect(order.refundedAmount).toBeLessThanOrEqual(order.reservedAmount);
    expect(order.reservedAmount).toBeLessThanOrEqual(order.totalAmount);
  }
}

async function checkOne(h: ApiHarness, created: string[], planned: Attempt): Promise<void> {
  const existing = created.length ? created[planned.path.length % created.length] : 'rf_none';
  const attempt = { ...planned, path: planned.path.split(EXISTING).join(existing) };
  const before = await h.rowCounts();
  const answer = await send(h, attempt);
  const context = `${attempt.method} ${attempt.path.slice(0, 200)} ${String(attempt.body).slice(0, 300)}`;

  expect({ context, status: answer.status }).toEqual({ context, status: expect.any(Number) });
  if (answer.status >= 500) throw new Error(`${answer.status} for ${context}: ${answer.text.slice(0, 500)}`);
  if (answer.status >= 400) {
    expect({ context, code: typeof answer.body.code, statusCode: answer.body.statusCode }).toEqual({
      context,
      code: 'string',
      statusCode: answer.status,
    });
    expect({ context, counts: await h.rowCounts() }).toEqual({ context, counts: before });
  } else if (attempt.method === 'POST' && attempt.path === '/refunds' && answer.status === 201) {
    // The identical request again is a replay, whatever its text held.
    const again = await send(h, attempt);
    expect({ context, status: again.status, id: again.body.id }).toEqual({ context, status: 200, id: answer.body.id });
    created.push(String(answer.body.id));
  }
  await expectBalancesHold(h);
}

for (const dialect of ['sqlite', 'postgresql'] as const) {
  describeWithDialect(dialect, 'Hostile input: no 5xx, no write without a 2xx, balances that add up', () => {
    let h: ApiHarness;
    const created: string[] = [];

    beforeAll(async () => {
      // No notifications: the sandbox's callbacks would write rows between a request and its count.
      h = await startApi(dialect, { notifications: false });
      for (const order of ORDERS) {
        h.sandbox.seedOrder({
          merchantId: MERCHANT,
          thirdOrderId: order.merchantOrderNo,
          leshuaOrderId: order.gatewayOrderNo,
          totalAmount: order.totalAmount,
        });
      }
    });

    afterAll(() => h.close());

    const settings = (offset: number): fc.Parameters<[Attempt]> => ({
      seed: SEED + offset,
      numRuns: RUNS,
      ...(PATH ? { path: PATH } : {}),
      // Shrinking re-sends requests; a few dozen steps find a small case without taking minutes.
      interruptAfterTimeLimit: 60_000,
    });

    it('answers random and hostile refund requests', async () => {
      await fc.assert(
        fc.asyncProperty(withContentType.map(shortly), (attempt) => checkOne(h, created, attempt)),
        settings(0),
      );
    }, 120_000);

    it('answers random and hostile filters and ids', async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(query, idRoute).map(shortly), (attempt) => checkOne(h, created, attempt)),
        settings(1),
      );
    }, 120_000);
  });
}
