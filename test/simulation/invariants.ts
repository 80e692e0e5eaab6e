import { isFinal, Refund, RefundHistory, RefundOrder, type RefundStatus } from '@refundhub/core';

import { RefundOutbox } from '../../libs/refund-core/src/entities/refund-outbox.entity';
import { SIM_ORDERS, type SimWorld } from './sim-world';

const FINAL_EVENT: Partial<Record<RefundStatus, string>> = {
  SUCCEEDED: 'refund.succeeded',
  FAILED: 'refund.failed',
};

const FINAL_EVENT_NAMES = new Set(Object.values(FINAL_EVENT));

/** The code a `gateway_change` flag leaves on its history row. */
const CHANGE_HISTORY_CODE = 'GATEWAY_CHANGE';

/** The database's view, read fresh (a new EntityManager) after every step. */
interface Snapshot {
  refunds: Refund[];
  orders: RefundOrder[];
  outbox: RefundOutbox[];
}

async function snapshot(world: SimWorld): Promise<Snapshot> {
  const em = world.system.orm.em.fork();
  return {
    refunds: await em.find(Refund, {}, { populate: ['order'], orderBy: { id: 'asc' } }),
    orders: await em.find(RefundOrder, {}, { orderBy: { id: 'asc' } }),
    outbox: await em.find(RefundOutbox, {}, { orderBy: { seq: 'asc' } }),
  };
}

/** What must hold after every step, whatever the faults: the violations found, empty when none. */
export async function checkStepInvariants(world: SimWorld): Promise<string[]> {
  const { refunds, orders, outbox } = await snapshot(world);
  const violations: string[] = [];
  for (const order of orders) {
    const mine = refunds.filter((r) => r.order.id === order.id);
    const reserved = sum(mine.filter((r) => r.status !== 'FAILED'));
    const refunded = sum(mine.filter((r) => r.status === 'SUCCEEDED'));
    if (order.reservedAmount !== reserved)
      violations.push(
        `order ${order.orderRef}: reserved ${order.reservedAmount}, refunds not FAILED sum to ${reserved}`,
      );
    if (order.refundedAmount !== refunded)
      violations.push(
        `order ${order.orderRef}: refunded ${order.refundedAmount}, SUCCEEDED refunds sum to ${refunded}`,
      );
    if (order.reservedAmount > order.totalAmount)
      violations.push(`order ${order.orderRef}: reserved ${order.reservedAmount} > total ${order.totalAmount}`);
  }
  for (const order of SIM_ORDERS) {
    const atGateway = world.gateway.order(order.thirdOrderId);
    if (atGateway && atGateway.balance < 0)
      violations.push(`order ${order.thirdOrderId}: the gateway refunded more than its total ${order.totalAmount}`);
  }
  for (const refund of refunds) {
    const before = world.finals.get(refund.id);
    if (before && before !== refund.status)
      violations.push(`refund ${refund.refundNo}: final ${before} became ${refund.status}`);
    if (isFinal(refund.status)) world.finals.set(refund.id, before ?? refund.status);
    const final = FINAL_EVENT[refund.status];
    if (final) {
      const rows = outbox.filter((row) => row.refundId === refund.id && row.name === final).length;
      if (rows !== 1)
        violations.push(`refund ${refund.refundNo} is ${refund.status} with ${rows} ${final} outbox rows`);
    }
    violations.push(...agreesWithGateway(world, refund));
  }
  for (const conflict of world.gateway.observations.conflicts)
    violations.push(`gateway saw one refund number with two parameter sets: ${conflict}`);
  for (const refundNo of world.gateway.observations.blindResubmissions)
    violations.push(`refund ${refundNo} was submitted again while the gateway held it, without a query first`);
  // A serial gateway (Baofoo): the core's order slot keeps a second refund of an order from it meanwhile.
  for (const overlap of world.gateway.observations.overlaps)
    violations.push(`two refunds of one order were in flight at the gateway at once: ${overlap}`);
  return violations;
}

/**
 * Our final word on a refund never contradicts the gateway's ledger. A refund the gateway moved to manual
 * payout (ChaoYing CHANGE) is neither: it is never guessed SUCCEEDED or FAILED.
 */
function agreesWithGateway(world: SimWorld, refund: Refund): string[] {
  const atGateway = world.gateway.refund(refund.refundNo);
  if (refund.status === 'SUCCEEDED' && atGateway?.state !== 'succeeded')
    return [`refund ${refund.refundNo} is SUCCEEDED; the gateway has it as ${atGateway?.raw ?? 'absent'}`];
  // A released reservation while the gateway may still pay out: the order could be refunded twice.
  if (refund.status === 'FAILED' && atGateway && atGateway.state !== 'failed')
    return [`refund ${refund.refundNo} is FAILED; the gateway has it as ${atGateway.raw}`];
  return [];
}

/** What must hold once faults stopped and the schedule ran its course. */
export async function checkEventualInvariants(world: SimWorld): Promise<string[]> {
  const { refunds, outbox } = await snapshot(world);
  const heardChange = await refundsHeardAsChange(world);
  const violations: string[] = [];
  for (const refund of refunds) {
    if (!isFinal(refund.status) && !refund.attentionReason)
      violations.push(`refund ${refund.refundNo} is still ${refund.status} and nobody was asked to look at it`);
    // Once heard, CHANGE stays the reason a person sees, even when the gateway later no longer finds the
    // refund. Lost before we ever heard it (its answers lost on the way), it can only be flagged as lost.
    const lostUnheard =
      !heardChange.has(refund.id) &&
      world.gateway.lost(refund.refundNo) &&
      refund.attentionReason === 'gateway_lost_refund';
    if (
      world.gateway.refund(refund.refundNo)?.state === 'change' &&
      refund.attentionReason !== 'gateway_change' &&
      !lostUnheard
    )
      violations.push(
        `refund ${refund.refundNo} is CHANGE at the gateway; it is ${refund.status}, flagged ${refund.attentionReason ?? 'not at all'}`,
      );
    violations.push(...agreesWithGateway(world, refund));
  }
  for (const [index, order] of SIM_ORDERS.entries()) {
    const atGateway = world.gateway.order(order.thirdOrderId);
    const gatewayRefunded = order.totalAmount - (atGateway?.balance ?? order.totalAmount);
    const succeeded = sum(
      refunds.filter((r) => r.order.merchantOrderNo === order.thirdOrderId && r.status === 'SUCCEEDED'),
    );
    const pending = sum(refunds.filter((r) => r.order.merchantOrderNo === order.thirdOrderId && !isFinal(r.status)));
    // Refunds still unsettled (needing attention) may hold gateway money; settled ones must match exactly.
    if (gatewayRefunded < succeeded || gatewayRefunded > succeeded + pending)
      violations.push(`order ${index}: the gateway refunded ${gatewayRefunded}, SUCCEEDED refunds sum to ${succeeded}`);
  }
  for (const row of outbox) {
    if (FINAL_EVENT_NAMES.has(row.name) && !world.heard.has(row.eventId))
      violations.push(`event ${row.name} of refund ${row.refundId} never reached the listener`);
  }
  return violations;
}

/** The refunds whose history holds a CHANGE answer: we knew they went to manual payout. */
async function refundsHeardAsChange(world: SimWorld): Promise<Set<string>> {
  const rows = await world.system.orm.em.fork().find(RefundHistory, { code: CHANGE_HISTORY_CODE });
  return new Set(rows.map((row) => row.refund.id));
}

function sum(refunds: readonly Refund[]): number {
  return refunds.reduce((total, refund) => total + refund.amount, 0);
}
