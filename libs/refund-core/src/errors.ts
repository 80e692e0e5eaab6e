import type { RefundStatus } from './domain/refund-status';
import type { GatewayRuleRefusal } from './gateway/refund-gateway.port';

/** Field-level problem with a refund request, as reported to callers. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Base of every error refund-core throws on purpose. `code` is stable and is what hosts map
 * to a transport status (HTTP in apps/api); libs never throw HTTP exceptions.
 */
export abstract class RefundError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class RefundValidationError extends RefundError {
  readonly code = 'REFUND_INVALID';
  constructor(readonly problems: FieldProblem[]) {
    super(`Invalid refund request: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`);
  }
}

export class UnknownGatewayError extends RefundError {
  readonly code = 'GATEWAY_UNKNOWN';
  constructor(readonly gateway: string) {
    super(`Unknown gateway '${gateway}'`);
  }
}

export class UnknownMerchantError extends RefundError {
  readonly code = 'MERCHANT_UNKNOWN';
  constructor(
    readonly gateway: string,
    readonly merchantId: string,
  ) {
    super(`Merchant '${merchantId}' is not configured for gateway '${gateway}'`);
  }
}

export class RefundNotFoundError extends RefundError {
  readonly code = 'REFUND_NOT_FOUND';
  constructor(readonly refundId: string) {
    super(`Refund '${refundId}' not found`);
  }
}

/** Same (gateway, merchantId, refundNo) as an existing refund, but with other parameters. */
export class RefundConflictError extends RefundError {
  readonly code = 'REFUND_CONFLICT';
  constructor(
    readonly refundId: string,
    readonly differences: string[],
  ) {
    super(`Refund number already used with different ${differences.join(', ')} (refund ${refundId})`);
  }
}

/** The order was first registered with another total; its refunds cannot agree on a balance. */
export class OrderConflictError extends RefundError {
  readonly code = 'ORDER_CONFLICT';
  constructor(
    readonly orderRef: string,
    readonly recordedTotal: number,
    readonly requestedTotal: number,
  ) {
    super(`Order '${orderRef}' is recorded with totalAmount ${recordedTotal}, not ${requestedTotal}`);
  }
}

/** A recorded order as a conflict shows it: the numbers it was first recorded with, and its total. */
export interface RecordedOrderView {
  merchantOrderNo: string | null;
  gatewayOrderNo: string | null;
  totalAmount: number;
}

/** One reference of a request and the recorded order it belongs to. */
export interface OrderReferenceOwner {
  field: 'order.merchantOrderNo' | 'order.gatewayOrderNo';
  value: string;
  order: RecordedOrderView;
}

/**
 * The request's merchant order number and gateway order number belong to two different recorded
 * orders (of the same gateway and merchant): one refund cannot be measured against two balances.
 */
export class OrderReferenceConflictError extends RefundError {
  readonly code = 'ORDER_REFERENCE_CONFLICT';
  constructor(readonly references: readonly OrderReferenceOwner[]) {
    super(
      `${references.map((r) => `${r.field} '${r.value}'`).join(' and ')} belong to different recorded orders: ` +
        references.map((r) => `'${r.value}' to ${describeRecordedOrder(r.order)}`).join('; '),
    );
  }
}

function describeRecordedOrder(order: RecordedOrderView): string {
  const names = [
    order.merchantOrderNo === null ? null : `merchant order ${order.merchantOrderNo}`,
    order.gatewayOrderNo === null ? null : `gateway order ${order.gatewayOrderNo}`,
  ].filter((name) => name !== null);
  return `the order recorded as ${names.join(' / ')} (${order.totalAmount} fen)`;
}

export class RefundExceedsBalanceError extends RefundError {
  readonly code = 'REFUND_EXCEEDS_BALANCE';
  constructor(
    readonly requested: number,
    readonly refundable: number,
  ) {
    super(`Refund of ${requested} fen exceeds the refundable balance of ${refundable} fen`);
  }
}

export class IllegalRefundTransitionError extends RefundError {
  readonly code = 'REFUND_ILLEGAL_TRANSITION';
  constructor(
    readonly from: RefundStatus,
    readonly to: RefundStatus,
  ) {
    super(`Cannot transition refund from ${from} to ${to}`);
  }
}

/** A final refund stays as it is: nobody, not even an operator, settles it again. */
export class RefundAlreadyFinalError extends RefundError {
  readonly code = 'REFUND_ALREADY_FINAL';
  constructor(
    readonly refundId: string,
    readonly status: RefundStatus,
  ) {
    super(`Refund '${refundId}' is already ${status}; a final refund does not change`);
  }
}

/** Another holder (a submission, a sync round) still works on the refund after the wait: try again shortly. */
export class RefundBusyError extends RefundError {
  readonly code = 'REFUND_BUSY';
  constructor(readonly refundId: string) {
    super(`Refund '${refundId}' is being worked on (a gateway call or a sync round); try again shortly`);
  }
}

/**
 * Other processes kept the database's write lock (SQLite shared by several processes) past the busy
 * timeout. The transaction never began: try again shortly; a request retried with the same refund
 * number never refunds twice.
 */
export class DatabaseBusyError extends RefundError {
  readonly code = 'DATABASE_BUSY';
  constructor(readonly waitedMs: number) {
    super(`The database stayed busy with other writers for ${waitedMs} ms; try again shortly`);
  }
}

export class DuplicateGatewayError extends RefundError {
  readonly code = 'GATEWAY_DUPLICATE';
  constructor(readonly gateway: string) {
    super(`Two refund gateways registered under the id '${gateway}'`);
  }
}

/**
 * The gateway's business rules refuse the request as it stands (a closed refund window): the
 * request is well formed, and sending it would only earn a refusal. `code` is the rule's own.
 */
export class GatewayRuleRefusalError extends RefundError {
  readonly code: string;
  constructor(
    readonly gateway: string,
    readonly refusals: readonly GatewayRuleRefusal[],
  ) {
    super(refusals.map((r) => r.message).join('; '));
    this.code = refusals[0]?.code ?? 'GATEWAY_RULE_REFUSED';
  }
}

/** A notification arrived for a gateway that sends none (ChaoYing). */
export class NotificationsNotSupportedError extends RefundError {
  readonly code = 'GATEWAY_NOTIFICATIONS_UNSUPPORTED';
  constructor(readonly gateway: string) {
    super(`Gateway '${gateway}' sends no refund notifications`);
  }
}
