import { Injectable } from '@nestjs/common';

import { Clock } from '../domain/clock';
import { newId } from '../domain/ids';
import { type RelayRecord, hasPendingEvent, insertOutbox } from '../persistence/sql/outbox-table';
import type { SqlSession } from '../persistence/sql/sql-session';
import { RefundSettings } from '../refund-settings';
import { encodeEvent } from './outbox-codec';
import { OutboxRelay } from './outbox-relay';
import type { AnyRefundEvent } from './refund-event-map';

/**
 * Domain events through the transactional outbox: `record` writes them in the transaction of the
 * change that produced them, so a committed change always has its events; `publish`, once that
 * transaction has committed, delivers them to this process's listeners at once. An event whose
 * delivery fails or never happens (the process died) is relayed later by `OutboxRelay.runOnce`.
 *
 * The rows are written already leased to this process, so the delivery right after the commit needs
 * no transaction of its own to take them; should the process die first, the lease runs out and a
 * relay round takes them. Events of a refund that still has an earlier event pending are written
 * unleased and left to the relay rounds, which keep each refund's events in order.
 */
@Injectable()
export class RefundEventPublisher {
  /** The lease each recorded event was written with, until it is published. */
  private readonly leases = new WeakMap<AnyRefundEvent, string>();

  constructor(
    private readonly relay: OutboxRelay,
    private readonly clock: Clock,
    private readonly settings: RefundSettings,
  ) {}

  /**
   * Writes the events of one refund in the caller's transaction. `firstOfRefund`: the refund is being
   * created in it, so no earlier event of it can be pending.
   */
  async record(
    session: SqlSession,
    events: readonly AnyRefundEvent[],
    opts: { firstOfRefund?: boolean } = {},
  ): Promise<void> {
    if (events.length === 0) return;
    const now = this.clock.now();
    const held = opts.firstOfRefund === true || !(await hasPendingEvent(session, events[0].refund.refundId));
    const lease = held
      ? { owner: newId('ls', now), expiresAt: new Date(now.getTime() + this.settings.outbox.leaseMs) }
      : null;
    for (const event of events) {
      const encoded = encodeEvent(event);
      insertOutbox(session, {
        eventId: encoded.eventId,
        name: encoded.name,
        refundId: encoded.refundId,
        payload: JSON.stringify(encoded.payload),
        occurredAt: encoded.occurredAt,
        nextAttemptAt: now,
        lease,
      });
      if (lease) this.leases.set(event, lease.owner);
    }
  }

  /**
   * After the commit: a listener's failure never undoes or fails the committed change (the relay retries it).
   * `holdRecords`: what the deliveries did is returned, for the caller's next transaction to write
   * (see `OutboxRelay.deliver`); otherwise it is written here.
   */
  async publish(events: readonly AnyRefundEvent[], opts: { holdRecords?: boolean } = {}): Promise<RelayRecord[]> {
    const leased = events.map((event) => ({ event, lease: this.leases.get(event) ?? null }));
    for (const { event } of leased) this.leases.delete(event);
    return this.relay.deliver(leased, opts);
  }

  /** Writes deliveries' records that were held for a transaction which did not take them. */
  recordDeliveries(records: readonly RelayRecord[]): Promise<void> {
    return this.relay.record(records);
  }
}
