import { EntityManager, LockMode, MikroORM } from '@mikro-orm/core';
import type { QueryBuilder } from '@mikro-orm/knex';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';

import { nextSyncDelay } from '../domain/backoff';
import { Clock } from '../domain/clock';
import { newId } from '../domain/ids';
import { truncateText } from '../domain/text';
import { MESSAGE_COLUMN_LENGTH } from '../entities/column-types';
import { describeError } from '../logging/error-summary';
import { runWithLogContext } from '../logging/log-context';
import { REFUND_OBSERVER, type RefundObserver } from '../observability/refund-observer';
import { OutboxListenerState, type OutboxStatus, RefundOutbox } from '../entities/refund-outbox.entity';
import { InjectRefundOrm } from '../persistence/refund-orm.token';
import { type RelayRecord, recordRelay } from '../persistence/sql/outbox-table';
import { RefundWrites } from '../persistence/sql/write-transactions';
import { supportsRowLocks } from '../persistence/storage-dialect';
import { RefundSettings } from '../refund-settings';
import { decodeEvent } from './outbox-codec';
import { eventNameOf, type AnyRefundEvent } from './refund-event-map';

/** What delivering an event needs of its row. */
type RelayedRow = Pick<RefundOutbox, 'eventId' | 'name' | 'refundId' | 'listeners' | 'attempts' | 'leaseOwner'>;

export interface RelayRoundResult {
  /** Events taken this round. */
  taken: number;
  /** Of those, delivered to every listener. */
  delivered: number;
  /** Of those, set aside because a listener failed too often. */
  poisoned: number;
}

type Listener = (...args: unknown[]) => unknown;

