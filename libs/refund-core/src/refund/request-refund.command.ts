/**
 * A request to refund (part of) a paid order. Amounts are integer fen. Shape checks (types,
 * lengths) belong to the caller's transport layer; the service re-checks the money rules and
 * asks the gateway adapter for its own field limits.
 */
export interface RequestRefundCommand {
  gateway: string;
  merchantId: string;
  refundNo: string;
  amount: number;
  order: {
    merchantOrderNo?: string | null;
    gatewayOrderNo?: string | null;
    totalAmount: number;
    paidAt?: Date | null;
    payMethod?: string | null;
  };
  reason?: string | null;
  /**
   * The caller's own webhook for this refund, recorded with it: it is sent a signed POST on every
   * final state and when the refund needs attention (see RefundWebhookOptions).
   */
  notifyUrl?: string | null;
  gatewayOptions?: Record<string, unknown>;
  /**
   * Who asks, by name (at most 64 characters): apps/api records the API key's name. Recorded with
   * the refund, it picks the secret that signs its webhooks. Not part of the replay check: the same
   * request from another requester is the same refund.
   */
  requestedBy?: string | null;
}

/** Which merchants a caller may see or act for: `'*'` or a list of `gateway:merchantId`. */
export type MerchantScope = '*' | readonly string[];

export function scopeAllows(scope: MerchantScope, gateway: string, merchantId: string): boolean {
  return scope === '*' || scope.includes('*') || scope.includes(`${gateway}:${merchantId}`);
}

/** The refund's own fields as a command gives them, with absent values as null. */
export function refundFieldsOf(cmd: RequestRefundCommand) {
  return {
    merchantId: cmd.merchantId,
    refundNo: cmd.refundNo,
    amount: cmd.amount,
    merchantOrderNo: cmd.order.merchantOrderNo ?? null,
    gatewayOrderNo: cmd.order.gatewayOrderNo ?? null,
    totalAmount: cmd.order.totalAmount,
    paidAt: cmd.order.paidAt ?? null,
    payMethod: cmd.order.payMethod ?? null,
    reason: cmd.reason ?? null,
    notifyUrl: cmd.notifyUrl ?? null,
    gatewayOptions: cmd.gatewayOptions ?? {},
    requestedBy: cmd.requestedBy ?? null,
  };
}
