import { MikroORM } from '@mikro-orm/core';
import { RefundRequestedEvent, RefundView, refundOrmOptions } from '@refundhub/core';
import { waitUntil } from '@refundhub/core/testing';
import { GracefulShutdown, RefundSyncLoop } from '@refundhub/host';

import { ApiHarness, refundBody, startApi } from './support/api-harness';
import { describeWithDialect } from './support/databases';

interface StatusRow {
  status: string;
}
interface SyncedRow {
  sync_count: number | string;
  lease_owner: string | null;
}

for (const dialect of ['sqlite', 'postgresql'] as const) {
  describeWithDialect(dialect, 'graceful shutdown', () => {
    let h: ApiHarness;

    beforeEach(async () => {
      // Long enough that a held call ends only when the test lets it.
      h = await startApi(dialect, { leshuaTimeoutMs: 60_000 });
    });
    afterEach(async () => {
      await h.closeApp().catch(() => undefined);
      await h.db.drop();
    });

    it('stops claiming, finishes the calls in flight, flushes the outbox, then closes the database', async () => {
      const orm = h.app.get(MikroORM);
      const loop = h.app.get(RefundSyncLoop);

      // An event recorded and never delivered: its process died between the commit and its listeners.
      const undelivered = await h.call<RefundView>('POST', '/refunds', refundBody({ refundNo: 'R20250101000101' }));
      expect(undelivered.status).toBe(201);
      await orm.em
        .fork()
        .getConnection()
        .execute(
          `update refund_outbox set status = 'pending', listeners = '{}', next_attempt_at = ? where refund_id = ?`,
          [new Date(Date.now() - 1000), undelivered.body.id],
          'run',
        );
      const requestedEvents = () =>
        h.events.filter((e) => e instanceof RefundRequestedEvent && e.refund.refundId === undelivered.body.id).length;
      expect(requestedEvents()).toBe(1);

      // A sync round in flight: its query to the gateway is held unanswered.
      h.sandbox.failNext('5xx', { service: 'unified_refund', process: false });
      const unknown = await h.call<RefundView>(
        'POST',
        '/refunds',
        refundBody({ refundNo: 'R20250101000102', amount: 50 }),
      );
      expect(unknown.body.status).toBe('UNKNOWN');
      await h.makeDue(unknown.body.id);
      h.sandbox.failNext('timeout', { service: 'unified_query_refund' });
      const round = loop.tick();
      await waitUntil(() => h.sandbox.heldCount === 1, { what: 'the sync query to reach the gateway' });

      // A request in flight: its refund call to the gateway is held unanswered.
      h.sandbox.failNext('timeout', { service: 'unified_refund' });
      const inFlight = h.call<RefundView>('POST', '/refunds', refundBody({ refundNo: 'R20250101000103', amount: 50 }));
      await waitUntil(() => h.sandbox.heldCount === 2, { what: 'the refund call to reach the gateway' });

      let closed = false;
      const closing = h.app.close().then(() => (closed = true));
      await waitUntil(() => h.app.get(GracefulShutdown).stopping, { what: 'shutdown to begin' });

      // Draining: the server still answers, and tells load balancers to send work elsewhere.
      const ready = await h.call('GET', '/health/ready', undefined, null);
      expect(ready).toMatchObject({ status: 503, body: { status: 'error' } });
      expect(closed).toBe(false);

      // The gateway gives up on both calls (the connections drop): their outcomes are recorded, then it closes.
      expect(h.sandbox.releaseHeld()).toBe(2);
      await round;
      const answer = await inFlight;
      expect(answer.status).toBe(201);
      expect(answer.body.status).toBe('UNKNOWN');
      await closing;
      expect(await orm.isConnected()).toBe(false);

      // No round starts once stopped (one would fail on the closed database and still count as a round).
      const lastRound = loop.heartbeat().lastRoundAt;
      expect(lastRound).not.toBeNull();
      await loop.tick();
      expect(loop.heartbeat().lastRoundAt).toBe(lastRound);

      // The outbox was flushed before the database closed: the undelivered event reached its listener.
      expect(requestedEvents()).toBe(2);
      const reopened = await MikroORM.init(await refundOrmOptions(h.db.options));
      try {
        const connection = reopened.em.fork().getConnection();
        const statusOf = (id: string) =>
          connection.execute<StatusRow[]>('select status from refund where id = ?', [id]);
        expect(await statusOf(answer.body.id)).toEqual([{ status: 'UNKNOWN' }]);
        // The held query's outcome was recorded by the round before the database closed, its claim released.
        const synced = await connection.execute<SyncedRow[]>(
          'select sync_count, lease_owner from refund where id = ?',
          [unknown.body.id],
        );
        expect(
          synced.map((row: SyncedRow) => ({
            syncCount: Number(row.sync_count),
            leaseOwner: row.lease_owner,
          })),
        ).toEqual([{ syncCount: 1, leaseOwner: null }]);
        const outbox = await connection.execute<StatusRow[]>('select status from refund_outbox');
        expect(outbox.length).toBeGreaterThanOrEqual(3);
        expect(outbox.filter((row: StatusRow) => row.status !== 'done')).toEqual([]);
      } finally {
        await reopened.close(true);
      }
    });
  });
}
