import { UNFINISHED_STATUSES } from '../../domain/refund-status';
import { storedDate } from './refund-rows';
import type { SqlSession } from './sql-session';
import { sql } from './sql-statement';

// The leases on refunds' gateway work (see RefundClaims): each change is one conditional statement.

const UNFINISHED = `"status" in (${UNFINISHED_STATUSES.map((s) => `'${s}'`).join(', ')})`;
const FREE = `("lease_expires_at" is null or "lease_expires_at" <= ?)`;

/**
 * The due refunds, oldest due first, leased in the statement that finds them. On PostgreSQL a round
 * skips the rows another round is leasing this instant; SQLite's write lock runs one round at a time.
 * Exported for the benchmark, which explains it.
 */
export const LEASE_DUE = sql(`update "refund" set "lease_owner" = ?, "lease_expires_at" = ?
  where "id" in (select "id" from "refund"
    where ${UNFINISHED} and "next_sync_at" <= ? and ${FREE}
    order by "next_sync_at" asc limit ? {skipLocked})
  returning "id", "gateway", "merchant_id", "next_sync_at"`);
const LEASE_ONE = sql(`update "refund" set "lease_owner" = ?, "lease_expires_at" = ?
  where "id" = ? and ${UNFINISHED} and ${FREE}`);
const RENEW = sql(`update "refund" set "lease_expires_at" = ? where "id" = ? and "lease_owner" = ?`);
const RELEASE = sql(`update "refund" set "lease_owner" = null, "lease_expires_at" = null
  where "id" = ? and "lease_owner" = ?`);
const POSTPONE = sql(`update "refund" set "lease_owner" = null, "lease_expires_at" = null, "next_sync_at" = ?
  where "id" = ? and "lease_owner" = ?`);

export interface Lease {
  owner: string;
  expiresAt: Date;
}

export interface LeasedRow {
  id: string;
  gateway: string;
  merchantId: string;
}

/** Leases up to `limit` refunds due at `now` to `lease`; oldest due first. */
export async function leaseDue(
  session: SqlSession,
  { lease, now, limit }: { lease: Lease; now: Date; limit: number },
): Promise<LeasedRow[]> {
  const rows = await session.all(LEASE_DUE, [lease.owner, lease.expiresAt, now, now, limit]);
  // `returning` keeps no order: the oldest due are synced first, as they were chosen.
  return rows
    .map((row) => ({
      due: storedDate(row.next_sync_at).getTime(),
      id: String(row.id),
      gateway: String(row.gateway),
      merchantId: String(row.merchant_id),
    }))
    .sort((a, b) => a.due - b.due || (a.id < b.id ? -1 : 1))
    .map(({ id, gateway, merchantId }) => ({ id, gateway, merchantId }));
}

/** Leases one unfinished refund nobody holds; false when it is final or another holds a live lease. */
export async function leaseOne(
  session: SqlSession,
  { id, lease, now }: { id: string; lease: Lease; now: Date },
): Promise<boolean> {
  return (await session.run(LEASE_ONE, [lease.owner, lease.expiresAt, id, now])) === 1;
}

/** Extends the holder's lease; false when the holder no longer holds it. */
export async function renewLease(session: SqlSession, { id, lease }: { id: string; lease: Lease }): Promise<boolean> {
  return (await session.run(RENEW, [lease.expiresAt, id, lease.owner])) === 1;
}

export async function releaseLease(session: SqlSession, { id, owner }: { id: string; owner: string }): Promise<void> {
  await session.run(RELEASE, [id, owner]);
}

/** Releases the lease and makes the refund due again at `until`. */
export async function postponeLease(
  session: SqlSession,
  { id, owner, until }: { id: string; owner: string; until: Date },
): Promise<void> {
  await session.run(POSTPONE, [until, id, owner]);
}
