import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MikroORM } from '@mikro-orm/core';
import { Refund, RefundOrder, migrateRefundSchema, refundOrmOptions } from '@refundhub/core';
import { fenToWire } from '@refundhub/gateway-kit';
import { sha256Hex } from '@refundhub/host';
import { LeshuaSandbox, type LeshuaSandboxRefund } from '@refundhub/leshua/sandbox';

import { CrashApiProcess, type CrashApiExit, type CrashApiOptions } from './support/crash-api.process';
import { FINAL_EVENT_NAMES, type FinalEventLine } from './support/crash-api.protocol';
import { WebhookReceiver, newWebhookSecret } from './support/crash-webhook-receiver';
import { TestDatabase, createTestDatabase, describeWithDialect } from './support/databases';

/**
 * Whether the API sends webhooks: the operator file has a `webhooks` section
 * (`libs/host/src/config/operator-config.schema.ts`) and refunds' `notifyUrl` get signed POSTs, from the
 * outbox. On, the test configures `webhooks` and also proves that every final event reached the
 * receiver at least once, correctly signed, across the crashes. Off, every refund still names the
 * receiver as its `notifyUrl`, and the receiver is not asked.
 */
const WEBHOOKS_DELIVERED = true;

const MERCHANT = '0000000018';
const LESHUA_KEYS = { tradeKey: 'CRASHTRADEKEY0123456789ABCDEF012', notifyKey: 'CRASHNOTIFYKEY0123456789ABCDEF01' };
const API_KEY = 'rh_crash_recovery_0001';
/** The paid order every refund of the test belongs to. */
const ORDER = { merchantOrderNo: 'T20250301000001', gatewayOrderNo: '8001122165820001', totalAmount: 1000 };
/**
 * Leshua's per-call HTTP timeout. The claim on a refund's gateway work is meant to last twice the longest
 * gateway call (see {@link clampLeasesOfDeadProcess}); a held submission (crash step 2) is killed well
 * within it.
 */
const LESHUA_TIMEOUT_MS = 1_000;
/** How long a step may take to settle after its restart before it counts as stuck. */
const SETTLE_DEADLINE_MS = 20_000;
const POLL_MS = 25;

type FinalStatus = 'SUCCEEDED' | 'FAILED';
interface PlannedRefund {
  refundNo: string;
  amount: number;
  /** How the sandbox ends it, hence the status and final event the refund must reach. */
  outcome: FinalStatus;
}

/** One refund per crash step, each with its own refund number and amount. */
const REFUNDS = {
  /** Killed after the REQUESTED commit: the gateway never heard of it. */
  afterRequested: { refundNo: 'CR20250301000001', amount: 100, outcome: 'SUCCEEDED' },
  /** Killed from outside while the gateway held its answer (the gateway processed the refund). */
  duringCall: { refundNo: 'CR20250301000002', amount: 150, outcome: 'SUCCEEDED' },
  /** Killed after the gateway's (final, FAILED) answer, before it was committed. */
  afterAnswer: { refundNo: 'CR20250301000003', amount: 200, outcome: 'FAILED' },
  /** Killed after the (final, SUCCEEDED) outcome and its events were committed, before any was delivered. */
  afterOutcome: { refundNo: 'CR20250301000004', amount: 250, outcome: 'SUCCEEDED' },
} as const satisfies Record<string, PlannedRefund>;
const ALL: readonly PlannedRefund[] = Object.values(REFUNDS);

/** The sandbox's refund states (Leshua 附录 订单状态) by the status the refund must reach. */
const SANDBOX_STATUS: Record<FinalStatus, LeshuaSandboxRefund['status']> = { SUCCEEDED: '11', FAILED: '12' };
const FINAL_EVENT: Record<FinalStatus, (typeof FINAL_EVENT_NAMES)[number]> = {
  SUCCEEDED: 'refund.succeeded',
  FAILED: 'refund.failed',
};

interface OutboxRow {
  event_id: string;
  name: string;
  refund_id: string;
  status: string;
  lease_expires_at: Date | null;
}

/**
 * Crash recovery, the acceptance test: the API process is killed (SIGKILL) at each step of a refund
 * while the Leshua sandbox, in this process, lives on; after a restart every refund reaches the
 * sandbox's true state, the sandbox never saw a refund number twice with other parameters, and every
 * final event reached a listener of the API and (see {@link WEBHOOKS_DELIVERED}) the refund's `notifyUrl`.
 *
 * The API runs the sync loop itself (`scheduler.enabled`) on a millisecond schedule, and relays the
 * outbox every 100 ms. Without `api.publicUrl` the sandbox sends no notifications: every refund the crash
 * left behind is recovered by the sync loop and the outbox relay alone. Each step starts once the
 * refunds before it have settled and their events are delivered (to the listener and the webhook receiver),
 * so that a kill only ever interrupts the step it is about.
 */
