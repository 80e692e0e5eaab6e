import { EventEmitter2 } from '@nestjs/event-emitter';

import { Refund } from '../../entities/refund.entity';
import { RefundHistory } from '../../entities/refund-history.entity';
import { RefundOrder } from '../../entities/refund-order.entity';
import {
  OrderConflictError,
  RefundConflictError,
  RefundExceedsBalanceError,
  RefundValidationError,
  UnknownGatewayError,
  UnknownMerchantError,
} from '../../errors';
import { RefundFailedEvent, RefundRequestedEvent, RefundSucceededEvent } from '../../events';
import type { RequestRefundCommand } from '../../refund/request-refund.command';
import { CoreHarness, createCoreHarness } from './core-harness';
import { FakeGateway } from '../fake-gateway';
import { TestDatabase, TestDialect, createTestDatabase, describeWithDialect } from './test-databases';

export function command(overrides: Partial<RequestRefundCommand> = {}): RequestRefundCommand {
  return {
    gateway: 'fake',
    merchantId: 'm1',
    refundNo: 'R1',
    amount: 100,
    order: { merchantOrderNo: 'T1', totalAmount: 300 },
    reason: 'returned',
    ...overrides,
  };
}

const notification = (body: object) => ({
  rawBody: Buffer.from(JSON.stringify(body)),
  contentType: 'application/json',
  headers: {},
});

