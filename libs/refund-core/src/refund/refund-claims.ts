import { Injectable } from '@nestjs/common';

import { Clock } from '../domain/clock';
import { newId } from '../domain/ids';
import type { Refund } from '../entities/refund.entity';
import {
  type Lease,
  leaseDue,
  leaseOne,
  postponeLease,
  releaseLease,
  renewLease,
} from '../persistence/sql/lease-table';
import { RefundWrites } from '../persistence/sql/write-transactions';
import { RefundSettings } from '../refund-settings';

/** A refund whose gateway work this process holds, and the lease that proves it. */
export interface ClaimedRefund {
  id: string;
  gateway: string;
  merchantId: string;
  lease: string;
  /** When the lease runs out unless renewed. */
  leaseExpiresAt: Date;
}

/**
 * Leases on refunds' gateway work. Whoever submits or queries a refund holds its lease first:
 * the request that created it, a sync round, a manual sync, the process a serial order's slot
 * was handed to. So any number of processes on one database never call the gateway about the
 * same refund at once, and a lease that is never released (the process died) runs out and the
 * refund comes back to the sync loop. Every change of a lease is one conditional statement.
 */
@Injectable()
export class RefundClaims {
  constructor(
    private readonly writes: RefundWrites,
    private readonly clock: Clock,
    private readonly settings: RefundSettings,
  ) {}

  /** A new lease, for a refund this process is about to create (the ledger writes it with the row). */
  newLease(): Lease {
    const now = this.clock.now();
    return { owner: newId('ls', now), expiresAt: this.expiry(now) };
  }

  /**
   * Leases up to `limit` due refunds (unfinished, `nextSyncAt` come, no live lease) to one sync
   * round, oldest due first. PostgreSQL skips rows another round is leasing this instant
   * (`FOR UPDATE SKIP LOCKED`); SQLite runs one write transaction at a time.
   */
  async claimDue(limit: number): Promise<ClaimedRefund[]> {
    const now = this.clock.now();
    const lease = { owner: newId('ls', now), expiresAt: this.expiry(now) };
    const due = await this.writes.statement((session) => leaseDue(session, { lease, now, limit }));
    return due.map((row) => ({ ...row, lease: lease.owner, leaseExpiresAt: lease.expiresAt }));
  }

  /** Leases one unfinished refund, or returns null when it is final or another holds a live lease. */
  async claim(refundId: string): Promise<string | null> {
    const now = this.clock.now();
    const lease = { owner: newId('ls', now), expiresAt: this.expiry(now) };
    // One conditional update: under concurrent claims the database lets exactly one match.
    const taken = await this.writes.statement((session) => leaseOne(session, { id: refundId, lease, now }));
    return taken ? lease.owner : null;
  }

  /**
   * Whether the holder of a lease that runs out at `expiresAt` must renew it before a gateway call:
   * a round leases its whole batch at once but calls the gateway a few at a time, so the tail of a
   * batch may wait long. A lease with a whole gateway call and half as much again left needs no
   * renewal: nobody can take it before a call started now has ended.
   */
  needsRenewal(expiresAt: Date): boolean {
    return !this.settings.outlastsGatewayCall(expiresAt.getTime() - this.clock.now().getTime());
  }

  /**
   * Renews a lease just before its holder calls the gateway. False when the lease ran out and another
   * holder took the refund: the caller must not call.
   */
  renew(refundId: string, lease: string): Promise<boolean> {
    const expiresAt = this.expiry(this.clock.now());
    return this.writes.statement((session) =>
      renewLease(session, { id: refundId, lease: { owner: lease, expiresAt } }),
    );
  }

  /** Gives the lease back without a change to the refund (nothing was sent, or the work ended early). */
  release(refundId: string, lease: string): Promise<void> {
    return this.writes.statement((session) => releaseLease(session, { id: refundId, owner: lease }));
  }

  /** Gives the lease back and asks again at `until` (a merchant over its rate limit waits this way). */
  postpone(refundId: string, lease: string, until: Date): Promise<void> {
    return this.writes.statement((session) => postponeLease(session, { id: refundId, owner: lease, until }));
  }

  /** Inside the transaction that applies an answer: the holder's lease ends with its work. */
  releaseIn(refund: Refund, lease: string | undefined): void {
    if (lease !== undefined && refund.leaseOwner === lease) {
      refund.leaseOwner = null;
      refund.leaseExpiresAt = null;
    }
  }

  /** When a lease taken now runs out: twice the longest gateway call, which always ends first. */
  private expiry(now: Date): Date {
    return new Date(now.getTime() + this.settings.claimLeaseMs);
  }
}
