'use strict';
/**
 * The checks of transaction 1 that do not depend on the dialect: a replayed refund number, an order
 * named with another total, a refund beyond the balance. Answers as the API's status codes and
 * error codes, so a client sees the same thing from both.
 */

/** The refund number is taken: the same request is a replay (200), another one a conflict (409). */
function replayOf(existing, cmd) {
  const same =
    Number(existing.amount) === cmd.amount &&
    Number(existing.total_amount) === cmd.order.totalAmount &&
    (existing.merchant_order_no ?? null) === (cmd.order.merchantOrderNo ?? null);
  return same
    ? { kind: 'replay', row: existing }
    : { kind: 'refused', http: 409, code: 'REFUND_CONFLICT', message: 'refund number taken with other parameters' };
}

/** Why the recorded order refuses this refund, or null when it takes it. */
function orderRefusal(order, cmd) {
  if (Number(order.total_amount) !== cmd.order.totalAmount)
    return { kind: 'refused', http: 409, code: 'ORDER_CONFLICT', message: 'the order was recorded with another total' };
  const refundable = Number(order.total_amount) - Number(order.reserved_amount) - Number(order.refunded_amount);
  if (cmd.amount > refundable)
    return { kind: 'refused', http: 422, code: 'REFUND_EXCEEDS_BALANCE', message: `refundable ${refundable}` };
  return null;
}

/** A second request raced ours to the same refund number or order reference: look again (as the product does). */
const RACE_ATTEMPTS = 5;

module.exports = { replayOf, orderRefusal, RACE_ATTEMPTS };
