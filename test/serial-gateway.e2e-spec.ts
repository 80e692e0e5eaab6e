import { MikroORM } from '@mikro-orm/core';
import { ORDER_SLOT_BUSY, Refund, RefundOrder, migrateRefundSchema, refundOrmOptions } from '@refundhub/core';

import { TestDatabase, createTestDatabase, describeWithDialect } from './support/databases';
import { SERIAL_GATEWAY_ID } from './support/serial-gateway.adapter';
import { SyncRounds, WorkerProcess, type RequestAnswer } from './support/serial-gateway.harness';
import { SerialGatewayServer } from './support/serial-gateway.server';

/** Sync rounds the scenario may take in all before it counts as stuck. */
const MAX_SYNC_ROUNDS = 200;
/** The order every refund of this scenario belongs to, and each refund's amount. */
const ORDER = { merchantOrderNo: 'T1', totalAmount: 1000 };
const AMOUNT = 10;

/**
 * Serial gateways across processes: two app instances in separate processes share one database
 * (PostgreSQL, or one SQLite file), and 20 concurrent refunds of one order reach a gateway that refuses
 * a second refund of an order while one is in flight (Baofoo's NOT_SUPPORT_CONCURRENT). The core must
 * hand the order's slot from refund to refund so that the gateway never sees two in flight, and every
 * refund must end SUCCEEDED. The same scenario against the real Baofoo module and sandbox is
 * `baofoo-serial.e2e-spec.ts`. Then the balance guard across the two processes: refunds racing for
 * more than the order holds.
 */
for (const dialect of ['sqlite', 'postgresql'] as const) {
  describeWithDialect(dialect, 'a serial gateway across two processes on one database', () => {
    let db: TestDatabase | undefined;
    let orm: MikroORM | undefined;
    let server: SerialGatewayServer | undefined;
    let workers: WorkerProcess[] = [];
    let passed = false;

    afterEach(async () => {
      if (!passed) for (const worker of workers) process.stderr.write(`${worker.output()}\n`);
      try {
        await Promise.allSettled(workers.map((worker) => worker.close()));
        workers = [];
        await server?.close();
        server = undefined;
        await orm?.close(true);
        orm = undefined;
      } finally {
        await db?.drop();
        db = undefined;
      }
    });

    /** A migrated database of the test's own, the gateway, and two workers on both. */
    async function startWorkers(): Promise<{ orm: MikroORM; server: SerialGatewayServer }> {
      db = await createTestDatabase(dialect);
      const database = db.options;
      const ready = {
        orm: await MikroORM.init(await refundOrmOptions(database)),
        server: await SerialGatewayServer.start(),
      };
      [orm, server] = [ready.orm, ready.server];
      await migrateRefundSchema(ready.orm);
      const gateway = { gateway: 'serial', baseUrl: ready.server.url } as const;
      workers = ['A', 'B'].map((name) => new WorkerProcess({ name, database, gateway }));
      await Promise.all(workers.map((worker) => worker.booted()));
      return ready;
    }

    it('never has two refunds of one order in flight at the gateway, and all 20 succeed', async () => {
      const { orm, server } = await startWorkers();

      const refundNos = Array.from({ length: 20 }, (_, i) => `R${i + 1}`);
      const batch = (nos: string[]) => ({
        merchantId: 'm1',
        order: ORDER,
        refunds: nos.map((refundNo) => ({ refundNo, amount: AMOUNT })),
      });
      const [answersA, answersB] = await Promise.all([
        workers[0].request(batch(refundNos.slice(0, 10))),
        workers[1].request(batch(refundNos.slice(10))),
      ]);
      const answers = [...answersA, ...answersB];

      // Every refund was recorded and reserved; some had to wait for the order's slot.
      expect(answers.filter((a) => 'error' in a.answer)).toEqual([]);
      const views = answers.map((a) => a.answer as RequestAnswer);
      expect(views.every((v) => v.created)).toBe(true);
      const queued = views.filter((v) => v.status === 'REQUESTED' && v.failureCode === ORDER_SLOT_BUSY);
      expect(queued.length).toBeGreaterThan(0);

      const rounds = new SyncRounds(orm, SERIAL_GATEWAY_ID, workers, MAX_SYNC_ROUNDS);
      await rounds.until(
        (rows) => rows.length === 20 && rows.every((r) => r.status !== 'REQUESTED' && r.status !== 'UNKNOWN'),
      );
      await rounds.until((rows) => rows.every((r) => r.status === 'SUCCEEDED'));

      expect(server.stats()).toMatchObject({
        maxInFlightPerOrder: 1,
        concurrentRefusals: 0,
        refunds: 20,
        submissions: 20,
      });
      expect(server.refundNos()).toEqual([...refundNos].sort());
      const rows = await rounds.rows();
      expect(rows.map((r) => [r.refundNo, r.status])).toEqual([...refundNos].sort().map((no) => [no, 'SUCCEEDED']));
      const order = await orm.em
        .fork()
        .findOneOrFail(RefundOrder, { gateway: SERIAL_GATEWAY_ID, merchantId: 'm1', orderRef: 'T1' });
      expect(order).toMatchObject({ totalAmount: 1000, reservedAmount: 200, refundedAmount: 200, slotRefundId: null });
      passed = true;
    }, 60_000);

    it('lets the two processes reserve no more than the order holds, however their requests interleave', async () => {
      const { orm, server } = await startWorkers();
      const order = { merchantOrderNo: 'T2', totalAmount: 500 };
      // 2 x 8 refunds of 50 against 500 fen: exactly 10 fit.
      const batch = (prefix: string) => ({
        merchantId: 'm1',
        order,
        refunds: Array.from({ length: 8 }, (_, i) => ({ refundNo: `${prefix}${i + 1}`, amount: 50 })),
      });
      const answers = (await Promise.all([workers[0].request(batch('A')), workers[1].request(batch('B'))])).flat();

      const refused = answers.filter((a) => 'error' in a.answer);
      expect(answers.length - refused.length).toBe(10);
      for (const a of refused) expect((a.answer as { error: string }).error).toMatch(/RefundExceedsBalanceError/);
      const row = await orm.em
        .fork()
        .findOneOrFail(RefundOrder, { gateway: SERIAL_GATEWAY_ID, merchantId: 'm1', orderRef: 'T2' });
      expect(row).toMatchObject({ totalAmount: 500, reservedAmount: 500 });
      // The refused ones never reached the gateway, nor the database.
      expect(server.stats().refunds).toBeLessThanOrEqual(10);
      const recorded = await orm.em.fork().count(Refund, { gateway: SERIAL_GATEWAY_ID, order: row.id });
      expect(recorded).toBe(10);
      passed = true;
    }, 60_000);
  });
}