/** The money rules of RefundService, run against a real database of the given dialect. */
export function refundServiceSuite(dialect: TestDialect): void {
  describeWithDialect(dialect, 'RefundService', () => {
    let db: TestDatabase;
    let h: CoreHarness;

    const start = async (gateway = new FakeGateway('fake'), gatewayCallTimeoutMs?: number) => {
      db = await createTestDatabase(dialect);
      h = await createCoreHarness(db.options, { gateway, gatewayCallTimeoutMs });
    };
    const order = async (ref = 'T1') => h.orm.em.fork().findOneOrFail(RefundOrder, { orderRef: ref });
    const count = (entity: typeof Refund | typeof RefundOrder | typeof RefundHistory) =>
      h.orm.em.fork().count(entity, {});

    afterEach(async () => {
      try {
        await h?.close();
      } finally {
        await db?.drop();
      }
    });

    describe('request', () => {
      beforeEach(() => start());

      it('records, reserves and submits a refund, then publishes RefundRequested', async () => {
        const { refund, created } = await h.refunds.request(command());
        expect(created).toBe(true);
        expect(refund).toMatchObject({
          status: 'PROCESSING',
          gatewayRefundNo: 'G-R1',
          attempts: 1,
          order: { merchantOrderNo: 'T1', totalAmount: 300, reservedAmount: 100, refundedAmount: 0 },
        });
        expect(h.gateway.submitted).toHaveLength(1);
        expect(h.gateway.submitted[0]).toMatchObject({
          refundNo: 'R1',
          amount: 100,
          gatewayNotifyUrl: 'https://refunds.example.com/notify/fake',
          attempt: 1,
        });
        expect(h.events.map((e) => e.constructor)).toEqual([RefundRequestedEvent]);
        expect(h.events[0].refund).toMatchObject({ refundId: refund.id, amount: 100, refundNo: 'R1' });
        expect(h.events[0].eventId).toMatch(/^[0-9a-f-]{36}$/);
      });

      it('returns the existing refund for a replay of the same request, without submitting again', async () => {
        const first = await h.refunds.request(command());
        const replay = await h.refunds.request(command());
        expect(replay.created).toBe(false);
        expect(replay.refund.id).toBe(first.refund.id);
        expect(h.gateway.submitted).toHaveLength(1);
        expect(await count(Refund)).toBe(1);
        expect((await order()).reservedAmount).toBe(100);
      });

      it('replays a request whose order has no balance left, rather than refusing it', async () => {
        const whole = command({ amount: 300 });
        const first = await h.refunds.request(whole);
        const replay = await h.refunds.request(whole);
        expect(replay).toMatchObject({ created: false, refund: { id: first.refund.id } });
        await expect(h.refunds.request(command({ refundNo: 'R2', amount: 1 }))).rejects.toBeInstanceOf(
          RefundExceedsBalanceError,
        );
        expect((await order()).reservedAmount).toBe(300);
        expect(h.gateway.submitted).toHaveLength(1);
      });

      it.each([
        ['amount', { amount: 99 }],
        ['order.totalAmount', { order: { merchantOrderNo: 'T1', totalAmount: 301 } }],
        ['order.merchantOrderNo', { order: { merchantOrderNo: 'T2', totalAmount: 300 } }],
        ['reason', { reason: 'other' }],
      ])('answers a reuse of the refund number with a different %s as a conflict', async (field, change) => {
        await h.refunds.request(command());
        const attempt = h.refunds.request(command(change as Partial<RequestRefundCommand>));
        await expect(attempt).rejects.toBeInstanceOf(RefundConflictError);
        await expect(attempt).rejects.toMatchObject({ differences: expect.arrayContaining([field]) });
        expect(await count(Refund)).toBe(1);
        expect(h.gateway.submitted).toHaveLength(1);
      });

      it('refuses a refund above the refundable balance and says how much is left', async () => {
        await h.refunds.request(command({ refundNo: 'R1', amount: 250 }));
        const attempt = h.refunds.request(command({ refundNo: 'R2', amount: 60 }));
        await expect(attempt).rejects.toBeInstanceOf(RefundExceedsBalanceError);
        await expect(attempt).rejects.toMatchObject({ requested: 60, refundable: 50 });
        expect(await count(Refund)).toBe(1);
      });

      it('refuses a second total for an order already recorded', async () => {
        await h.refunds.request(command({ refundNo: 'R1' }));
        await expect(
          h.refunds.request(command({ refundNo: 'R2', order: { merchantOrderNo: 'T1', totalAmount: 500 } })),
        ).rejects.toBeInstanceOf(OrderConflictError);
      });

      it.each([
        ['zero amount', { amount: 0 }, 'amount'],
        ['negative amount', { amount: -5 }, 'amount'],
        ['fractional amount', { amount: 1.5 }, 'amount'],
        ['string amount', { amount: '100' as unknown as number }, 'amount'],
        ['amount over the order total', { amount: 301 }, 'amount'],
        ['no order reference', { order: { totalAmount: 300 } }, 'order'],
        ['an empty refund number', { refundNo: '' }, 'refundNo'],
        ['a refund number over the gateway limit', { refundNo: 'R'.repeat(65) }, 'refundNo'],
      ])('rejects %s with a field problem and writes nothing', async (_name, change, field) => {
        const attempt = h.refunds.request(command(change as Partial<RequestRefundCommand>));
        await expect(attempt).rejects.toBeInstanceOf(RefundValidationError);
        await expect(attempt).rejects.toMatchObject({
          problems: expect.arrayContaining([expect.objectContaining({ field })]),
        });
        expect(await count(Refund)).toBe(0);
        expect(await count(RefundOrder)).toBe(0);
        expect(h.gateway.submitted).toHaveLength(0);
      });

      it('rejects an unknown gateway or merchant and writes nothing', async () => {
        await expect(h.refunds.request(command({ gateway: 'nope' }))).rejects.toBeInstanceOf(UnknownGatewayError);
        await expect(h.refunds.request(command({ merchantId: 'm9' }))).rejects.toBeInstanceOf(UnknownMerchantError);
        expect(await count(Refund)).toBe(0);
      });
    });

    describe('concurrency', () => {
      beforeEach(() => start());

      it('accepts exactly 30 of 50 concurrent 10-fen refunds against a 300-fen order', async () => {
        const results = await Promise.allSettled(
          Array.from({ length: 50 }, (_, i) => h.refunds.request(command({ refundNo: `C${i}`, amount: 10 }))),
        );
        const accepted = results.filter((r) => r.status === 'fulfilled');
        const refused = results.filter((r) => r.status === 'rejected');
        expect(accepted).toHaveLength(30);
        expect(refused).toHaveLength(20);
        for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(RefundExceedsBalanceError);
        expect((await order()).reservedAmount).toBe(300);
        expect(await count(Refund)).toBe(30);
        expect(h.gateway.submitted).toHaveLength(30);
      });

      it('creates one refund for 20 concurrent identical requests and replays the rest', async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, () => h.refunds.request(command({ amount: 300 }))),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.refund.id)).size).toBe(1);
        expect(h.gateway.submitted).toHaveLength(1);
        expect((await order()).reservedAmount).toBe(300);
      });
    });

    describe('outcomes', () => {
      it('makes a definite gateway refusal FAILED, releases the reservation and publishes RefundFailed', async () => {
        await start(
          new FakeGateway('fake').onSubmit({
            kind: 'failed',
            rawStatus: 'REFUSED',
            code: 'E42',
            message: 'order closed',
          }),
        );
        const { refund } = await h.refunds.request(command());
        expect(refund).toMatchObject({ status: 'FAILED', failure: { code: 'E42', message: 'order closed' } });
        expect(refund.order.reservedAmount).toBe(0);
        expect(refund.finishedAt).not.toBeNull();
        const failed = h.events.filter((e) => e instanceof RefundFailedEvent) as RefundFailedEvent[];
        expect(failed).toHaveLength(1);
        expect(failed[0]).toMatchObject({ code: 'E42', message: 'order closed' });
        // the released amount is refundable again
        await expect(h.refunds.request(command({ refundNo: 'R2', amount: 300 }))).resolves.toMatchObject({
          created: true,
        });
      });

      it.each([
        [
          'an unknown outcome',
          { kind: 'unknown' as const, reason: 'http_5xx' as const, detail: 'fake answered HTTP 502' },
        ],
      ])('keeps the reservation and marks UNKNOWN on %s', async (_name, outcome) => {
        await start(new FakeGateway('fake').onSubmit(outcome));
        const { refund } = await h.refunds.request(command());
        expect(refund.status).toBe('UNKNOWN');
        expect(refund.order.reservedAmount).toBe(100);
        expect(refund.failure).toEqual({ code: 'HTTP_5XX', message: 'fake answered HTTP 502' });
        expect(h.events.filter((e) => e instanceof RefundFailedEvent)).toHaveLength(0);
      });

      it('treats an adapter that throws as UNKNOWN, never FAILED', async () => {
        await start(new FakeGateway('fake').onSubmit(async () => Promise.reject(new Error('socket hang up'))));
        const { refund } = await h.refunds.request(command());
        expect(refund.status).toBe('UNKNOWN');
        expect(refund.order.reservedAmount).toBe(100);
      });

      it('treats a call past the port timeout as UNKNOWN', async () => {
        await start(
          new FakeGateway('fake').onSubmit(() => new Promise(() => undefined)),
          50,
        );
        const { refund } = await h.refunds.request(command());
        expect(refund).toMatchObject({ status: 'UNKNOWN', failure: { code: 'TIMEOUT' } });
      });

      it('settles an UNKNOWN refund by query, and resubmits with the same refund number when the gateway never got it', async () => {
        const gateway = new FakeGateway('fake')
          .onSubmit({ kind: 'unknown', reason: 'timeout', detail: 'no answer within 10000 ms' })
          .onQuery({ kind: 'not_found', code: 'NO_SUCH_REFUND', message: 'refund not found' })
          .onQuery({ kind: 'succeeded', rawStatus: 'DONE', finishedAt: new Date('2026-01-05T05:00:00Z') });
        await start(gateway);
        const { refund } = await h.refunds.request(command());
        expect(refund.status).toBe('UNKNOWN');

        const resubmitted = await h.refunds.sync(refund.id);
        expect(resubmitted).toMatchObject({ status: 'PROCESSING', attempts: 2 });
        expect(gateway.submitted.map((s) => [s.refundNo, s.attempt])).toEqual([
          ['R1', 1],
          ['R1', 2],
        ]);

        const done = await h.refunds.sync(refund.id);
        expect(done).toMatchObject({ status: 'SUCCEEDED', finishedAt: '2026-01-05T05:00:00.000Z' });
        expect(done.order).toMatchObject({ refundedAmount: 100, reservedAmount: 100 });
        expect(h.events.filter((e) => e instanceof RefundSucceededEvent)).toHaveLength(1);
        const history = await h.refunds.history(refund.id);
        expect(history.map((e) => [e.from, e.to, e.source])).toEqual([
          [null, 'REQUESTED', 'request'],
          ['REQUESTED', 'UNKNOWN', 'submit'],
          ['UNKNOWN', 'PROCESSING', 'resubmit'],
          ['PROCESSING', 'SUCCEEDED', 'query'],
        ]);
      });

      it('never moves a PROCESSING refund back to UNKNOWN', async () => {
        await start(
          new FakeGateway('fake').onQuery({ kind: 'unknown', reason: 'bad_signature', detail: 'wrong signature' }),
        );
        const { refund } = await h.refunds.request(command());
        await expect(h.refunds.sync(refund.id)).resolves.toMatchObject({ status: 'PROCESSING' });
      });

      it('keeps final states final: a conflicting notification is recorded, not applied', async () => {
        await start(new FakeGateway('fake').onQuery({ kind: 'succeeded', rawStatus: 'DONE' }));
        const { refund } = await h.refunds.request(command());
        await h.refunds.sync(refund.id);
        const answer = await h.refunds.handleNotification(
          'fake',
          notification({ merchantId: 'm1', refundNo: 'R1', status: 'failed', amount: 100, sign: 'valid' }),
        );
        expect(answer.body).toBe('OK R1');
        const after = await h.refunds.get(refund.id);
        expect(after.status).toBe('SUCCEEDED');
        expect(after.order.reservedAmount).toBe(100);
        expect(h.events.filter((e) => e instanceof RefundFailedEvent)).toHaveLength(0);
        const history = await h.refunds.history(refund.id);
        expect(history[history.length - 1]).toMatchObject({
          from: 'SUCCEEDED',
          to: 'FAILED',
          source: 'notify',
          applied: false,
        });
      });

      it('publishes events only after the change is committed', async () => {
        await start(new FakeGateway('fake').onQuery({ kind: 'succeeded', rawStatus: 'DONE' }));
        const seen: string[] = [];
        h.app.get(EventEmitter2).on('refund.succeeded', async (e: RefundSucceededEvent) => {
          const row = await h.orm.em.fork().findOneOrFail(Refund, e.refund.refundId);
          seen.push(row.status);
        });
        const { refund } = await h.refunds.request(command());
        await h.refunds.sync(refund.id);
        expect(seen).toEqual(['SUCCEEDED']);
      });
    });

    describe('notifications', () => {
      beforeEach(() => start());

      it('applies a verified notification once; a replay changes nothing', async () => {
        const { refund } = await h.refunds.request(command());
        const body = { merchantId: 'm1', refundNo: 'R1', status: 'succeeded', amount: 100, sign: 'valid' };
        expect((await h.refunds.handleNotification('fake', notification(body))).body).toBe('OK R1');
        expect((await h.refunds.handleNotification('fake', notification(body))).body).toBe('OK R1');
        expect((await h.refunds.get(refund.id)).status).toBe('SUCCEEDED');
        expect(h.events.filter((e) => e instanceof RefundSucceededEvent)).toHaveLength(1);
        expect((await h.refunds.history(refund.id)).filter((e) => e.source === 'notify')).toHaveLength(1);
      });

      it('rejects a forged notification and changes nothing', async () => {
        const { refund } = await h.refunds.request(command());
        const answer = await h.refunds.handleNotification(
          'fake',
          notification({ merchantId: 'm1', refundNo: 'R1', status: 'succeeded', amount: 100, sign: 'forged' }),
        );
        expect(answer).toMatchObject({ status: 400, body: 'FAIL' });
        expect((await h.refunds.get(refund.id)).status).toBe('PROCESSING');
        expect(await h.refunds.history(refund.id)).toHaveLength(2);
      });

      it('queries the refund a forged notification names at the next round, and only brings it forward', async () => {
        const { refund } = await h.refunds.request(command());
        const before = await h.orm.em.fork().findOneOrFail(Refund, refund.id);
        expect(before.nextSyncAt!.getTime()).toBeGreaterThan(h.clock.now().getTime());
        await h.refunds.handleNotification(
          'fake',
          notification({ merchantId: 'm1', refundNo: 'R1', status: 'succeeded', amount: 100, sign: 'forged' }),
        );
        const after = await h.orm.em.fork().findOneOrFail(Refund, refund.id);
        expect(after.nextSyncAt!.getTime()).toBe(h.clock.now().getTime());
        expect(after.status).toBe('PROCESSING');
        h.gateway.onQuery({ kind: 'succeeded', rawStatus: 'DONE' });
        await h.sync.runOnce();
        expect((await h.refunds.get(refund.id)).status).toBe('SUCCEEDED');
      });

      it('leaves a final refund alone when a forged notification names it', async () => {
        h.gateway.onSubmit({ kind: 'failed', code: 'NOPE', message: 'refused' });
        const { refund } = await h.refunds.request(command());
        await h.refunds.handleNotification(
          'fake',
          notification({ merchantId: 'm1', refundNo: 'R1', status: 'succeeded', amount: 100, sign: 'forged' }),
        );
        const after = await h.orm.em.fork().findOneOrFail(Refund, refund.id);
        expect(after.status).toBe('FAILED');
        expect(after.nextSyncAt).toBeNull();
      });

      it('does not apply a notification whose amount differs, and records it', async () => {
        const { refund } = await h.refunds.request(command());
        const answer = await h.refunds.handleNotification(
          'fake',
          notification({ merchantId: 'm1', refundNo: 'R1', status: 'succeeded', amount: 999, sign: 'valid' }),
        );
        expect(answer.body).toBe('FAIL');
        expect((await h.refunds.get(refund.id)).status).toBe('PROCESSING');
        const history = await h.refunds.history(refund.id);
        expect(history[history.length - 1]).toMatchObject({ applied: false, to: 'SUCCEEDED' });
        expect(history[history.length - 1].message).toContain('999');
      });

      it('stores a long failure clean: the first 512 characters of the message, 64 of the code, never half of one', async () => {
        const { refund } = await h.refunds.request(command());
        // Leshua's case: failure_reason of 255 × 退 and 300 × 😀 (each emoji two UTF-16 units).
        const message = '退'.repeat(255) + '😀'.repeat(300);
        const code = `${'码'.repeat(63)}😀😀`;
        const rawStatus = `1${'😀'.repeat(100)}`;
        const answer = await h.refunds.handleNotification(
          'fake',
          notification({
            merchantId: 'm1',
            refundNo: 'R1',
            status: 'failed',
            amount: 100,
            sign: 'valid',
            message,
            code,
            rawStatus,
          }),
        );
        expect(answer.body).toBe('OK R1');

        const keptMessage = '退'.repeat(255) + '😀'.repeat(257);
        const keptCode = `${'码'.repeat(63)}😀`;
        const keptStatus = `1${'😀'.repeat(63)}`;
        const after = await h.refunds.get(refund.id);
        expect(after).toMatchObject({
          status: 'FAILED',
          failure: { code: keptCode, message: keptMessage },
          gatewayStatus: keptStatus,
        });
        expect(Array.from(after.failure!.message)).toHaveLength(512);
        expect(after.failure!.message).not.toContain('\ufffd');
        expect(after.order.reservedAmount).toBe(0);
        const last = (await h.refunds.history(refund.id)).at(-1);
        expect(last).toMatchObject({
          source: 'notify',
          from: 'PROCESSING',
          to: 'FAILED',
          applied: true,
          gatewayStatus: keptStatus,
          code: keptCode,
          message: keptMessage,
        });
        // The event carries what the gateway said, uncut.
        const failed = h.events.filter((e) => e instanceof RefundFailedEvent) as RefundFailedEvent[];
        expect(failed).toHaveLength(1);
        expect(failed[0]).toMatchObject({ code, message });
      });

      it('answers unknown_refund for a verified notification about a refund it does not have', async () => {
        const answer = await h.refunds.handleNotification(
          'fake',
          notification({ merchantId: 'm1', refundNo: 'NOPE', status: 'succeeded', sign: 'valid' }),
        );
        expect(answer.body).toBe('FAIL');
      });
    });

    describe('list', () => {
      beforeEach(() => start());

      it('pages newest first with a cursor and keeps to the caller scope', async () => {
        for (let i = 0; i < 5; i++) {
          h.clock.advance(1000);
          await h.refunds.request(command({ refundNo: `L${i}`, amount: 10 }));
        }
        await h.refunds.request(command({ merchantId: 'm2', refundNo: 'OTHER', amount: 10 }));
        const first = await h.refunds.list({ limit: 2 }, ['fake:m1']);
        expect(first.items.map((r) => r.refundNo)).toEqual(['L4', 'L3']);
        const second = await h.refunds.list({ limit: 2, cursor: first.nextCursor! }, ['fake:m1']);
        expect(second.items.map((r) => r.refundNo)).toEqual(['L2', 'L1']);
        const third = await h.refunds.list({ limit: 2, cursor: second.nextCursor! }, ['fake:m1']);
        expect(third.items.map((r) => r.refundNo)).toEqual(['L0']);
        expect(third.nextCursor).toBeNull();
        const all = await h.refunds.list({}, '*');
        expect(all.items).toHaveLength(6);
        const byStatus = await h.refunds.list({ status: 'FAILED' }, '*');
        expect(byStatus.items).toHaveLength(0);
        await expect(h.refunds.list({ cursor: 'bogus' }, '*')).rejects.toBeInstanceOf(RefundValidationError);
      });
    });

    describe('sync loop', () => {
      beforeEach(() =>
        start(
          new FakeGateway('fake').onQuery(
            { kind: 'processing', rawStatus: 'ACCEPTED' },
            { kind: 'succeeded', rawStatus: 'DONE' },
          ),
        ),
      );

      it('syncs refunds only when due, backing off between tries, until final', async () => {
        const { refund } = await h.refunds.request(command());
        expect(await h.sync.runOnce()).toMatchObject({ due: 0 });
        h.clock.advance(5_000);
        expect(await h.sync.runOnce()).toMatchObject({ due: 1, finished: 0 });
        h.clock.advance(5_000);
        expect(await h.sync.runOnce()).toMatchObject({ due: 0 });
        h.clock.advance(5_000);
        expect(await h.sync.runOnce()).toMatchObject({ due: 1, finished: 1 });
        expect((await h.refunds.get(refund.id)).status).toBe('SUCCEEDED');
        h.clock.advance(86_400_000);
        expect(await h.sync.runOnce()).toMatchObject({ due: 0 });
        expect(h.gateway.queried).toHaveLength(2);
      });
    });
  });
}
