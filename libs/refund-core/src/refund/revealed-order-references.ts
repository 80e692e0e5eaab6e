import { Injectable, Logger } from '@nestjs/common';

import { codePointCount } from '../domain/text';
import { RefundOrder } from '../entities/refund-order.entity';
import { Refund } from '../entities/refund.entity';
import type { GatewayOrderFacts, GatewayOutcome } from '../gateway/refund-gateway.port';
import { insertFreeRef } from '../persistence/sql/order-ref-table';
import { orderById } from '../persistence/sql/refund-tables';
import { type SqlSession, isUniqueViolation } from '../persistence/sql/sql-session';
import {
  ORDER_REFERENCE_MAX_LENGTH,
  OrderReference,
  OwnedReference,
  describeReference,
  findOwners,
  linkReferences,
  referencesOf,
} from './order-references';

/** Tries at linking when another transaction links one of the same references in between. */
const LINK_ATTEMPTS = 3;

/** The order facts an outcome carries, if its kind may carry them. */
export function orderFactsOf(outcome: GatewayOutcome): GatewayOrderFacts | undefined {
  return 'order' in outcome ? outcome.order : undefined;
}

/**
 * What a gateway's answer says about a refund's order, held against what refundhub recorded.
 *
 * Numbers nobody has linked yet are linked to the refund's order: the gateway saw them together. A
 * contradiction is reported instead, for the caller to flag the refund: a number that belongs to
 * another recorded order, or another total (then nothing is linked, since the gateway's order may not
 * be this one), or another number than the refund's request gave for it (the request named the order
 * wrongly; the gateway's numbers are still linked, being the truth about the order the gateway
 * refunded). Money is never touched here.
 */
@Injectable()
export class RevealedOrderReferences {
  private readonly logger = new Logger(RevealedOrderReferences.name);

  /**
   * Runs in the transaction that applies the answer, right after the refund row is locked and before
   * anything else of the refund changes; the refund's order row is locked with it, and the order numbers
   * linked here are set on `refund.order` for the caller to write. Returns the contradictions, for
   * people; empty when none.
   */
  async record(
    session: SqlSession,
    refund: Refund,
    facts: GatewayOrderFacts | undefined,
    now: Date,
  ): Promise<string[]> {
    if (!facts) return [];
    const revealed = this.storable(refund, referencesOf(facts));
    const misnamed = requestMismatches(refund, revealed);
    if (totalMismatch(refund.order, facts.totalAmount).length === 0) {
      // The usual answers ask nothing of the database: numbers the order already has (every answer of a
      // sync says them again), or one number the gateway names for the first time, linked if it is free.
      const unknown = revealed.filter((ref) => !isNumberOf(refund.order, ref));
      if (unknown.length === 0) return misnamed;
      if (unknown.length === 1 && (await this.link(session, refund, unknown, now))) return misnamed;
    }
    for (let attempt = 1; attempt <= LINK_ATTEMPTS; attempt += 1) {
      const owned = await findOwners(session, refund, revealed);
      const blocking = [
        ...totalMismatch(refund.order, facts.totalAmount),
        ...(await this.ownedElsewhere(session, refund, owned)),
      ];
      if (blocking.length) return [...misnamed, ...blocking];
      const free = owned.filter((ref) => ref.orderId === null);
      if (free.length === 0 || (await this.link(session, refund, free, now))) return misnamed;
    }
    this.logger.warn(`Refund ${refund.id}: the order numbers the gateway named kept being linked concurrently`);
    return misnamed;
  }

  /** A number too long for the column would be cut into another number: it is not kept. */
  private storable(refund: Refund, refs: OrderReference[]): OrderReference[] {
    return refs.filter((ref) => {
      if (codePointCount(ref.value) <= ORDER_REFERENCE_MAX_LENGTH) return true;
      this.logger.warn(
        `Refund ${refund.id}: the gateway's ${ref.kind} order number is longer than ${ORDER_REFERENCE_MAX_LENGTH} characters; not kept`,
      );
      return false;
    });
  }

