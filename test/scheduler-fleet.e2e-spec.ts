import { MikroORM } from '@mikro-orm/core';
import { Refund, migrateRefundSchema, refundOrmOptions } from '@refundhub/core';

import { TestDatabase, TestDialect, createTestDatabase, describeWithDialect } from './support/databases';
import { FLEET_GATEWAY_ID } from './support/fleet-gateway.adapter';
import { FleetGatewayProcess, FleetSchedulerProcess } from './support/fleet-processes';
import type { FleetGatewayStats, FleetSchedulerTally } from './support/fleet-protocol';
import { insertDueRefunds } from './support/fleet-refunds';

/** SQLite's writers take turns on one file, so it syncs fewer per second: fewer refunds keep its run short. */
const REFUNDS: Record<TestDialect, number> = { postgresql: 2_000, sqlite: 600 };
/**
 * The gateway answers PROCESSING this many times per refund, then SUCCEEDED: each refund goes through
 * a sync that schedules the next one and a sync that ends it. One keeps the run near a minute on 2 cores.
 */
const PROCESSING_ANSWERS = 1;
const EXPECTED_QUERIES = PROCESSING_ANSWERS + 1;
const INSTANCES = ['A', 'B', 'C'];
const MERCHANT = 'm1';
const AMOUNT = 100;
/** How long the gateway holds each answer: the window in which a second query of a refund would meet the first. */
const HOLD_MS = 5;
/** Far more than the fleet needs on a 2-core machine; the report says how long it took. */
const SETTLE_DEADLINE_MS = 150_000;
const POLL_MS = 100;

