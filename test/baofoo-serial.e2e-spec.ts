import { generateKeyPairSync } from 'node:crypto';

import { MikroORM } from '@mikro-orm/core';
import { BAOFOO_GATEWAY_ID } from '@refundhub/baofoo';
import { BaofooSandbox } from '@refundhub/baofoo/sandbox';
import { ORDER_SLOT_BUSY, RefundOrder, migrateRefundSchema, refundOrmOptions } from '@refundhub/core';

import { TestDatabase, createTestDatabase, describeWithDialect } from './support/databases';
import { SyncRounds, WorkerProcess, type RequestAnswer } from './support/serial-gateway.harness';
import type { RefundBatch } from './support/serial-gateway.protocol';

/** Sync rounds the scenario may take in all before it counts as stuck. */
const MAX_SYNC_ROUNDS = 200;
const MERCHANT = '100000';
const TERMINAL = '200000';
const ORDER = { merchantOrderNo: 'BFSERIAL0001', totalAmount: 1000 };
const AMOUNT = 10;
const REASON = '用户取消订单';
/** `BaofooModule`'s HTTP timeout in the workers: the local sandbox answers far quicker, so no outcome is UNKNOWN. */
const GATEWAY_TIMEOUT_MS = 5_000;
/**
 * Event-loop turns the sandbox holds each `order_refund` answer (cut short by the next request it
 * receives), some tens of milliseconds: a second refund of the order sent before the first one is
 * answered meets it in flight. Sized by a negative control (the workers' Baofoo gateway stripped of
 * `oneRefundInFlightPerOrder`, so that the core does not serialize): with this hold 16 of the 20
 * requests were refused NOT_SUPPORT_CONCURRENT at once; with 2,000 turns, only 1 to 7 were. Each
 * serialized submission waits out its hold once, so this costs a few seconds.
 */
const HOLD_TURNS = 10_000;

/**
 * The acceptance test ("20 concurrent partial refunds of one order all succeed and the gateway
 * never sees two of them overlap, across processes too") against the real Baofoo module and its sandbox:
 * two app instances in separate processes (`support/serial-gateway.worker.ts`, each refund-core +
 * `BaofooModule`) share one PostgreSQL database and request 10 refunds each of one paid order, at once.
 * The sandbox refuses (NOT_SUPPORT_CONCURRENT) and records as a violation any `order_refund` that arrives
 * while another refund of the order is in flight, so an empty violation list is the gateway's own word
 * that the core's order slot held across processes. The same scenario with a fake serial gateway is
 * `serial-gateway.e2e-spec.ts`.
 */
