import { Client } from 'pg';

import { RefundHistory } from '../../entities/refund-history.entity';
import { RefundOrderRef } from '../../entities/refund-order-ref.entity';
import { RefundOrder } from '../../entities/refund-order.entity';
import { RefundOutbox } from '../../entities/refund-outbox.entity';
import { Refund } from '../../entities/refund.entity';
import {
  OrderConflictError,
  OrderReferenceConflictError,
  RefundConflictError,
  RefundExceedsBalanceError,
} from '../../errors';
import { RefundNeedsAttentionEvent } from '../../events';
import type { GatewayOrderFacts, GatewayOutcome } from '../../gateway/refund-gateway.port';
import type { RequestRefundCommand } from '../../refund/request-refund.command';
import { FakeGateway } from '../fake-gateway';
import { waitUntil } from '../wait-until';
import { CoreHarness, createCoreHarness } from './core-harness';
import { command } from './refund-service.suite';
import { TestDatabase, TestDialect, createTestDatabase, describeWithDialect } from './test-databases';

/** A request naming its 300-fen order by exactly these numbers. */
function naming(
  refs: { merchantOrderNo?: string; gatewayOrderNo?: string },
  overrides: Partial<RequestRefundCommand> & { totalAmount?: number } = {},
): RequestRefundCommand {
  const { totalAmount = 300, ...rest } = overrides;
  return command({ ...rest, order: { ...refs, totalAmount } });
}

/** A gateway acceptance that names the order as the gateway knows it. */
const accepted = (order?: GatewayOrderFacts): GatewayOutcome => ({
  kind: 'processing',
  rawStatus: 'ACCEPTED',
  ...(order ? { order } : {}),
});