describeWithDialect('postgresql', 'crash recovery of the API process at each step of a refund', () => {
  let db: TestDatabase | undefined;
  let orm: MikroORM | undefined;
  let sandbox: LeshuaSandbox | undefined;
  let receiver: WebhookReceiver | undefined;
  let dir: string | undefined;
  let running: CrashApiProcess | undefined;
  const apis: CrashApiProcess[] = [];
  let passed = false;

  afterEach(async () => {
    try {
      if (!passed) for (const one of apis) process.stderr.write(`${one.output()}\n`);
      await running?.stop();
      running = undefined;
      sandbox?.releaseHeld();
      await sandbox?.stop();
      await receiver?.close();
      await orm?.close(true);
    } finally {
      await db?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('settles every refund at the sandbox’s true state and delivers every final event, whatever step the API died at', async () => {
    db = await createTestDatabase('postgresql');
    if (db.options.driver !== 'postgresql') throw new Error('expected a PostgreSQL database');
    orm = await MikroORM.init(await refundOrmOptions(db.options));
    await migrateRefundSchema(orm);
    const database = orm;

    const gateway = new LeshuaSandbox({ merchants: { [MERCHANT]: LESHUA_KEYS } });
    sandbox = gateway;
    await gateway.start();
    gateway.seedOrder({
      merchantId: MERCHANT,
      thirdOrderId: ORDER.merchantOrderNo,
      leshuaOrderId: ORDER.gatewayOrderNo,
      totalAmount: ORDER.totalAmount,
    });
    // Final at once: the submission's own answer is FAILED (lost by the crash after it) ...
    gateway.planRefund(REFUNDS.afterAnswer.refundNo, { outcome: 'fail', afterQueries: 0, failureReason: '余额不足' });
    // ... or SUCCEEDED, so the crash after its commit strands the RefundSucceeded event itself in the outbox.
    gateway.planRefund(REFUNDS.afterOutcome.refundNo, { outcome: 'success', afterQueries: 0 });
    // The others are in progress after their submission and final at the first query.

    const secret = newWebhookSecret();
    const hooks = await WebhookReceiver.start(secret);
    receiver = hooks;

    dir = mkdtempSync(join(tmpdir(), 'refundhub-crash-'));
    const configFile = join(dir, 'refundhub.json');
    const eventsFile = join(dir, 'final-events.jsonl');
    writeFileSync(eventsFile, '');
    writeFileSync(
      configFile,
      JSON.stringify({
        database: { ...db.options, pool: { max: 5 } },
        api: { host: '127.0.0.1', port: 0, keys: [{ name: 'crash', sha256: sha256Hex(API_KEY), merchants: ['*'] }] },
        scheduler: {
          enabled: true,
          intervalMs: 100,
          backoff: ['100ms', '200ms'],
          jitter: 0,
          requestedGraceMs: 300,
        },
        outbox: { intervalMs: 100 },
        gateways: {
          leshua: {
            baseUrl: gateway.baseUrl,
            timeoutMs: LESHUA_TIMEOUT_MS,
            // The sandbox's "no such refund": a refund the gateway never got is resubmitted, same number.
            notFoundErrorCodes: ['REFUND_NOT_EXIST'],
            merchants: { [MERCHANT]: LESHUA_KEYS },
          },
        },
        ...(WEBHOOKS_DELIVERED ? { webhooks: { secret, allowPrivateTargets: true, intervalMs: 100 } } : {}),
      }),
    );

    let boots = 0;
    const boot = async (crashAt?: CrashApiOptions['crashAt']) => {
      boots += 1;
      const started = CrashApiProcess.start({
        name: `${boots}${crashAt ? ` (dies ${crashAt})` : ''}`,
        configFile,
        eventsFile,
        crashAt,
      });
      running = await started;
      apis.push(running);
      return running;
    };
    const request = (target: CrashApiProcess, refund: PlannedRefund) =>
      postRefund(target.url, {
        gateway: 'leshua',
        merchantId: MERCHANT,
        refundNo: refund.refundNo,
        amount: refund.amount,
        order: { merchantOrderNo: ORDER.merchantOrderNo, totalAmount: ORDER.totalAmount },
        reason: 'crash recovery',
        notifyUrl: hooks.url,
      });
    const row = (refund: PlannedRefund) =>
      database.em.fork().findOneOrFail(Refund, { gateway: 'leshua', merchantId: MERCHANT, refundNo: refund.refundNo });
    const settle = (refunds: readonly PlannedRefund[], what: string) =>
      untilSettled(database, eventsFile, refunds, {
        what,
        receiver: WEBHOOKS_DELIVERED ? hooks : null,
        outputs: () => apis.map((one) => one.output()).join('\n'),
      });
    const expectKilled = (exit: CrashApiExit) => expect(exit).toEqual({ code: null, signal: 'SIGKILL' });

    // Five boots for four crashes: the process that recovers the refund of steps 2 and 3 is the one armed
    // for the next step. Their recovery is a query (the sandbox has those refunds), and the crash points
    // lie on the request and submission paths only; a recovery that submitted again would kill that
    // process and fail the step. The refund of step 1 needs a resubmission: it recovers in a process
    // armed for nothing, as does the last one.

    // 1. Killed by its own crash point after the REQUESTED commit: nothing reached the gateway.
    let api = await boot('after-requested-commit');
    expect(await request(api, REFUNDS.afterRequested)).toEqual({ error: expect.any(String) });
    expectKilled(await api.exited);
    expect(await row(REFUNDS.afterRequested)).toMatchObject({ status: 'REQUESTED', attempts: 0 });
    expect((await row(REFUNDS.afterRequested)).leaseOwner).not.toBeNull();
    expect(gateway.refundSubmissions(REFUNDS.afterRequested.refundNo)).toBe(0);
    await clampLeasesOfDeadProcess(database);
    api = await boot();
    await settle([REFUNDS.afterRequested], 'the refund left REQUESTED by the crash after its commit');

    // 2. Killed from outside during the gateway call: the sandbox processed the refund and holds its answer.
    gateway.failNext('timeout', { service: 'unified_refund', process: true });
    const inFlight = request(api, REFUNDS.duringCall);
    await until(
      () => gateway.refundSubmissions(REFUNDS.duringCall.refundNo) === 1,
      'the sandbox has the submission of the refund killed during its gateway call',
    );
    expectKilled(await api.killHard());
    expect(await inFlight).toEqual({ error: expect.any(String) });
    gateway.releaseHeld();
    expect(await row(REFUNDS.duringCall)).toMatchObject({ status: 'REQUESTED', attempts: 0 });
    expect((await row(REFUNDS.duringCall)).leaseOwner).not.toBeNull();
    expect(gateway.refund(MERCHANT, REFUNDS.duringCall.refundNo)?.status).toBe('10');
    await clampLeasesOfDeadProcess(database);

    // 3. Killed after the gateway's answer (a final FAILED), before it was committed.
    api = await boot('after-gateway-answer');
    await settle([REFUNDS.afterRequested, REFUNDS.duringCall], 'the refund killed during its gateway call');
    expect(await request(api, REFUNDS.afterAnswer)).toEqual({ error: expect.any(String) });
    expectKilled(await api.exited);
    expect(await row(REFUNDS.afterAnswer)).toMatchObject({ status: 'REQUESTED', attempts: 0 });
    expect((await row(REFUNDS.afterAnswer)).leaseOwner).not.toBeNull();
    expect(gateway.refund(MERCHANT, REFUNDS.afterAnswer.refundNo)?.status).toBe('12');
    await clampLeasesOfDeadProcess(database);

    // 4. Killed after the outcome (final SUCCEEDED at submission) was committed with its events, before
    //    any listener had them: the RefundSucceeded event must come from the outbox relay after the restart.
    api = await boot('after-outcome-commit');
    await settle(
      [REFUNDS.afterRequested, REFUNDS.duringCall, REFUNDS.afterAnswer],
      'the refund whose gateway answer the crash lost',
    );
    expect(await request(api, REFUNDS.afterOutcome)).toEqual({ error: expect.any(String) });
    expectKilled(await api.exited);
    const committed = await row(REFUNDS.afterOutcome);
    expect(committed).toMatchObject({ status: 'SUCCEEDED', leaseOwner: null });
    const stranded = (await outboxRows(database)).filter((o) => o.refund_id === committed.id);
    expect(stranded.map((o) => [o.name, o.status])).toEqual([
      ['refund.requested', 'done'],
      ['refund.succeeded', 'pending'],
    ]);
    expect(readEventLines(eventsFile).map((line) => line.refundNo)).not.toContain(REFUNDS.afterOutcome.refundNo);
    expect(hooks.deliveries().map((d) => d.id)).not.toContain(stranded[1].event_id);
    await clampLeasesOfDeadProcess(database);
    api = await boot();
    await settle(ALL, 'the refund whose events the crash kept from every listener');

    // Every refund is where the sandbox says it is, with the gateway's refund id.
    const rows = await Promise.all(ALL.map(row));
    for (const [i, refund] of ALL.entries()) {
      const truth = gateway.refund(MERCHANT, refund.refundNo);
      expect({ refundNo: refund.refundNo, status: rows[i].status }).toEqual({
        refundNo: refund.refundNo,
        status: refund.outcome,
      });
      expect(truth).toMatchObject({ status: SANDBOX_STATUS[refund.outcome], amount: refund.amount });
      expect(rows[i].gatewayRefundNo).toBe(truth?.leshuaRefundId);
    }

    // The sandbox never saw a refund number again with other parameters (it would have refused it).
    const submissions = gateway.requests().filter((r) => r.service === 'unified_refund');
    for (const refund of ALL) {
      const mine = submissions.filter((r) => r.params['merchant_refund_id'] === refund.refundNo);
      expect(mine.length).toBeGreaterThanOrEqual(1);
      // The order as the sandbox finds it (by leshua_order_id first), however the submission named it.
      const orderOf = (params: Readonly<Record<string, string>>) =>
        gateway.order(params['merchant_id'], params['leshua_order_id'] || params['third_order_id'])?.thirdOrderId;
      const parameters = new Set(
        mine.map((r) => JSON.stringify([r.params['merchant_id'], r.params['refund_amount'], orderOf(r.params)])),
      );
      expect({ refundNo: refund.refundNo, parameters: [...parameters] }).toEqual({
        refundNo: refund.refundNo,
        parameters: [JSON.stringify([MERCHANT, fenToWire(refund.amount), ORDER.merchantOrderNo])],
      });
    }
    expect(new Set(submissions.map((r) => r.params['merchant_refund_id']))).toEqual(
      new Set(ALL.map((r) => r.refundNo)),
    );

    // The money: what succeeded is refunded on both sides; the failed refund released its reservation.
    const refunded = ALL.filter((r) => r.outcome === 'SUCCEEDED').reduce((sum, r) => sum + r.amount, 0);
    expect(gateway.order(MERCHANT, ORDER.merchantOrderNo)?.balance).toBe(ORDER.totalAmount - refunded);
    const order = await database.em
      .fork()
      .findOneOrFail(RefundOrder, { gateway: 'leshua', merchantId: MERCHANT, orderRef: ORDER.merchantOrderNo });
    expect({ reserved: order.reservedAmount, refunded: order.refundedAmount }).toEqual({
      reserved: refunded,
      refunded,
    });

    // Every final event of these refunds reached a listener at least once; each refund has exactly its one.
    const finals = (await outboxRows(database)).filter((o) => isFinalEventName(o.name));
    const lines = readEventLines(eventsFile);
    for (const [i, refund] of ALL.entries()) {
      const own = finals.filter((o) => o.refund_id === rows[i].id);
      expect({ refundNo: refund.refundNo, events: own.map((o) => [o.name, o.status]) }).toEqual({
        refundNo: refund.refundNo,
        events: [[FINAL_EVENT[refund.outcome], 'done']],
      });
      const heard = lines.filter((line) => line.eventId === own[0].event_id);
      expect(heard.length).toBeGreaterThanOrEqual(1);
      expect(heard.every((line) => line.name === own[0].name && line.refundNo === refund.refundNo)).toBe(true);
    }
    // And nothing else was heard: no event that the outbox does not hold.
    expect(lines.filter((line) => !finals.some((o) => o.event_id === line.eventId))).toEqual([]);

    // Every final event reached the refund's notify URL at least once, signed with the configured secret.
    if (WEBHOOKS_DELIVERED) {
      const deliveries = hooks.deliveries();
      for (const event of finals) {
        const mine = deliveries.filter((d) => d.id === event.event_id);
        expect(mine.length).toBeGreaterThanOrEqual(1);
        expect(mine.every((d) => d.signatureValid && d.type === event.name)).toBe(true);
      }
    }
    passed = true;
    // Typically 25 s, up to 60 s on two cores under a load average of 8: five boots of the API (compiled
    // on the fly) take most of it. The limit leaves room for a slower machine.
  }, 120_000);
});

/** POST /refunds: the answer's status and body, or the error of a request the API never answered. */
async function postRefund(
  url: string,
  body: Record<string, unknown>,
): Promise<{ status: number; body: unknown } | { error: string }> {
  try {
    const response = await fetch(`${url}/refunds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  } catch (error) {
    return { error: String((error as Error).cause ?? error) };
  }
}

function isFinalEventName(name: string): boolean {
  return (FINAL_EVENT_NAMES as readonly string[]).includes(name);
}

function readEventLines(file: string): FinalEventLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as FinalEventLine);
}

function outboxRows(orm: MikroORM): Promise<OutboxRow[]> {
  return orm.em
    .fork()
    .getConnection()
    .execute<OutboxRow[]>('select event_id, name, refund_id, status, lease_expires_at from refund_outbox order by seq');
}

/**
 * The claims the killed process held, shortened to what the configuration asks for: twice the longest
 * gateway call (`2 × gateways.leshua.timeoutMs`) from now. The host does not pass the gateways'
 * timeouts to the core, whose claims on a refund (`2 × gatewayCallTimeoutMs`, the latter 30 s by default)
 * and on an outbox event (`outbox.leaseMs`, 60 s) therefore last a minute whatever the operator file says;
 * waiting that out three times would take minutes and prove nothing more. The recovering process still
 * has to wait for the claims to run out and take them over, as it would after the full minute. No
 * process runs while this happens, so every live claim is the dead process's. Once the host honours the
 * configured timeout this changes nothing.
 */
async function clampLeasesOfDeadProcess(orm: MikroORM): Promise<void> {
  const expiresBy = new Date(Date.now() + 2 * LESHUA_TIMEOUT_MS);
  const connection = orm.em.fork().getConnection();
  for (const table of ['refund', 'refund_outbox']) {
    await connection.execute(
      `update ${table} set lease_expires_at = ? where lease_expires_at > ?`,
      [expiresBy, expiresBy],
      'run',
    );
  }
}

/**
 * Waits (deadline, polling the database, the events file and the webhook receiver) until the refunds are
 * final, each has its final event delivered (outbox row done, in the events file and, with a receiver,
 * received there), and nothing is left pending in the outbox, so that the next kill cannot interrupt a
 * delivery that belongs to an earlier step.
 */
async function untilSettled(
  orm: MikroORM,
  eventsFile: string,
  refunds: readonly PlannedRefund[],
  options: { what: string; receiver: WebhookReceiver | null; outputs: () => string },
): Promise<void> {
  const { what, receiver, outputs } = options;
  let state = '';
  const settled = async () => {
    const rows = await orm.em
      .fork()
      .find(Refund, { gateway: 'leshua', merchantId: MERCHANT, refundNo: { $in: refunds.map((r) => r.refundNo) } });
    const outbox = await outboxRows(orm);
    const heard = new Set(readEventLines(eventsFile).map((line) => line.eventId));
    const received = new Set(receiver?.deliveries().map((d) => d.id));
    state = JSON.stringify({
      refunds: rows.map((r) => ({
        refundNo: r.refundNo,
        status: r.status,
        attempts: r.attempts,
        failureCode: r.failureCode,
        nextSyncAt: r.nextSyncAt,
        leaseExpiresAt: r.leaseExpiresAt,
      })),
      outbox: outbox.map((o) => ({ ...o, heard: heard.has(o.event_id), received: received.has(o.event_id) })),
    });
    if (rows.length !== refunds.length || outbox.some((o) => o.status !== 'done')) return false;
    return rows.every((r) => {
      const final = outbox.find((o) => o.refund_id === r.id && isFinalEventName(o.name));
      return (
        (r.status === 'SUCCEEDED' || r.status === 'FAILED') &&
        final !== undefined &&
        heard.has(final.event_id) &&
        (receiver === null || received.has(final.event_id))
      );
    });
  };
  const deadline = Date.now() + SETTLE_DEADLINE_MS;
  while (!(await settled())) {
    if (Date.now() >= deadline) {
      throw new Error(`${what}: not settled within ${SETTLE_DEADLINE_MS} ms: ${state}\n${outputs()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Polls `done` until it holds; throws naming `what` at the deadline. */
async function until(done: () => boolean, what: string, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!done()) {
    if (Date.now() >= deadline) throw new Error(`timed out after ${deadlineMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
