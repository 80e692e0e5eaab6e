import type { OutboxListenerState, OutboxStatus } from '../../entities/refund-outbox.entity';
import type { SqlSession, SqlValue } from './sql-session';
import { sql } from './sql-statement';

const INSERT_OUTBOX = sql(`insert into "refund_outbox"
  ("event_id", "name", "refund_id", "payload", "occurred_at", "status", "attempts", "next_attempt_at", "listeners", "lease_owner", "lease_expires_at")
  values (?, ?, ?, ?, ?, 'pending', 0, ?, '{}', ?, ?)`);
const RELAYED = sql(`update "refund_outbox"
  set "status" = ?, "listeners" = ?, "attempts" = "attempts" + 1, "last_error" = ?, "lease_owner" = null,
    "lease_expires_at" = null, "relayed_at" = ?, "next_attempt_at" = coalesce(?, "next_attempt_at")
  where "event_id" = ? and "lease_owner" = ?`);

export interface OutboxRow {
  eventId: string;
  name: string;
  refundId: string;
  /** The event's payload, as JSON text. */
  payload: string;
  occurredAt: Date;
  nextAttemptAt: Date;
  /** Held by the process that wrote it, which delivers it at once after the commit. */
  lease: { owner: string; expiresAt: Date } | null;
}

export function insertOutbox(session: SqlSession, row: OutboxRow): void {
  session.write(INSERT_OUTBOX, [
    row.eventId,
    row.name,
    row.refundId,
    row.payload,
    row.occurredAt,
    row.nextAttemptAt,
    row.lease?.owner ?? null,
    row.lease?.expiresAt ?? null,
  ]);
}

/** What one delivery of an event did, to be written back under the lease it was made with. */
export interface RelayRecord {
  eventId: string;
  lease: string;
  status: OutboxStatus;
  listeners: Record<string, OutboxListenerState>;
  lastError: string | null;
  relayedAt: Date | null;
  /** When a pending event is tried again; null keeps the time it has. */
  nextAttemptAt: Date | null;
}

function relayParams(relay: RelayRecord): SqlValue[] {
  return [
    relay.status,
    JSON.stringify(relay.listeners),
    relay.lastError,
    relay.relayedAt,
    relay.nextAttemptAt,
    relay.eventId,
    relay.lease,
  ];
}

/** Writes what a delivery did; false when the lease was lost (another process relays the event). */
export async function recordRelay(session: SqlSession, relay: RelayRecord): Promise<boolean> {
  return (await session.run(RELAYED, relayParams(relay))) === 1;
}

/** The same write among the transaction's other writes (`SqlSession.write`): nobody reads whether the lease held. */
export function recordRelayWith(session: SqlSession, relay: RelayRecord): void {
  session.write(RELAYED, relayParams(relay));
}

/**
 * The statuses of the refund's events (a handful): asked by refund alone, so that only the refund's
 * index can serve it. With `status = 'pending'` in the statement, PostgreSQL plans by its statistics,
 * which mostly see delivered events, and walks every pending event of every refund instead.
 */
const STATUSES_OF_REFUND = sql(`select "status" from "refund_outbox" where "refund_id" = ?`);

/** Whether the refund has an event not yet delivered to every listener (its later ones wait for it). */
export async function hasPendingEvent(session: SqlSession, refundId: string): Promise<boolean> {
  return (await session.all(STATUSES_OF_REFUND, [refundId])).some((row) => row.status === 'pending');
}