describeWithDialect('postgresql', 'Baofoo: one refund of an order in flight at a time, across two processes', () => {
  let db: TestDatabase | undefined;
  let orm: MikroORM | undefined;
  let sandbox: BaofooSandbox | undefined;
  let workers: WorkerProcess[] = [];
  let passed = false;

  afterEach(async () => {
    if (!passed) for (const worker of workers) process.stderr.write(`${worker.output()}\n`);
    try {
      await Promise.allSettled(workers.map((worker) => worker.close()));
      workers = [];
      await sandbox?.stop();
      sandbox = undefined;
      await orm?.close(true);
      orm = undefined;
    } finally {
      await db?.drop();
      db = undefined;
    }
  });

  it('takes 20 concurrent partial refunds of one order one at a time: all SUCCEEDED, none overlapping at Baofoo', async () => {
    db = await createTestDatabase('postgresql');
    const database = db.options;
    orm = await MikroORM.init(await refundOrmOptions(db.options));
    await migrateRefundSchema(orm);

    // The merchant's key pair: the workers sign with the private half, the sandbox verifies with the public one.
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    sandbox = new BaofooSandbox({ merchants: { [MERCHANT]: { terId: TERMINAL, privateKey } } });
    const baseUrl = await sandbox.start();
    const paidAt = new Date(Date.now() - 3_600_000);
    sandbox.seedOrder({
      merchantId: MERCHANT,
      originOutTradeNo: ORDER.merchantOrderNo,
      totalAmount: ORDER.totalAmount,
      paidAt,
    });
    sandbox.holdRefundAnswers(HOLD_TURNS);

    const gateway = {
      gateway: 'baofoo',
      baseUrl,
      platformPublicKey: sandbox.platformPublicKey,
      timeoutMs: GATEWAY_TIMEOUT_MS,
      merchants: { [MERCHANT]: { terId: TERMINAL, privateKey } },
    } as const;
    workers = ['A', 'B'].map((name) => new WorkerProcess({ name, database, gateway }));
    await Promise.all(workers.map((worker) => worker.booted()));

    const refundNos = Array.from({ length: 20 }, (_, i) => `BFS${String(i + 1).padStart(2, '0')}`);
    const batch = (nos: string[]): RefundBatch => ({
      merchantId: MERCHANT,
      order: { ...ORDER, paidAt: paidAt.toISOString() },
      reason: REASON,
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
    expect(views.filter((v) => v.status === 'REQUESTED' && v.failureCode === ORDER_SLOT_BUSY).length).toBeGreaterThan(
      0,
    );

    const rounds = new SyncRounds(orm, BAOFOO_GATEWAY_ID, workers, MAX_SYNC_ROUNDS);
    await rounds.until((rows) => rows.length === 20 && rows.every((r) => r.status === 'SUCCEEDED'));

    // Baofoo never had two refunds of the order in flight: it would have refused and recorded the second.
    expect(sandbox.violations()).toEqual([]);

    // Each outTradeNo reached Baofoo exactly once. A refund is sent only by the holder of its claim lease
    // and of the order's slot, and the sandbox accepted each first submission (REFUND) well within the
    // timeout; an accepted (PROCESSING) refund is only ever queried after that. A second `order_refund`
    // with the same number would take a "not now" (NOT_SUPPORT_CONCURRENT: a violation, excluded above),
    // a lost answer (UNKNOWN: no faults are injected, and the sandbox, which processes before answering,
    // would then be queried and find it) or two processes submitting the same refund (what the claim
    // leases exclude). So 1 is the bound here, not merely "at most 2".
    expect(refundNos.map((no) => [no, sandbox!.refundSubmissions(no)])).toEqual(refundNos.map((no) => [no, 1]));
    // ...and none of those submissions carried other parameters: one order, one amount, the given reason.
    const submissions = sandbox
      .requests()
      .filter((r) => r.operation === 'order_refund')
      .map((r) => r.bizContent);
    expect(submissions).toHaveLength(20);
    for (const biz of submissions) {
      expect(biz).toMatchObject({
        merId: MERCHANT,
        terId: TERMINAL,
        originOutTradeNo: ORDER.merchantOrderNo,
        refundAmt: AMOUNT,
        totalAmt: AMOUNT,
        refundReason: REASON,
      });
    }
    expect(submissions.map((biz) => biz?.['outTradeNo']).sort()).toEqual(refundNos);

    // Baofoo holds 20 successful refunds of 10 fen, and each is the one the database knows (its tradeNo).
    const rows = await rounds.rows();
    expect(rows.map((r) => [r.refundNo, r.status, r.amount, r.attempts])).toEqual(
      refundNos.map((no) => [no, 'SUCCEEDED', AMOUNT, 1]),
    );
    for (const row of rows) {
      expect(sandbox.refund(MERCHANT, row.refundNo)).toMatchObject({
        state: 'SUCCESS',
        refundAmt: AMOUNT,
        tradeNo: row.gatewayRefundNo,
      });
    }
    expect(sandbox.order(MERCHANT, ORDER.merchantOrderNo)?.balance).toBe(ORDER.totalAmount - 20 * AMOUNT);

    const order = await orm.em.fork().findOneOrFail(RefundOrder, {
      gateway: BAOFOO_GATEWAY_ID,
      merchantId: MERCHANT,
      orderRef: ORDER.merchantOrderNo,
    });
    expect(order).toMatchObject({
      totalAmount: ORDER.totalAmount,
      reservedAmount: 200,
      refundedAmount: 200,
      slotRefundId: null,
      slotExpiresAt: null,
    });
    passed = true;
  }, 60_000);
});
