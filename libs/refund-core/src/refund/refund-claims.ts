import { LockMode, MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';

import { Clock } from '../domain/clock';
import { newId } from '../domain/ids';
import { UNFINISHED_STATUSES } from '../domain/refund-status';
import { Refund } from '../entities/refund.entity';
import { InjectRefundOrm } from '../persistence/refund-orm.token';
import { supportsRowLocks } from '../persistence/storage-dialect';
import { RefundSettings } from '../refund-settings';

/** A refund whose gateway work this process holds, and the lease that proves it. */
export interface ClaimedRefund {
  id: string;
  gateway: string;
  merchantId: string;
  lease: string;
}

/**
 * Leases on refunds' gateway work. Whoever submits or queries a refund holds its lease first:
 * the request that created it, a sync round, a manual sync, the process a serial order's slot
 * was handed to. So any number of processes on one database never call the gateway about the
 * same refund at once, and a lease that is never released (the process died) runs out and the
 * refund comes back to the sync loop.
 */
@Injectable()
export class RefundClaims {
  constructor(
    @InjectRefundOrm() private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly settings: RefundSettings,
  ) {}

  /** A new lease, for a refund this process is about to create (the ledger writes it with the row). */
  newLease(): { owner: string; expiresAt: Date } {
    const now = this.clock.now();
    return { owner: newId('ls', now), expiresAt: this.expiry(now) };
  }

  /**
   * Leases up to `limit` due refunds (unfinished, `nextSyncAt` come, no live lease) to one sync
   * round, oldest due first. PostgreSQL skips rows another round is leasing this instant
   * (`FOR UPDATE SKIP LOCKED`); SQLite runs one write transaction at a time.
   */
  claimDue(limit: number): Promise<ClaimedRefund[]> {
    return this.orm.em.fork().transactional(async (em) => {
      const now = this.clock.now();
      const due = await em.find(
        Refund,
        { status: { $in: [...UNFINISHED_STATUSES] }, nextSyncAt: { $lte: now }, ...this.free(now) },
        {
          orderBy: { nextSyncAt: 'asc' },
          limit,
          fields: ['id', 'gateway', 'merchantId'],
          lockMode: supportsRowLocks(em) ? LockMode.PESSIMISTIC_PARTIAL_WRITE : undefined,
        },
      );
      if (!due.length) return [];
      const lease = newId('ls', now);
      await em.nativeUpdate(
        Refund,
        { id: { $in: due.map((row) => row.id) } },
        { leaseOwner: lease, leaseExpiresAt: this.expiry(now) },
      );
      return due.map((row) => ({ id: row.id, gateway: row.gateway, merchantId: row.merchantId, lease }));
    });
  }

  /** Leases one unfinished refund, or returns null when it is final or another holds a live lease. */
  async claim(refundId: string): Promise<string | null> {
    const now = this.clock.now();
    const lease = newId('ls', now);
    // One conditional update: under concurrent claims the database lets exactly one match.
    const taken = await this.orm.em
      .fork()
      .nativeUpdate(
        Refund,
        { id: refundId, status: { $in: [...UNFINISHED_STATUSES] }, ...this.free(now) },
        { leaseOwner: lease, leaseExpiresAt: this.expiry(now) },
      );
    return taken === 1 ? lease : null;
  }

  /**
   * Renews a lease just before its holder calls the gateway: a round leases its whole batch at once
   * but calls the gateway a few at a time, so the tail of a batch may wait longer than the lease.
   * False when the lease ran out and another holder took the refund: the caller must not call.
   */
  async renew(refundId: string, lease: string): Promise<boolean> {
    const now = this.clock.now();
    const renewed = await this.orm.em
      .fork()
      .nativeUpdate(Refund, { id: refundId, leaseOwner: lease }, { leaseExpiresAt: this.expiry(now) });
    return renewed === 1;
  }

  /** Gives the lease back without a change to the refund (nothing was sent, or the work ended early). */
  async release(refundId: string, lease: string): Promise<void> {
    await this.orm.em
      .fork()
      .nativeUpdate(Refund, { id: refundId, leaseOwner: lease }, { leaseOwner: null, leaseExpiresAt: null });
  }

  /** Gives the lease back and asks again at `until` (a merchant over its rate limit waits this way). */
  async postpone(refundId: string, lease: string, until: Date): Promise<void> {
    await this.orm.em
      .fork()
      .nativeUpdate(
        Refund,
        { id: refundId, leaseOwner: lease },
        { leaseOwner: null, leaseExpiresAt: null, nextSyncAt: until },
      );
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

  private free(now: Date) {
    return { $or: [{ leaseExpiresAt: null }, { leaseExpiresAt: { $lte: now } }] };
  }
}