/** Resolves once `check` holds, looking every `POLL_MS`; fails after the deadline or when `broken` says why it never will. */
async function until(
  check: () => Promise<boolean>,
  what: string,
  opts: { deadlineMs: number; broken: () => string | null },
): Promise<void> {
  const giveUpAt = Date.now() + opts.deadlineMs;
  while (!(await check())) {
    const broken = opts.broken();
    if (broken) throw new Error(`${broken} before: ${what}`);
    if (Date.now() > giveUpAt) throw new Error(`never happened within ${opts.deadlineMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Three scheduler instances in separate processes on one database of the test's own (PostgreSQL, or one
 * SQLite file), a batch of due refunds and a gateway simulator in a process of its own that answers each
 * refund PROCESSING, then SUCCEEDED. Every refund must be queried exactly twice, one query at a time,
 * and end SUCCEEDED, with each process doing part of the work. The instances coordinate through the
 * database alone (claims with leases: `FOR UPDATE SKIP LOCKED` on PostgreSQL, `BEGIN IMMEDIATE` write
 * transactions on SQLite); the test only starts them, and waits until the database says all are final.
 */
for (const dialect of ['sqlite', 'postgresql'] as const) {
  describeWithDialect(dialect, 'a fleet of three schedulers in separate processes on one database', () => {
    const refunds = REFUNDS[dialect];
    let db: TestDatabase | undefined;
    let orm: MikroORM | undefined;
    let gateway: FleetGatewayProcess | undefined;
    let schedulers: FleetSchedulerProcess[] = [];
    let passed = false;

    afterEach(async () => {
      if (!passed) {
        for (const part of [gateway, ...schedulers]) if (part) process.stderr.write(`${part.output()}\n`);
      }
      try {
        await Promise.allSettled(schedulers.map((scheduler) => scheduler.close()));
        schedulers = [];
        await gateway?.close();
        gateway = undefined;
        await orm?.close(true);
        orm = undefined;
      } finally {
        await db?.drop();
        db = undefined;
      }
    });

    const select = async <T>(sql: string): Promise<T[]> => (await orm!.em.getConnection().execute(sql)) as T[];
    const succeeded = () => orm!.em.fork().count(Refund, { gateway: FLEET_GATEWAY_ID, status: 'SUCCEEDED' });
    const brokenPart = (): string | null => {
      if (!gateway?.running) return 'the fleet gateway exited';
      const gone = schedulers.find((scheduler) => !scheduler.running);
      return gone ? `scheduler ${gone.name} exited` : null;
    };

    it(`queries each of ${refunds} refunds exactly ${EXPECTED_QUERIES} times, one query at a time, and all succeed`, async () => {
      db = await createTestDatabase(dialect);
      const database = db.options;
      orm = await MikroORM.init(await refundOrmOptions(db.options));
      await migrateRefundSchema(orm);

      const refundNos = await insertDueRefunds(orm, {
        gateway: FLEET_GATEWAY_ID,
        merchantId: MERCHANT,
        count: refunds,
        amount: AMOUNT,
        prefix: 'F',
      });
      const fleetGateway = await FleetGatewayProcess.start();
      gateway = fleetGateway;
      await fleetGateway.seed({
        merchantId: MERCHANT,
        amount: AMOUNT,
        refundNos,
        processingAnswers: PROCESSING_ANSWERS,
        holdMs: HOLD_MS,
      });

      schedulers = INSTANCES.map(
        (name) =>
          new FleetSchedulerProcess({
            name,
            database,
            gatewayUrl: fleetGateway.url,
            merchantId: MERCHANT,
            sync: { backoffMs: [50, 100], jitter: 0, batchSize: 50, concurrencyPerGateway: 8 },
            idleMs: 25,
          }),
      );
      await Promise.all(schedulers.map((scheduler) => scheduler.booted()));

      // All start together, so that none has the backlog to itself while the others boot.
      const started = Date.now();
      await Promise.all(schedulers.map((scheduler) => scheduler.start()));
      await until(async () => (await succeeded()) === refunds, `all ${refunds} refunds SUCCEEDED`, {
        deadlineMs: SETTLE_DEADLINE_MS,
        broken: brokenPart,
      });
      const settledMs = Date.now() - started;
      const tallies: FleetSchedulerTally[] = await Promise.all(schedulers.map((scheduler) => scheduler.stop()));
      const seen: FleetGatewayStats = await fleetGateway.stats(EXPECTED_QUERIES);

      const split = INSTANCES.map(
        (name, i) =>
          `${name} ${seen.byCaller[name] ?? 0} queries / ${tallies[i].rounds} rounds / ${tallies[i].finished} finished`,
      );
      process.stdout.write(
        `scheduler fleet: ${refunds} refunds, ${seen.queries} queries, all SUCCEEDED ${(settledMs / 1000).toFixed(1)} s ` +
          `after the start; split ${split.join(', ')}; at most ${seen.maxInFlight} queries in flight at once\n`,
      );

      // The gateway's view: each refund asked exactly its number of times, one query at a time.
      expect(seen).toMatchObject({
        refunds: refunds,
        queries: refunds * EXPECTED_QUERIES,
        notFound: 0,
        settled: refunds,
        queriesPerRefund: { [EXPECTED_QUERIES]: refunds },
        unexpected: [],
        maxInFlightPerRefund: 1,
        overlapping: [],
      });
      // Many queries were in flight together, so one refund's queries had every chance to meet.
      expect(seen.maxInFlight).toBeGreaterThan(1);

      // Every process did part of the work, and the processes' own counts add up to the gateway's.
      for (const name of INSTANCES) expect(seen.byCaller[name] ?? 0).toBeGreaterThan(0);
      const total = (pick: (tally: FleetSchedulerTally) => number) => tallies.reduce((sum, t) => sum + pick(t), 0);
      expect({
        claimed: total((t) => t.claimed),
        finished: total((t) => t.finished),
        errors: total((t) => t.errors),
        limited: total((t) => t.limited),
      }).toEqual({ claimed: refunds * EXPECTED_QUERIES, finished: refunds, errors: 0, limited: 0 });

      // The database's view: all final, each synced exactly its number of times, no lease left, no flag.
      const rows = await select<{ status: string; sync_count: number; leased: string; flagged: string; n: string }>(
        `select status, sync_count, count(lease_owner) as leased, count(attention_reason) as flagged, count(*) as n
         from refund group by status, sync_count`,
      );
      expect(rows.map((r) => ({ ...r, leased: Number(r.leased), flagged: Number(r.flagged), n: Number(r.n) }))).toEqual(
        [{ status: 'SUCCEEDED', sync_count: EXPECTED_QUERIES, leased: 0, flagged: 0, n: refunds }],
      );
      const orders = await select<{ refunded: string; reserved: string }>(
        'select sum(refunded_amount) as refunded, sum(reserved_amount) as reserved from refund_order',
      );
      expect(orders.map((o) => ({ refunded: Number(o.refunded), reserved: Number(o.reserved) }))).toEqual([
        { refunded: refunds * AMOUNT, reserved: refunds * AMOUNT },
      ]);
      passed = true;
    }, 240_000);
  });
}
