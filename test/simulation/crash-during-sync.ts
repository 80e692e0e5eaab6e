import type { EntityManager } from '@mikro-orm/core';
import { isFinal, Refund, RefundExchange, RefundHistory } from '@refundhub/core';

import type { GatewayCallKind } from './held-call';
import { SimStep } from './sim-step';
import type { SimWorld } from './sim-world';

/** Columns an answer, a flag or a resubmission writes: a round that died with its call out changes none. */
const OUTCOME_COLUMNS = [
  'status',
  'attempts',
  'syncCount',
  'gatewayRefundNo',
  'gatewayStatus',
  'failureCode',
  'failureMessage',
  'attentionReason',
  'attentionSince',
  'submittedAt',
  'finishedAt',
] as const satisfies ReadonlyArray<keyof Refund>;

/**
 * Every column a sync writes, the lease's included. A deferral ends as its resubmission goes out
 * (before the call), so `deferredAt` is among what may change before the crash, never after it.
 */
const ROW_COLUMNS = [
  ...OUTCOME_COLUMNS,
  'deferredAt',
  'nextSyncAt',
  'updatedAt',
  'leaseOwner',
  'leaseExpiresAt',
] as const;

/** A refund's columns a sync writes, and how many history and exchange rows it has. */
type RefundRow = Pick<Refund, (typeof ROW_COLUMNS)[number]> & { history: number; exchanges: number };

/** Nothing of it may change once its round has died. */
const EVERYTHING: ReadonlyArray<keyof RefundRow> = [...ROW_COLUMNS, 'history', 'exchanges'];

/**
 * A sync round's call is out at the gateway when the process dies: a query, or the resubmission that
 * follows a "not found" (or a deferral), which the gateway applied or not (per the seed). Nothing of the
 * answer reaches the database, and the refund keeps the dead round's lease until it runs out; the next
 * incarnation's own sync rounds must then learn the outcome, never by a blind resubmission.
 */
export class CrashDuringSyncStep extends SimStep {
  constructor(
    readonly advanceMs: number,
    readonly kind: GatewayCallKind,
    readonly applies: boolean,
  ) {
    super();
  }

  protected async act(world: SimWorld): Promise<string> {
    await world.passTime(this.advanceMs);
    const before = await rowsByRefundNo(world.system.orm.em.fork());
    // Only a call of the round's own refunds is held: a queued refund the round hands its order's slot
    // to is submitted in the background, which a shutdown waits for (and the held call ends only after).
    const due = dueRefundNos(before, world.clock.now());
    const held = world.gateway.holdNextCall({ applies: this.applies, kind: this.kind, refundNos: due });
    const round = world.system.sync.runOnce();
    const first = await Promise.race([held.then((call) => ({ call })), round.then((result) => ({ result }))]).catch(
      (error: unknown) => {
        world.gateway.releaseHeldCall();
        throw error;
      },
    );
    if ('result' in first) {
      world.gateway.releaseHeldCall();
      await world.crash();
      return `no ${this.kind} went out (due ${first.result.due}); crash and restart`;
    }
    const refundNo = first.call.refundNo;
    // Read by the old incarnation as the call goes out: the round's writes so far (its claim, a serial
    // order's slot, the "not found" it heard) all came before the crash.
    const atCrash = (await rowsByRefundNo(world.system.orm.em.fork())).get(refundNo);
    await world.crash(async () => {
      // Closed, the old incarnation's connection pools are destroyed: its call may end now, and what it
      // then tries to record fails (the round counts the failure as one of its errors).
      world.gateway.releaseHeldCall();
      await round.catch(() => undefined);
    });
    world.crashesDuringSync += 1;
    const after = (await rowsByRefundNo(world.system.orm.em.fork())).get(refundNo);
    const problems = [
      ...changed(before.get(refundNo), after, OUTCOME_COLUMNS, 'the round'),
      ...changed(atCrash, after, EVERYTHING, 'the crash'),
    ];
    if (problems.length) {
      throw new Error(`the crashed sync round wrote ${refundNo} after its call went out: ${problems.join('; ')}`);
    }
    const applied = this.applies ? 'applied it' : 'never got it';
    return `crash while the sync's ${first.call.kind} of ${refundNo} in flight (gateway ${applied}); restarted`;
  }

  toString(): string {
    const lost = this.applies ? '' : ', never received';
    return `+${this.advanceMs / 1000}s sync round, crash while its ${this.kind} is in flight${lost}`;
  }
}

export async function rowsByRefundNo(em: EntityManager): Promise<Map<string, RefundRow>> {
  const refunds = await em.find(Refund, {});
  const rows = new Map<string, RefundRow>();
  for (const refund of refunds) {
    const row = Object.fromEntries(ROW_COLUMNS.map((column) => [column, refund[column]])) as Pick<
      Refund,
      (typeof ROW_COLUMNS)[number]
    >;
    rows.set(refund.refundNo, {
      ...row,
      history: await em.count(RefundHistory, { refund: refund.id }),
      exchanges: await em.count(RefundExchange, { refund: refund.id }),
    });
  }
  return rows;
}

/** The refunds a sync round starting now claims: unfinished, due, and under no live lease. */
export function dueRefundNos(rows: ReadonlyMap<string, RefundRow>, now: Date): Set<string> {
  const due = new Set<string>();
  for (const [refundNo, row] of rows) {
    const free = row.leaseExpiresAt === null || row.leaseExpiresAt <= now;
    if (!isFinal(row.status) && row.nextSyncAt !== null && row.nextSyncAt <= now && free) due.add(refundNo);
  }
  return due;
}

function changed(
  earlier: RefundRow | undefined,
  later: RefundRow | undefined,
  columns: ReadonlyArray<keyof RefundRow>,
  since: string,
): string[] {
  if (!earlier || !later) return [`the refund is ${later ? 'new' : 'gone'} since ${since}`];
  return columns
    .filter((column) => valueText(earlier[column]) !== valueText(later[column]))
    .map((column) => `${column} ${valueText(earlier[column])} -> ${valueText(later[column])} since ${since}`);
}

/** Dates to the millisecond: `String(date)` would hide a change within one second. */
function valueText(value: RefundRow[keyof RefundRow]): string {
  return value instanceof Date ? value.toISOString() : String(value);
}