  private async ownedElsewhere(session: SqlSession, refund: Refund, owned: OwnedReference[]): Promise<string[]> {
    const problems: string[] = [];
    for (const ref of owned) {
      if (ref.orderId === null || ref.orderId === refund.order.id) continue;
      const other = await orderById(session, ref.orderId);
      if (!other) continue;
      problems.push(
        `the gateway names ${describeReference(ref)}, which belongs to another recorded order (first recorded as ${other.orderRef}, ${other.totalAmount} fen)`,
      );
    }
    return problems;
  }

  /**
   * Links `refs` to the refund's order under the order's row lock (refund row first, then order row,
   * as every balance change takes them, so this never waits on a request that holds the order and
   * links the same number). When another transaction linked one of them in between, nothing of this
   * try stays (one reference is inserted only if free; two, in a savepoint) and the caller looks again.
   */
  private async link(
    session: SqlSession,
    refund: Refund,
    refs: readonly OrderReference[],
    now: Date,
  ): Promise<boolean> {
    const order = refund.order;
    if (refs.length === 1) {
      // The usual case (the gateway's own order number): one statement, no savepoint around it.
      const [ref] = refs;
      if (
        !(await insertFreeRef(session, { order, kind: ref.kind, value: ref.value, source: 'gateway', createdAt: now }))
      )
        return false;
    } else {
      try {
        // SQLite throws a taken key from the write itself; async, so it rejects like PostgreSQL's send does.
        await session.savepoint(async () => linkReferences(session, order, refs, { source: 'gateway', now }));
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    }
    order.merchantOrderNo ??= refs.find((ref) => ref.kind === 'merchant')?.value ?? null;
    order.gatewayOrderNo ??= refs.find((ref) => ref.kind === 'gateway')?.value ?? null;
    this.logger.log(`Order ${order.id} is also ${refs.map(describeReference).join(' and ')}, as the gateway says`);
    return true;
  }
}

/** Whether the order already has this number as its own (linked to it when it was set). */
function isNumberOf(order: RefundOrder, ref: OrderReference): boolean {
  return (ref.kind === 'merchant' ? order.merchantOrderNo : order.gatewayOrderNo) === ref.value;
}

/** A number of a kind the request gave, but another one: the request named the order wrongly. */
function requestMismatches(refund: Refund, revealed: OrderReference[]): string[] {
  return revealed.flatMap((ref) => {
    const requested = ref.kind === 'merchant' ? refund.merchantOrderNo : refund.gatewayOrderNo;
    if (requested === null || requested === ref.value) return [];
    return [`the gateway names ${describeReference(ref)}, but the refund was requested with ${requested}`];
  });
}

function totalMismatch(order: RefundOrder, totalAmount: number | undefined): string[] {
  if (totalAmount === undefined || totalAmount === order.totalAmount) return [];
  return [
    `the gateway reports an order total of ${totalAmount} fen; the order is recorded with ${order.totalAmount} fen`,
  ];
}

/**
 * The outcome to apply when the gateway's answer contradicts the refund's order: an acceptance or a
 * success becomes `needs_attention` (`order_reference_conflict`), so the money stays reserved as it
 * is, nothing is counted as refunded, and a person settles which order the refund belongs to. A
 * definite failure is applied as it is: nothing moved at the gateway, whichever order it was.
 */
export function withOrderConflict(outcome: GatewayOutcome, problems: readonly string[]): GatewayOutcome {
  if (problems.length === 0) return outcome;
  switch (outcome.kind) {
    case 'processing':
    case 'succeeded':
    case 'needs_attention':
      return {
        kind: 'needs_attention',
        reason: 'order_reference_conflict',
        rawStatus: outcome.rawStatus,
        gatewayRefundNo: outcome.gatewayRefundNo,
        message: `The gateway's answer (${outcome.kind}) contradicts the order this refund was recorded on: ${problems.join('; ')}`,
      };
    default:
      return outcome;
  }
}
