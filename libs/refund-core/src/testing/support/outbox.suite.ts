import { EventEmitter2 } from '@nestjs/event-emitter';

import { RefundOutbox } from '../../entities/refund-outbox.entity';
import { Refund } from '../../entities/refund.entity';
import {
  AnyRefundEvent,
  OutboxRelay,
  RefundEventPublisher,
  RefundRequestedEvent,
  RefundSucceededEvent,
  snapshotOf,
} from '../../events';
import type { RefundOutboxOptions } from '../../refund-module.options';
import { RefundWrites } from '../../persistence/sql/write-transactions';
import { RefundSettings } from '../../refund-settings';
import { CoreHarness, createCoreHarness } from './core-harness';
import { FakeGateway } from '../fake-gateway';
import { command } from './refund-service.suite';
import { TestDatabase, TestDialect, createTestDatabase, describeWithDialect } from './test-databases';

/** The transactional outbox: events written with their change, relayed at least once, in order, retried per listener. */
export function outboxSuite(dialect: TestDialect): void {
  describeWithDialect(dialect, 'outbox', () => {
    let db: TestDatabase;
    const hosts: CoreHarness[] = [];

    const host = async (outbox: RefundOutboxOptions = {}, gateway = new FakeGateway('fake')) => {
      const h = await createCoreHarness(db.options, { gateway, outbox: { backoffMs: [1_000, 5_000], ...outbox } });
      hosts.push(h);
      return h;
    };
    const rows = (h: CoreHarness) => h.orm.em.fork().find(RefundOutbox, {}, { orderBy: { seq: 'asc' } });
    /** Events a listener of `name` saw, by id. */
    const listen = (h: CoreHarness, name: string, behaviour: (event: AnyRefundEvent) => void = () => undefined) => {
      const seen: string[] = [];
      h.app.get(EventEmitter2).on(name, (event: AnyRefundEvent) => {
        seen.push(event.eventId);
        behaviour(event);
      });
      return seen;
    };

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

    it('writes each event with its change and delivers it once', async () => {
      const h = await host();
      const { refund } = await h.refunds.request(command());
      h.gateway.onQuery({ kind: 'succeeded', rawStatus: 'DONE' });
      await h.refunds.sync(refund.id);

      const written = await rows(h);
      expect(written.map((row) => [row.name, row.refundId, row.status])).toEqual([
        ['refund.requested', refund.id, 'done'],
        ['refund.succeeded', refund.id, 'done'],
      ]);
      expect(h.events.map((event) => event.eventId)).toEqual(written.map((row) => row.eventId));
      expect(await h.app.get(OutboxRelay).runOnce()).toMatchObject({ taken: 0 });
    });

    /** A gateway that notes the status of the request's event while the submission is out. */
    const watching = (h: () => CoreHarness, seen: string[]) =>
      new FakeGateway('fake').onSubmit(async () => {
        seen.push(...(await rows(h())).map((row) => row.status));
        return { kind: 'processing', rawStatus: 'ACCEPTED' };
      });

    it("records the delivery of a request's event with its submission's outcome, in the same commit", async () => {
      const whileOut: string[] = [];
      const h: CoreHarness = await host(
        {},
        watching(() => h, whileOut),
      );
      const writes = h.app.get(RefundWrites);
      const before = writes.commitCounts().transactions;
      await h.refunds.request(command());

      // Delivered before the call, written with its outcome: two write transactions for the whole request.
      expect(whileOut).toEqual(['pending']);
      expect(h.events).toHaveLength(1);
      expect(writes.commitCounts().transactions - before).toBe(2);
      const [requested] = await rows(h);
      expect(requested).toMatchObject({ name: 'refund.requested', status: 'done', leaseOwner: null, attempts: 1 });
      expect(h.events.map((event) => event.eventId)).toEqual([requested.eventId]);
      expect(await h.app.get(OutboxRelay).runOnce()).toMatchObject({ taken: 0 });
    });

    it("records the delivery before the call when the event's lease would not outlast it", async () => {
      // A lease of 1 s against the default 30 s call: held until the answer, the event could be taken and given again.
      const whileOut: string[] = [];
      const h: CoreHarness = await host(
        { leaseMs: 1_000 },
        watching(() => h, whileOut),
      );
      await h.refunds.request(command());

      expect(whileOut).toEqual(['done']);
      expect(await rows(h)).toMatchObject([{ name: 'refund.requested', status: 'done', leaseOwner: null }]);
    });

    it('records the delivery of a refund queued behind its order, which sends nothing yet', async () => {
      const gateway = new FakeGateway('fake', { serial: true }).onSubmit({
        kind: 'unknown',
        reason: 'timeout',
        detail: 'no answer',
      });
      const h = await host({}, gateway);
      await h.refunds.request(command({ refundNo: 'R1' }));
      const queued = await h.refunds.request(command({ refundNo: 'R2' }));

      expect(queued.refund.status).toBe('REQUESTED');
      expect(gateway.submitted.map((s) => s.refundNo)).toEqual(['R1']);
      expect((await rows(h)).map((row) => [row.name, row.status, row.leaseOwner])).toEqual([
        ['refund.requested', 'done', null],
        ['refund.requested', 'done', null],
      ]);
    });

    it('relays an event whose delivery never happened (the process stopped after the commit), with its id', async () => {
      const h = await host();
      const { refund } = await h.refunds.request(command());
      const row = await h.orm.em.fork().findOneOrFail(Refund, refund.id);
      const lost = new RefundSucceededEvent(snapshotOf(row), h.clock.now(), h.clock.now());
      // Written in a committed transaction, never published: what a crash after the commit leaves.
      await h.app.get(RefundWrites).transaction((session) => h.app.get(RefundEventPublisher).record(session, [lost]));
      expect(h.events.map((event) => event.eventId)).not.toContain(lost.eventId);
      // Held by the process that wrote it until its lease runs out; then any relay round takes it.
      expect(await h.app.get(OutboxRelay).runOnce()).toMatchObject({ taken: 0 });
      h.clock.advance(h.app.get(RefundSettings).outbox.leaseMs);

      expect(await h.app.get(OutboxRelay).runOnce()).toMatchObject({ taken: 1, delivered: 1 });
      const relayed = h.events.find((event) => event.eventId === lost.eventId);
      expect(relayed).toBeInstanceOf(RefundSucceededEvent);
      expect(relayed).toMatchObject({ refund: { refundId: refund.id, amount: 100 }, occurredAt: lost.occurredAt });
    });

    it('retries a failing listener after its backoff, without giving the event again to the others', async () => {
      const h = await host();
      const steady = listen(h, 'refund.requested');
      let failures = 2;
      const flaky = listen(h, 'refund.requested', () => {
        if (failures-- > 0) throw new Error('listener down');
      });
      await h.refunds.request(command());
      const relay = h.app.get(OutboxRelay);
      expect([steady.length, flaky.length]).toEqual([1, 1]);
      expect((await rows(h))[0]).toMatchObject({ status: 'pending', lastError: 'Error: listener down' });

      expect(await relay.runOnce()).toMatchObject({ taken: 0 });
      h.clock.advance(1_000);
      expect(await relay.runOnce()).toMatchObject({ taken: 1, delivered: 0 });
      h.clock.advance(5_000);
      expect(await relay.runOnce()).toMatchObject({ taken: 1, delivered: 1 });
      expect([steady.length, flaky.length]).toEqual([1, 3]);
      expect(new Set(flaky).size).toBe(1);
      expect((await rows(h))[0]).toMatchObject({ status: 'done', attempts: 3, lastError: null });
    });

    it("keeps a refund's events in order, and sets aside one that keeps failing so the next goes on", async () => {
      const h = await host({ maxAttempts: 2 });
      listen(h, 'refund.requested', () => {
        throw new Error('always');
      });
      const { refund } = await h.refunds.request(command());
      h.gateway.onQuery({ kind: 'succeeded', rawStatus: 'DONE' });
      await h.refunds.sync(refund.id);
      // The succeeded event waits for the requested one.
      expect(h.events.filter((event) => event instanceof RefundSucceededEvent)).toHaveLength(0);

      const relay = h.app.get(OutboxRelay);
      h.clock.advance(1_000);
      expect(await relay.runOnce()).toMatchObject({ taken: 1, poisoned: 1 });
      expect(await relay.runOnce()).toMatchObject({ taken: 1, delivered: 1 });
      expect(h.events.map((event) => event.constructor)).toEqual([RefundRequestedEvent, RefundSucceededEvent]);
      expect((await rows(h)).map((row) => row.status)).toEqual(['poisoned', 'done']);
      const states = Object.values((await rows(h))[0].listeners);
      expect(states).toContainEqual({ attempts: 2, poisoned: true, lastError: 'Error: always' });
      expect(states).toContainEqual({ attempts: 1, done: true });
    });

    it('never delivers one event twice when relays run at once', async () => {
      const a = await host();
      // The second relay is another host on the same database where the database allows it.
      const b = dialect === 'postgresql' ? await host() : a;
      const seen = [...new Set([a, b])].map((h) => listen(h, 'refund.succeeded'));
      const { refund } = await a.refunds.request(command());
      const row = await a.orm.em.fork().findOneOrFail(Refund, refund.id);
      const events = Array.from(
        { length: 30 },
        () => new RefundSucceededEvent(snapshotOf(row), a.clock.now(), a.clock.now()),
      );
      await a.app.get(RefundWrites).transaction((session) => a.app.get(RefundEventPublisher).record(session, events));
      // Unpublished, they are held until their lease runs out; then both relays compete for them.
      for (const h of new Set([a, b])) h.clock.advance(h.app.get(RefundSettings).outbox.leaseMs);

      for (let round = 0; round < 40 && seen.flat().length < 30; round += 1) {
        await Promise.all([a.app.get(OutboxRelay).runOnce(), b.app.get(OutboxRelay).runOnce()]);
      }
      expect(seen.flat().sort()).toEqual(events.map((event) => event.eventId).sort());
    });
  });
}
