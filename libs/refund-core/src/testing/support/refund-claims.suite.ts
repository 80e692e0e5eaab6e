import { Refund } from '../../entities/refund.entity';
import type { GatewayQueryOutcome, InboundNotification } from '../../gateway/refund-gateway.port';
import { RefundClaims } from '../../refund/refund-claims';
import { CoreHarness, createCoreHarness } from './core-harness';
import { waitUntil } from '../wait-until';
import { FakeGateway } from '../fake-gateway';
import { command } from './refund-service.suite';
import { TestDatabase, TestDialect, createTestDatabase, describeWithDialect } from './test-databases';

/** A promise and its resolver: a gateway answer the test releases when it chooses. */
function gate<T>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

const GRACE_MS = 1_000;
const CALL_TIMEOUT_MS = 30_000;

/** A genuine notification of the fake gateway about refund `refundNo` of merchant m1. */
const notification = (refundNo: string, status: 'succeeded' | 'processing'): InboundNotification => ({
  rawBody: Buffer.from(JSON.stringify({ merchantId: 'm1', refundNo, status, sign: 'valid' })),
  contentType: 'application/json',
  headers: {},
});

/** Claims on refunds' gateway work: nobody submits or queries one refund twice at once, and a dead holder's work comes back. */
export function refundClaimsSuite(dialect: TestDialect): void {
  describeWithDialect(dialect, 'RefundClaims', () => {
    let db: TestDatabase;
    const hosts: CoreHarness[] = [];

    const host = async (gateway = new FakeGateway('fake')): Promise<CoreHarness> => {
      const h = await createCoreHarness(db.options, {
        gateway,
        gatewayCallTimeoutMs: CALL_TIMEOUT_MS,
        sync: { requestedGraceMs: GRACE_MS, backoffMs: [1_000, 2_000], concurrencyPerGateway: 16 },
      });
      hosts.push(h);
      return h;
    };
    const row = (h: CoreHarness, id: string) => h.orm.em.fork().findOneOrFail(Refund, id);

    beforeEach(async () => {
      db = await createTestDatabase(dialect);
    });

    afterEach(async () => {
      try {
        for (const h of hosts.splice(0)) await h.close();
      } finally {
        await db?.drop();
      }
    });

    it('a request whose submission is still in flight when its grace period ends is not resubmitted by the loop', async () => {
      const answer = gate<void>();
      const h = await host(
        new FakeGateway('fake').onSubmit(() =>
          answer.promise.then(() => ({ kind: 'processing', rawStatus: 'ACCEPTED' })),
        ),
      );
      const requested = h.refunds.request(command());
      await waitUntil(() => h.gateway.submitted.length === 1, { what: 'the submission reached the gateway' });
      h.clock.advance(GRACE_MS + 1);

      expect(await h.sync.runOnce()).toMatchObject({ due: 0 });
      answer.open();
      const { refund } = await requested;
      expect(refund.status).toBe('PROCESSING');
      expect(h.gateway.submitted).toHaveLength(1);
      expect(await row(h, refund.id)).toMatchObject({ leaseOwner: null, leaseExpiresAt: null });
    });

    it('gives a claim that is never released back to the loop when its lease runs out', async () => {
      const h = await host();
      const { refund } = await h.refunds.request(command());
      h.clock.advance(1_000);
      // A process claimed the refund, then died before it asked the gateway.
      expect(await h.app.get(RefundClaims).claim(refund.id)).toEqual(expect.any(String));
      expect(await h.sync.runOnce()).toMatchObject({ due: 0 });
      expect(h.gateway.queried).toHaveLength(0);

      h.clock.advance(2 * CALL_TIMEOUT_MS);
      expect(await h.sync.runOnce()).toMatchObject({ due: 1 });
      expect(h.gateway.queried).toHaveLength(1);
      expect(await row(h, refund.id)).toMatchObject({ leaseOwner: null, status: 'PROCESSING' });
    });

    it('two sync rounds at once take each due refund once', async () => {
      const answers = gate<void>();
      const gateway = new FakeGateway('fake');
      const h = await host(gateway);
      // The second round runs in another host on the same database where the database allows it.
      const other = dialect === 'postgresql' ? await host(gateway) : h;
      const ids: string[] = [];
      for (let i = 1; i <= 12; i += 1) {
        const { refund } = await h.refunds.request(command({ refundNo: `R${i}`, amount: 10 }));
        ids.push(refund.id);
      }
      const succeeded = (): Promise<GatewayQueryOutcome> =>
        answers.promise.then(() => ({ kind: 'succeeded', rawStatus: 'DONE' }));
      gateway.onQuery(...ids.map(() => succeeded));
      for (const each of hosts) each.clock.advance(1_000);

      const rounds = Promise.all([h.sync.runOnce(), other.sync.runOnce()]);
      await waitUntil(() => gateway.queried.length === 12, { what: 'every refund was asked about' });
      answers.open();
      const [a, b] = await rounds;

      expect(a.due + b.due).toBe(12);
      expect(gateway.queried.map((q) => q.refundNo).sort()).toEqual(ids.map((_, i) => `R${i + 1}`).sort());
      for (const id of ids) expect(await row(h, id)).toMatchObject({ status: 'SUCCEEDED', leaseOwner: null });
    });

    it('a manual sync waits for the round that holds the refund, and does not ask the gateway again', async () => {
      const answer = gate<void>();
      const h = await host();
      const { refund } = await h.refunds.request(command());
      h.gateway.onQuery(() => answer.promise.then(() => ({ kind: 'succeeded', rawStatus: 'DONE' })));
      h.clock.advance(1_000);

      const round = h.sync.runOnce();
      await waitUntil(() => h.gateway.queried.length === 1, { what: 'the round asked the gateway' });
      const manual = h.refunds.sync(refund.id);
      answer.open();

      expect((await manual).status).toBe('SUCCEEDED');
      expect(await round).toMatchObject({ due: 1, finished: 1 });
      expect(h.gateway.queried).toHaveLength(1);
    });

    it('a round whose claim ran out before it got to a refund leaves it to the new holder', async () => {
      const h = await host();
      const { refund } = await h.refunds.request(command());
      h.clock.advance(1_000);
      const claims = h.app.get(RefundClaims);
      const [stale] = await claims.claimDue(10);
      // The round waits past its lease; another takes the refund meanwhile.
      h.clock.advance(2 * CALL_TIMEOUT_MS + 1);
      const fresh = await claims.claim(refund.id);
      expect(fresh).toEqual(expect.any(String));

      await h.refunds.syncClaimed(stale.id, stale.lease, { leaseExpiresAt: stale.leaseExpiresAt });
      expect(h.gateway.queried).toHaveLength(0);
      expect(await row(h, refund.id)).toMatchObject({ leaseOwner: fresh });
    });

    it('a round whose query outlasted its claim does not send the refund again: the new holder may have', async () => {
      const gateway = new FakeGateway('fake').onSubmit({ kind: 'unknown', reason: 'timeout', detail: 'no answer' });
      const h = await host(gateway);
      const { refund } = await h.refunds.request(command());
      let fresh: string | null = null;
      gateway.onQuery(async (): Promise<GatewayQueryOutcome> => {
        // The process stalls past its claim; another round takes the refund meanwhile.
        h.clock.advance(2 * CALL_TIMEOUT_MS + 1);
        fresh = await h.app.get(RefundClaims).claim(refund.id);
        return { kind: 'not_found', code: 'NOT_FOUND', message: 'no such refund' };
      });
      h.clock.advance(60_000);
      const [stale] = await h.app.get(RefundClaims).claimDue(10);

      await h.refunds.syncClaimed(stale.id, stale.lease, { leaseExpiresAt: stale.leaseExpiresAt });
      expect(fresh).toEqual(expect.any(String));
      expect(gateway.queried).toHaveLength(1);
      expect(gateway.submitted).toHaveLength(1);
      expect(await row(h, refund.id)).toMatchObject({ status: 'UNKNOWN', leaseOwner: fresh });
    });

    it('a round takes the refunds due longest first, as many as its batch', async () => {
      const h = await host();
      const ids: string[] = [];
      for (const [i, dueMsAgo] of [500, 3_000, 2_000].entries()) {
        const { refund } = await h.refunds.request(command({ refundNo: `R${i}`, amount: 10 }));
        await h.orm.em
          .fork()
          .nativeUpdate(Refund, { id: refund.id }, { nextSyncAt: new Date(h.clock.now().getTime() - dueMsAgo) });
        ids.push(refund.id);
      }

      const taken = await h.app.get(RefundClaims).claimDue(2);
      expect(taken.map((t) => t.id)).toEqual([ids[1], ids[2]]);
      expect(new Set(taken.map((t) => t.lease)).size).toBe(1);
      for (const t of taken) {
        expect(t.leaseExpiresAt).toEqual(new Date(h.clock.now().getTime() + 2 * CALL_TIMEOUT_MS));
        expect(await row(h, t.id)).toMatchObject({ leaseOwner: t.lease, leaseExpiresAt: t.leaseExpiresAt });
      }
      expect(await row(h, ids[0])).toMatchObject({ leaseOwner: null });
    });

    it('a round renews a lease before a gateway call only when the call might outlast it', async () => {
      const h = await host();
      const { refund } = await h.refunds.request(command());
      const claims = h.app.get(RefundClaims);
      const renew = jest.spyOn(claims, 'renew');
      h.clock.advance(1_000);

      // The head of a batch: the lease has a whole call and more left, and nobody can take it meanwhile.
      const [head] = await claims.claimDue(10);
      await h.refunds.syncClaimed(head.id, head.lease, { leaseExpiresAt: head.leaseExpiresAt });
      expect(renew).not.toHaveBeenCalled();
      expect(h.gateway.queried).toHaveLength(1);
      expect(await row(h, refund.id)).toMatchObject({ leaseOwner: null, leaseExpiresAt: null });

      // The tail of a slow batch: a call started now could end after the lease.
      h.clock.advance(2_000);
      const [tail] = await claims.claimDue(10);
      h.clock.advance(CALL_TIMEOUT_MS);
      await h.refunds.syncClaimed(tail.id, tail.lease, { leaseExpiresAt: tail.leaseExpiresAt });
      expect(renew).toHaveBeenCalledTimes(1);
      expect(h.gateway.queried).toHaveLength(2);
      expect(await row(h, refund.id)).toMatchObject({ leaseOwner: null, leaseExpiresAt: null });
    });

    it.each([
      ['settled', 'succeeded', 'SUCCEEDED'],
      ['accepted', 'processing', 'PROCESSING'],
    ] as const)(
      'a refund a notification %s while the gateway was asked is not sent again when the gateway does not find it',
      async (_, notified, status) => {
        const gateway = new FakeGateway('fake').onSubmit({ kind: 'unknown', reason: 'timeout', detail: 'no answer' });
        const h = await host(gateway);
        const { refund } = await h.refunds.request(command());
        gateway.onQuery(async (): Promise<GatewayQueryOutcome> => {
          await h.refunds.handleNotification('fake', notification('R1', notified));
          return { kind: 'not_found', code: 'NOT_FOUND', message: 'no such refund' };
        });
        h.clock.advance(60_000);

        expect(await h.sync.runOnce()).toMatchObject({ due: 1, errors: 0 });
        expect(gateway.queried).toHaveLength(1);
        expect(gateway.submitted).toHaveLength(1);
        expect(await row(h, refund.id)).toMatchObject({ status, leaseOwner: null });
      },
    );

    it('a manual sync of a refund nobody holds claims it, asks, and ends its claim', async () => {
      const h = await host();
      const { refund } = await h.refunds.request(command());
      h.gateway.onQuery({ kind: 'succeeded', rawStatus: 'DONE' });

      expect((await h.refunds.sync(refund.id)).status).toBe('SUCCEEDED');
      expect(await row(h, refund.id)).toMatchObject({ leaseOwner: null, leaseExpiresAt: null });
      expect(await h.app.get(RefundClaims).claim(refund.id)).toBeNull();
    });
  });
}