/**
 * Relays the outbox to this process's event listeners: every event at least once, the events of
 * one refund in the order they were written, each listener's failures retried with backoff and
 * counted per listener, so a listener that already has an event does not get it again. After
 * `maxAttempts` failures of one listener the event is set aside (`poisoned`, kept in the table
 * with its error) and no longer holds up the refund's later events.
 *
 * Competing consumers: each event is leased to one process at a time, which delivers it to its
 * own listeners; every process registers the same listeners. Listeners dedupe by `eventId`: an
 * event whose delivery was interrupted (the process died) is delivered again.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);

  constructor(
    @InjectRefundOrm() private readonly orm: MikroORM,
    private readonly writes: RefundWrites,
    private readonly emitter: EventEmitter2,
    private readonly clock: Clock,
    private readonly settings: RefundSettings,
    @Inject(REFUND_OBSERVER) private readonly observer: RefundObserver,
  ) {}

  /**
   * Delivers events this process has just committed, at once and in order. One that another
   * process holds, or that must wait for an earlier event of its refund, is left to the relay rounds.
   *
   * `holdRecords`: what each delivery did is returned instead of written, for the caller's next
   * transaction to write (`recordRelayWith`), which it must then do well within the events' lease
   * (see `RefundService.request`), or hand back to `record`.
   */
  async deliver(
    events: ReadonlyArray<{ event: AnyRefundEvent; lease: string | null }>,
    opts: { holdRecords?: boolean } = {},
  ): Promise<RelayRecord[]> {
    const held: RelayRecord[] = [];
    for (const { event, lease } of events) {
      const row = lease === null ? (await this.claim({ eventId: event.eventId, limit: 1 }))[0] : heldRow(event, lease);
      if (!row) continue;
      const delivered = await this.relay(row, event);
      if (opts.holdRecords) held.push(delivered.record);
      else await this.record([delivered.record]);
    }
    return held;
  }

  /** Writes what deliveries did, each in one conditional statement (on PostgreSQL without a transaction around it). */
  async record(records: readonly RelayRecord[]): Promise<void> {
    for (const record of records) await this.writes.statement((session) => recordRelay(session, record));
  }

  /** How many events wait to be delivered to every listener (set-aside ones not counted): a readiness gauge. */
  backlog(): Promise<number> {
    return this.orm.em.fork().count(RefundOutbox, { status: 'pending' });
  }

  /** One round: the due events of the outbox (the earliest pending one of each refund), delivered and recorded. */
  async runOnce(): Promise<RelayRoundResult> {
    const rows = await this.claim({ limit: this.settings.outbox.batchSize });
    const result: RelayRoundResult = { taken: rows.length, delivered: 0, poisoned: 0 };
    for (const row of rows) {
      let event: AnyRefundEvent;
      try {
        event = decodeEvent(row);
      } catch (error) {
        await this.setAside(row, describeError(error));
        result.poisoned += 1;
        continue;
      }
      const { status, record } = await this.relay(row, event);
      await this.record([record]);
      if (status === 'done') result.delivered += 1;
      if (status === 'poisoned') result.poisoned += 1;
    }
    return result;
  }

  /**
   * Leases pending events whose time has come and that no earlier pending event of the same
   * refund holds up, oldest first (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has one writer).
   */
  private claim(filter: { eventId?: string; limit: number }): Promise<RefundOutbox[]> {
    return this.orm.em.fork().transactional(async (em) => {
      const now = this.clock.now();
      const qb = (em as SqlEntityManager)
        .createQueryBuilder(RefundOutbox, 'o')
        .select('*')
        .where({
          status: 'pending',
          nextAttemptAt: { $lte: now },
          $or: [{ leaseExpiresAt: null }, { leaseExpiresAt: { $lte: now } }],
          ...(filter.eventId ? { eventId: filter.eventId } : {}),
        })
        .andWhere(
          `not exists (select 1 from refund_outbox earlier where earlier.refund_id = o.refund_id and earlier.status = 'pending' and earlier.seq < o.seq)`,
        )
        .orderBy({ seq: 'asc' })
        .limit(filter.limit);
      lockIfSupported(em, qb);
      const rows = await qb.getResultList();
      if (!rows.length) return [];
      const lease = newId('ls', now);
      const leaseExpiresAt = new Date(now.getTime() + this.settings.outbox.leaseMs);
      await em.nativeUpdate(
        RefundOutbox,
        { seq: { $in: rows.map((row) => row.seq) } },
        { leaseOwner: lease, leaseExpiresAt },
      );
      for (const row of rows) Object.assign(row, { leaseOwner: lease, leaseExpiresAt });
      return rows;
    });
  }

  /** Runs the listeners that do not have the event yet; what each did is the record to write back. */
  private relay(row: RelayedRow, event: AnyRefundEvent): Promise<{ status: OutboxStatus; record: RelayRecord }> {
    return runWithLogContext({ refundId: row.refundId }, () => this.relayInContext(row, event));
  }

  private async relayInContext(
    row: RelayedRow,
    event: AnyRefundEvent,
  ): Promise<{ status: OutboxStatus; record: RelayRecord }> {
    const states: Record<string, OutboxListenerState> = { ...row.listeners };
    for (const [key, listener] of this.listenersOf(row.name)) {
      const state = states[key] ?? { attempts: 0 };
      if (state.done || state.poisoned) continue;
      try {
        await listener.call(this.emitter, event);
        states[key] = { attempts: state.attempts + 1, done: true };
      } catch (error) {
        const attempts = state.attempts + 1;
        const poisoned = attempts >= this.settings.outbox.maxAttempts;
        // Stored and logged: a listener's database error must not carry its statement's values into either.
        const message = truncateText(describeError(error), MESSAGE_COLUMN_LENGTH);
        states[key] = { attempts, lastError: message, ...(poisoned ? { poisoned: true } : {}) };
        this.logger.error(
          `Listener ${key} of ${row.name} failed for refund ${row.refundId} (attempt ${attempts}${poisoned ? ', set aside' : ''}): ${message}`,
        );
      }
    }
    const now = this.clock.now();
    const open = Object.values(states).filter((state) => !state.done && !state.poisoned);
    const status: RefundOutbox['status'] = open.length
      ? 'pending'
      : Object.values(states).some((state) => state.poisoned)
        ? 'poisoned'
        : 'done';
    if (status === 'poisoned') this.observer.outboxEventSetAside({ event: row.name });
    const failure = Object.values(states).find((state) => !state.done)?.lastError ?? null;
    const record: RelayRecord = {
      eventId: row.eventId,
      lease: row.leaseOwner ?? '',
      status,
      listeners: states,
      lastError: failure,
      relayedAt: status === 'pending' ? null : now,
      nextAttemptAt:
        status === 'pending'
          ? new Date(now.getTime() + nextSyncDelay(row.attempts, this.settings.outbox.backoffMs))
          : null,
    };
    return { status, record };
  }

  private async setAside(row: RefundOutbox, reason: string): Promise<void> {
    this.logger.error(`Outbox event ${row.eventId} set aside: ${reason}`);
    this.observer.outboxEventSetAside({ event: row.name });
    await this.orm.em.fork().nativeUpdate(
      RefundOutbox,
      { seq: row.seq, leaseOwner: row.leaseOwner },
      {
        status: 'poisoned',
        lastError: truncateText(reason, MESSAGE_COLUMN_LENGTH),
        leaseOwner: null,
        leaseExpiresAt: null,
      },
    );
  }

  /**
   * This process's listeners of one event, keyed by their place among the listeners and their
   * name: every process registers the same listeners in the same order, so a key names the same
   * listener everywhere and a retry reaches only the listeners that failed.
   */
  private listenersOf(name: string): Array<[string, Listener]> {
    const named = this.emitter.listeners(name) as Listener[];
    const any = this.emitter.listenersAny() as Listener[];
    return [
      ...named.map((fn, i): [string, Listener] => [`${i}:${fn.name || 'listener'}`, fn]),
      ...any.map((fn, i): [string, Listener] => [
        `any${i}:${fn.name || 'listener'}`,
        (event) => fn.call(this.emitter, name, event),
      ]),
    ];
  }
}

/** The row of an event this process wrote already leased to itself, as far as delivering it needs. */
function heldRow(event: AnyRefundEvent, lease: string): RelayedRow {
  return {
    eventId: event.eventId,
    name: eventNameOf(event),
    refundId: event.refund.refundId,
    listeners: {},
    attempts: 0,
    leaseOwner: lease,
  };
}

function lockIfSupported(em: EntityManager, qb: QueryBuilder<RefundOutbox>): void {
  if (supportsRowLocks(em)) qb.setLockMode(LockMode.PESSIMISTIC_PARTIAL_WRITE);
}