/** One balance per order, however a request or a gateway's answer names it. */
export function orderReferencesSuite(dialect: TestDialect): void {
  describeWithDialect(dialect, 'RefundService: one order however it is named', () => {
    let db: TestDatabase;
    let h: CoreHarness;

    const start = async (gateway = new FakeGateway('fake')) => {
      db = await createTestDatabase(dialect);
      h = await createCoreHarness(db.options, { gateway });
    };
    const em = () => h.orm.em.fork();
    const rows = async () => ({
      refunds: await em().count(Refund, {}),
      orders: await em().count(RefundOrder, {}),
      references: await em().count(RefundOrderRef, {}),
      history: await em().count(RefundHistory, {}),
      outbox: await em().count(RefundOutbox, {}),
    });
    const references = async (merchantId = 'm1') =>
      (await em().find(RefundOrderRef, { merchantId }, { orderBy: { kind: 'asc', value: 'asc' } })).map((ref) => ({
        kind: ref.kind,
        value: ref.value,
        order: ref.order.id,
        source: ref.source,
      }));
    const orderOf = async (refundId: string) =>
      (await em().findOneOrFail(Refund, refundId, { populate: ['order'] })).order;
    const flagged = () => h.events.filter((e) => e instanceof RefundNeedsAttentionEvent) as RefundNeedsAttentionEvent[];

    afterEach(async () => {
      try {
        await h?.close();
      } finally {
        await db?.drop();
      }
    });

    describe('requests', () => {
      beforeEach(() => start());

      it('finds the order by either number once a request gave both', async () => {
        const first = await h.refunds.request(
          naming({ merchantOrderNo: 'T1', gatewayOrderNo: 'G1' }, { refundNo: 'R1' }),
        );
        const byGateway = h.refunds.request(naming({ gatewayOrderNo: 'G1' }, { refundNo: 'R2', amount: 250 }));
        await expect(byGateway).rejects.toBeInstanceOf(RefundExceedsBalanceError);
        await expect(byGateway).rejects.toMatchObject({ requested: 250, refundable: 200 });
        const byMerchant = h.refunds.request(naming({ merchantOrderNo: 'T1' }, { refundNo: 'R3', amount: 250 }));
        await expect(byMerchant).rejects.toMatchObject({ refundable: 200 });

        const rest = await h.refunds.request(naming({ gatewayOrderNo: 'G1' }, { refundNo: 'R4', amount: 200 }));
        expect(rest.refund.order).toMatchObject({ reservedAmount: 300, totalAmount: 300 });
        expect((await orderOf(rest.refund.id)).id).toBe((await orderOf(first.refund.id)).id);
        expect(await rows()).toMatchObject({ refunds: 2, orders: 1, references: 2 });
        expect(h.gateway.submitted.map((s) => s.refundNo)).toEqual(['R1', 'R4']);
      });

      it('links a new number given beside a known one to that order, in the same reservation', async () => {
        const first = await h.refunds.request(naming({ merchantOrderNo: 'T1' }, { refundNo: 'R1' }));
        await h.refunds.request(naming({ merchantOrderNo: 'T1', gatewayOrderNo: 'G1' }, { refundNo: 'R2' }));
        const orderId = (await orderOf(first.refund.id)).id;
        expect(await references()).toEqual([
          { kind: 'gateway', value: 'G1', order: orderId, source: 'request' },
          { kind: 'merchant', value: 'T1', order: orderId, source: 'request' },
        ]);
        expect(await orderOf(first.refund.id)).toMatchObject({ merchantOrderNo: 'T1', gatewayOrderNo: 'G1' });
        await expect(
          h.refunds.request(naming({ gatewayOrderNo: 'G1' }, { refundNo: 'R3', amount: 150 })),
        ).rejects.toMatchObject({ refundable: 100 });
      });

      it('refuses numbers of two recorded orders with ORDER_REFERENCE_CONFLICT naming both, and writes and sends nothing', async () => {
        await h.refunds.request(naming({ merchantOrderNo: 'T1' }, { refundNo: 'R1' }));
        await h.refunds.request(
          naming({ merchantOrderNo: 'T2', gatewayOrderNo: 'G2' }, { refundNo: 'R2', totalAmount: 500 }),
        );
        const before = await rows();

        const mixed = h.refunds.request(naming({ merchantOrderNo: 'T1', gatewayOrderNo: 'G2' }, { refundNo: 'R3' }));
        await expect(mixed).rejects.toBeInstanceOf(OrderReferenceConflictError);
        await expect(mixed).rejects.toMatchObject({
          code: 'ORDER_REFERENCE_CONFLICT',
          references: [
            {
              field: 'order.merchantOrderNo',
              value: 'T1',
              order: { merchantOrderNo: 'T1', gatewayOrderNo: null, totalAmount: 300 },
            },
            {
              field: 'order.gatewayOrderNo',
              value: 'G2',
              order: { merchantOrderNo: 'T2', gatewayOrderNo: 'G2', totalAmount: 500 },
            },
          ],
        });
        expect(await rows()).toEqual(before);
        expect(h.gateway.submitted.map((s) => s.refundNo)).toEqual(['R1', 'R2']);
      });

      it('refuses a new number given with another total (ORDER_CONFLICT) and links nothing', async () => {
        await h.refunds.request(naming({ merchantOrderNo: 'T1' }, { refundNo: 'R1' }));
        const before = await rows();
        const attempt = h.refunds.request(
          naming({ merchantOrderNo: 'T1', gatewayOrderNo: 'G1' }, { refundNo: 'R2', totalAmount: 500 }),
        );
        await expect(attempt).rejects.toBeInstanceOf(OrderConflictError);
        await expect(attempt).rejects.toMatchObject({ recordedTotal: 300, requestedTotal: 500 });
        expect(await rows()).toEqual(before);
        expect(await references()).toEqual([expect.objectContaining({ kind: 'merchant', value: 'T1' })]);
      });

      it('keeps merchants apart: the same numbers are other orders, and a conflict names only the caller merchant orders', async () => {
        await h.refunds.request(
          naming({ merchantOrderNo: 'T1', gatewayOrderNo: 'G1' }, { refundNo: 'R1', amount: 300 }),
        );
        const other = { merchantId: 'm2' };
        await h.refunds.request(naming({ merchantOrderNo: 'T1' }, { ...other, refundNo: 'R1', totalAmount: 400 }));
        await h.refunds.request(naming({ gatewayOrderNo: 'G1' }, { ...other, refundNo: 'R2', totalAmount: 500 }));
        const attempt = h.refunds.request(
          naming({ merchantOrderNo: 'T1', gatewayOrderNo: 'G1' }, { ...other, refundNo: 'R3', totalAmount: 400 }),
        );
        await expect(attempt).rejects.toMatchObject({
          references: [
            { value: 'T1', order: { merchantOrderNo: 'T1', gatewayOrderNo: null, totalAmount: 400 } },
            { value: 'G1', order: { merchantOrderNo: null, gatewayOrderNo: 'G1', totalAmount: 500 } },
          ],
        });
        expect(await rows()).toMatchObject({ refunds: 3, orders: 3 });
      });

      it('replays the same request, and refuses the same refund number naming the order otherwise', async () => {
        const both = naming({ merchantOrderNo: 'T1', gatewayOrderNo: 'G1' }, { refundNo: 'R1' });
        const first = await h.refunds.request(both);
        const replay = await h.refunds.request(both);
        expect(replay).toMatchObject({ created: false, refund: { id: first.refund.id } });
        const renamed = h.refunds.request(naming({ gatewayOrderNo: 'G1' }, { refundNo: 'R1' }));
        await expect(renamed).rejects.toBeInstanceOf(RefundConflictError);
        await expect(renamed).rejects.toMatchObject({ differences: ['order.merchantOrderNo'] });
        expect(h.gateway.submitted).toHaveLength(1);
      });

      it('does not link two numbers never seen together: each is an order of its own, as documented', async () => {
        await h.refunds.request(naming({ merchantOrderNo: 'T1' }, { refundNo: 'R1', amount: 200 }));
        await h.refunds.request(naming({ gatewayOrderNo: 'G1' }, { refundNo: 'R2', amount: 200 }));
        expect(await rows()).toMatchObject({ refunds: 2, orders: 2 });
      });
    });

    describe("a gateway's answer", () => {
      it('links the numbers a submission answer reveals: a request naming only the other one finds the balance', async () => {
        await start(
          new FakeGateway('fake').onSubmit(accepted({ merchantOrderNo: 'T1', gatewayOrderNo: 'G1', totalAmount: 300 })),
        );
        const first = await h.refunds.request(naming({ merchantOrderNo: 'T1' }, { refundNo: 'R1' }));
        expect(first.refund).toMatchObject({
          status: 'PROCESSING',
          needsAttention: null,
          order: { merchantOrderNo: 'T1', gatewayOrderNo: 'G1' },
        });
        const orderId = (await orderOf(first.refund.id)).id;
        expect(await references()).toEqual([
          { kind: 'gateway', value: 'G1', order: orderId, source: 'gateway' },
          { kind: 'merchant', value: 'T1', order: orderId, source: 'request' },
        ]);
        await expect(
          h.refunds.request(naming({ gatewayOrderNo: 'G1' }, { refundNo: 'R2', amount: 250 })),
        ).rejects.toMatchObject({ refundable: 200 });
      });

      it('links what a query reveals, and the refund settles as the gateway says', async () => {
        await start(
          new FakeGateway('fake').onQuery({
            kind: 'succeeded',
            rawStatus: 'DONE',
            order: { merchantOrderNo: 'T1', gatewayOrderNo: 'G1', totalAmount: 300 },
          }),
        );
        const { refund } = await h.refunds.request(naming({ gatewayOrderNo: 'G1' }, { refundNo: 'R1' }));
        const synced = await h.refunds.sync(refund.id);
        expect(synced).toMatchObject({ status: 'SUCCEEDED', order: { refundedAmount: 100 }, needsAttention: null });
        expect(await references()).toEqual([
          expect.objectContaining({ kind: 'gateway', value: 'G1', source: 'request' }),
          expect.objectContaining({ kind: 'merchant', value: 'T1', source: 'gateway' }),
        ]);
      });

      it('flags a number of another recorded order: nothing linked, nothing counted as refunded, one event', async () => {
        const answer = (): GatewayOutcome => ({
          kind: 'succeeded',
          rawStatus: 'DONE',
          order: { merchantOrderNo: 'T1', gatewayOrderNo: 'G1', totalAmount: 300 },
        });
        await start(new FakeGateway('fake').onQuery(answer(), answer()));
        const { refund } = await h.refunds.request(naming({ merchantOrderNo: 'T1' }, { refundNo: 'R1' }));
        await h.refunds.request(naming({ gatewayOrderNo: 'G1' }, { refundNo: 'R2', amount: 50 }));
        const before = await references();

        const synced = await h.refunds.sync(refund.id);
        expect(synced).toMatchObject({
          status: 'PROCESSING',
          needsAttention: { reason: 'order_reference_conflict' },
          gatewayStatus: 'DONE',
          order: { reservedAmount: 100, refundedAmount: 0 },
          finishedAt: null,
        });
        expect(await references()).toEqual(before);
        expect(flagged()).toEqual([
          expect.objectContaining({
            reason: 'order_reference_conflict',
            message: expect.stringContaining('gateway order number G1, which belongs to another recorded order'),
          }),
        ]);
        const last = (await h.refunds.history(refund.id)).at(-1);
        expect(last).toMatchObject({ code: 'ORDER_REFERENCE_CONFLICT', gatewayStatus: 'DONE', to: 'PROCESSING' });

        // The same answer again changes nothing and says nothing twice.
        await h.refunds.sync(refund.id);
        expect(flagged()).toHaveLength(1);
        expect((await orderOf(refund.id)).refundedAmount).toBe(0);
      });

      it('flags another total: nothing linked', async () => {
        await start(
          new FakeGateway('fake').onSubmit(accepted({ merchantOrderNo: 'T1', gatewayOrderNo: 'G1', totalAmount: 500 })),
        );
        const { refund } = await h.refunds.request(naming({ merchantOrderNo: 'T1' }, { refundNo: 'R1' }));
        expect(refund).toMatchObject({
          status: 'PROCESSING',
          needsAttention: { reason: 'order_reference_conflict' },
          order: { totalAmount: 300, reservedAmount: 100 },
        });
        expect(flagged()[0].message).toContain('order total of 500 fen; the order is recorded with 300 fen');
        expect(await references()).toEqual([expect.objectContaining({ value: 'T1' })]);
      });

      it('flags another number than the request gave, and still links the numbers the gateway refunded under', async () => {
        await start(
          new FakeGateway('fake').onSubmit(accepted({ merchantOrderNo: 'T1', gatewayOrderNo: 'G1', totalAmount: 300 })),
        );
        const { refund } = await h.refunds.request(
          naming({ merchantOrderNo: 'ALIAS1', gatewayOrderNo: 'G1' }, { refundNo: 'R1', amount: 250 }),
        );
        expect(refund.needsAttention).toMatchObject({ reason: 'order_reference_conflict' });
        expect(flagged()[0].message).toContain('merchant order number T1, but the refund was requested with ALIAS1');
        expect((await references()).map((ref) => ref.value)).toEqual(['G1', 'ALIAS1', 'T1']);
        await expect(
          h.refunds.request(naming({ merchantOrderNo: 'T1' }, { refundNo: 'R2', amount: 200 })),
        ).rejects.toMatchObject({ refundable: 50 });
      });

      it('applies a definite failure that contradicts the order: FAILED, money released, not flagged', async () => {
        await start(
          new FakeGateway('fake')
            .onSubmit(accepted())
            .onSubmit(accepted())
            .onSubmit({
              kind: 'failed',
              code: 'REFUSED',
              message: 'order closed',
              order: { merchantOrderNo: 'T1', gatewayOrderNo: 'G1', totalAmount: 300 },
            }),
        );
        await h.refunds.request(naming({ gatewayOrderNo: 'G1' }, { refundNo: 'R0', amount: 10 }));
        await h.refunds.request(naming({ merchantOrderNo: 'T1' }, { refundNo: 'R1' }));
        const { refund } = await h.refunds.request(naming({ merchantOrderNo: 'T1' }, { refundNo: 'R2' }));
        expect(refund).toMatchObject({ status: 'FAILED', needsAttention: null, order: { reservedAmount: 100 } });
        expect(flagged()).toEqual([]);
      });

      it('keeps no number too long for its column, and does not flag for it', async () => {
        await start(
          new FakeGateway('fake').onSubmit(accepted({ merchantOrderNo: 'T1', gatewayOrderNo: 'G'.repeat(65) })),
        );
        const { refund } = await h.refunds.request(naming({ merchantOrderNo: 'T1' }, { refundNo: 'R1' }));
        expect(refund).toMatchObject({ status: 'PROCESSING', needsAttention: null });
        expect(await rows()).toMatchObject({ references: 1 });
      });

      it('flags the refund of an order first named two ways apart once the gateway reveals they are one', async () => {
        await start(
          new FakeGateway('fake').onSubmit(accepted(), accepted()).onQuery({
            kind: 'processing',
            rawStatus: 'ACCEPTED',
            order: { merchantOrderNo: 'T1', gatewayOrderNo: 'G1' },
          }),
        );
        const { refund } = await h.refunds.request(naming({ merchantOrderNo: 'T1' }, { refundNo: 'R1', amount: 200 }));
        await h.refunds.request(naming({ gatewayOrderNo: 'G1' }, { refundNo: 'R2', amount: 200 }));
        const synced = await h.refunds.sync(refund.id);
        expect(synced).toMatchObject({ status: 'PROCESSING', needsAttention: { reason: 'order_reference_conflict' } });
        expect(synced.order).toMatchObject({ reservedAmount: 200 });
      });
    });

    describe('concurrency', () => {
      beforeEach(() => start());

      it('20 concurrent 20-fen refunds naming a recorded order by one number, the other or both: exactly its balance', async () => {
        await h.refunds.request(naming({ merchantOrderNo: 'T1', gatewayOrderNo: 'G1' }, { refundNo: 'R0' }));
        const ways = [
          { merchantOrderNo: 'T1' },
          { gatewayOrderNo: 'G1' },
          { merchantOrderNo: 'T1', gatewayOrderNo: 'G1' },
        ];
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) =>
            h.refunds.request(naming(ways[i % 3], { refundNo: `C${i}`, amount: 20 })),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
        for (const r of results.filter((x) => x.status === 'rejected')) {
          expect((r as PromiseRejectedResult).reason).toBeInstanceOf(RefundExceedsBalanceError);
        }
        expect(await rows()).toMatchObject({ refunds: 11, orders: 1, references: 2 });
        expect((await em().findOneOrFail(RefundOrder, { orderRef: 'T1' })).reservedAmount).toBe(300);
        expect(h.gateway.submitted).toHaveLength(11);
      });

      it('a new order named both ways at once by 20 requests: one order, never beyond its total', async () => {
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) =>
            h.refunds.request(
              naming(i % 2 ? { gatewayOrderNo: 'G1' } : { merchantOrderNo: 'T1', gatewayOrderNo: 'G1' }, {
                refundNo: `N${i}`,
                amount: 20,
              }),
            ),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(15);
        const orders = await em().find(RefundOrder, {});
        expect(orders).toHaveLength(1);
        expect(orders[0].reservedAmount).toBe(300);
        expect(h.gateway.submitted).toHaveLength(15);
      });
    });

    // Apart from the beforeEach of 'concurrency': this test starts its own harness, and a second start in
    // one test would leave the first harness open and its database undropped.
    if (dialect === 'postgresql') {
      describe('concurrency with a transaction of another connection', () => {
        it('a number a gateway reveals while another transaction links it to another order: flagged, linked once', async () => {
          await start(
            new FakeGateway('fake').onQuery({
              kind: 'succeeded',
              rawStatus: 'DONE',
              order: { merchantOrderNo: 'T1', gatewayOrderNo: 'G1', totalAmount: 300 },
            }),
          );
          const { refund } = await h.refunds.request(naming({ merchantOrderNo: 'T1' }, { refundNo: 'R1' }));
          const other = await h.refunds.request(
            naming({ merchantOrderNo: 'T9' }, { refundNo: 'R9', totalAmount: 500 }),
          );
          const otherOrder = (await orderOf(other.refund.id)).id;
          const url = (db.options as { url: string }).url;
          const linker = new Client({ connectionString: url });
          const watcher = new Client({ connectionString: url });
          await Promise.all([linker.connect(), watcher.connect()]);
          try {
            // Another transaction links G1 to the other order and has not committed yet.
            await linker.query('begin');
            await linker.query(
              `insert into refund_order_ref (gateway, merchant_id, kind, value, order_id, source, created_at)
               values ('fake', 'm1', 'gateway', 'G1', $1, 'request', now())`,
              [otherOrder],
            );
            const syncing = h.refunds.sync(refund.id);
            await waitUntil(
              async () => {
                const waiting = await watcher.query(
                  `select count(*)::int as n from pg_stat_activity
                    where datname = current_database() and wait_event_type = 'Lock' and query like 'insert into "refund_order_ref"%'`,
                );
                return waiting.rows[0].n > 0;
              },
              { what: 'the sync waits on the uncommitted reference', everyMs: 20 },
            );
            await linker.query('commit');
            expect(await syncing).toMatchObject({
              status: 'PROCESSING',
              needsAttention: { reason: 'order_reference_conflict' },
              order: { refundedAmount: 0 },
            });
          } finally {
            await Promise.all([linker.end(), watcher.end()]);
          }
          expect((await references()).filter((ref) => ref.value === 'G1')).toEqual([
            expect.objectContaining({ order: otherOrder }),
          ]);
        });
      });
    }
  });
}
