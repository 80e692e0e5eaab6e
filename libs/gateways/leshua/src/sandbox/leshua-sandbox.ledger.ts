import { AmountError, fenToWire, formatChinaTime, wireToFen } from '@refundhub/gateway-kit';

import type {
  LeshuaSandboxOrder,
  LeshuaSandboxOrderSeed,
  LeshuaSandboxRefund,
  LeshuaSandboxRefundPlan,
} from './leshua-sandbox.types';

/** Error codes the sandbox answers with. The real gateway's table was not available. */
export const LESHUA_SANDBOX_ERRORS = {
  param: 'PARAM_ERROR',
  orderNotFound: 'ORDER_NOT_EXIST',
  amountExceeds: 'REFUND_AMOUNT_EXCEED',
  refundIdConflict: 'REFUND_ID_CONFLICT',
  refundNotFound: 'REFUND_NOT_EXIST',
  /** Only when a test asks for it (`rejectNext`): busy, try again later. */
  systemBusy: 'SYSTEM_BUSY',
} as const;

type Params = Readonly<Record<string, string | undefined>>;
type Fields = Record<string, string>;

interface RefundState extends LeshuaSandboxRefund {
  order: LeshuaSandboxOrder;
  plan: Required<Omit<LeshuaSandboxRefundPlan, 'failureReason'>> & { failureReason: string };
}

/** The business fields of one answer, and the refunds that became final while producing it. */
export interface LedgerResult {
  fields: Fields;
  finalized: LeshuaSandboxRefund[];
}

/** Orders and refunds of the simulated gateway; no HTTP, no signatures. */
export class LeshuaSandboxLedger {
  private readonly orders: LeshuaSandboxOrder[] = [];
  private readonly refunds = new Map<string, RefundState>();
  private readonly plans = new Map<string, LeshuaSandboxRefundPlan>();
  private sequence = 0;

  constructor(public queriesUntilFinal: number) {}

  seedOrder(seed: LeshuaSandboxOrderSeed): LeshuaSandboxOrder {
    if (!Number.isSafeInteger(seed.totalAmount) || seed.totalAmount < 1)
      throw new Error('totalAmount must be a positive integer');
    const order: LeshuaSandboxOrder = {
      merchantId: seed.merchantId,
      thirdOrderId: seed.thirdOrderId,
      leshuaOrderId: seed.leshuaOrderId ?? `LSO${this.next()}`,
      totalAmount: seed.totalAmount,
      balance: seed.totalAmount,
    };
    this.orders.push(order);
    return { ...order };
  }

  order(merchantId: string, orderRef: string): LeshuaSandboxOrder | undefined {
    const order = this.orders.find(
      (o) => o.merchantId === merchantId && (o.thirdOrderId === orderRef || o.leshuaOrderId === orderRef),
    );
    return order && { ...order };
  }

  plan(merchantRefundId: string, plan: LeshuaSandboxRefundPlan): void {
    this.plans.set(merchantRefundId, plan);
    for (const refund of this.refunds.values()) {
      if (refund.merchantRefundId === merchantRefundId && refund.status === '10')
        refund.plan = this.resolvePlan(merchantRefundId);
    }
  }

  find(merchantId: string, merchantRefundId: string): LeshuaSandboxRefund | undefined {
    const refund = this.refunds.get(refundKey(merchantId, merchantRefundId));
    return refund && snapshot(refund);
  }

  refund(params: Params, notifyUrl: string | undefined): LedgerResult {
    const merchantId = params.merchant_id ?? '';
    const refundId = params.merchant_refund_id;
    if (
      !refundId ||
      !params.refund_amount ||
      !params.nonce_str ||
      (!params.third_order_id && !params.leshua_order_id)
    ) {
      return refused(params, LESHUA_SANDBOX_ERRORS.param, '缺少必填参数');
    }
    const amount = parseAmount(params.refund_amount);
    if (amount === undefined || amount < 1) return refused(params, LESHUA_SANDBOX_ERRORS.param, '退款金额格式错误');
    const order = this.findOrder(merchantId, params);
    if (!order) return refused(params, LESHUA_SANDBOX_ERRORS.orderNotFound, '订单不存在');

    const existing = this.refunds.get(refundKey(merchantId, refundId));
    if (existing) {
      if (existing.amount !== amount || existing.order !== order) {
        return refused(params, LESHUA_SANDBOX_ERRORS.refundIdConflict, '商户退款id已存在且参数不一致');
      }
      return { fields: refundFields(existing, { order_balance: String(order.balance) }), finalized: [] };
    }
    if (amount > order.balance) return refused(params, LESHUA_SANDBOX_ERRORS.amountExceeds, '退款金额超过订单可退金额');

    order.balance -= amount;
    const refund: RefundState = {
      merchantId,
      merchantRefundId: refundId,
      leshuaRefundId: `LSR${this.next()}`,
      thirdOrderId: order.thirdOrderId,
      leshuaOrderId: order.leshuaOrderId,
      amount,
      status: '10',
      queries: 0,
      notifyUrl,
      order,
      plan: this.resolvePlan(refundId),
    };
    this.refunds.set(refundKey(merchantId, refundId), refund);
    const finalized = refund.plan.afterQueries <= 0 ? [this.finalize(refund, refund.plan.outcome)] : [];
    return { fields: refundFields(refund, { order_balance: String(order.balance) }), finalized };
  }

  query(params: Params): LedgerResult {
    const merchantId = params.merchant_id ?? '';
    if (
      !params.nonce_str ||
      (!params.third_order_id && !params.leshua_order_id) ||
      (!params.merchant_refund_id && !params.leshua_refund_id)
    ) {
      return refused(params, LESHUA_SANDBOX_ERRORS.param, '缺少必填参数');
    }
    const refund = [...this.refunds.values()].find(
      (r) =>
        r.merchantId === merchantId &&
        (!params.merchant_refund_id || r.merchantRefundId === params.merchant_refund_id) &&
        (!params.leshua_refund_id || r.leshuaRefundId === params.leshua_refund_id) &&
        (!params.third_order_id || r.thirdOrderId === params.third_order_id) &&
        (!params.leshua_order_id || r.leshuaOrderId === params.leshua_order_id),
    );
    if (!refund) return refused(params, LESHUA_SANDBOX_ERRORS.refundNotFound, '退款记录不存在');
    refund.queries += 1;
    const finalized =
      refund.status === '10' && refund.queries >= refund.plan.afterQueries
        ? [this.finalize(refund, refund.plan.outcome)]
        : [];
    return { fields: queryFields(refund), finalized };
  }

  complete(
    merchantId: string,
    merchantRefundId: string,
    outcome: 'success' | 'fail',
    failureReason?: string,
  ): LeshuaSandboxRefund {
    const refund = this.refunds.get(refundKey(merchantId, merchantRefundId));
    if (!refund) throw new Error(`Sandbox has no refund ${merchantId}/${merchantRefundId}`);
    if (refund.status !== '10') throw new Error(`Sandbox refund ${merchantId}/${merchantRefundId} is already final`);
    if (failureReason !== undefined) refund.plan.failureReason = failureReason;
    return this.finalize(refund, outcome);
  }

  private finalize(refund: RefundState, outcome: 'success' | 'fail'): LeshuaSandboxRefund {
    if (outcome === 'success') {
      refund.status = '11';
      refund.refundTime = new Date();
    } else {
      refund.status = '12';
      refund.failureReason = refund.plan.failureReason;
      // A refused refund gives its amount back to the order.
      refund.order.balance += refund.amount;
    }
    return snapshot(refund);
  }

  private resolvePlan(merchantRefundId: string): RefundState['plan'] {
    const plan = this.plans.get(merchantRefundId);
    return {
      outcome: plan?.outcome ?? 'success',
      afterQueries: plan?.afterQueries ?? this.queriesUntilFinal,
      failureReason: plan?.failureReason ?? '退款失败',
    };
  }

  /** leshua_order_id first, as the doc says the gateway does. */
  private findOrder(merchantId: string, params: Params): LeshuaSandboxOrder | undefined {
    return this.orders.find(
      (o) =>
        o.merchantId === merchantId &&
        (params.leshua_order_id
          ? o.leshuaOrderId === params.leshua_order_id
          : o.thirdOrderId === params.third_order_id),
    );
  }

  private next(): string {
    this.sequence += 1;
    return `${Date.now()}${String(this.sequence).padStart(6, '0')}`;
  }
}

function refundKey(merchantId: string, merchantRefundId: string): string {
  return `${merchantId}\u0000${merchantRefundId}`;
}

function parseAmount(value: string): number | undefined {
  try {
    return wireToFen(value);
  } catch (error) {
    if (error instanceof AmountError) return undefined;
    throw error;
  }
}

function snapshot(refund: RefundState): LeshuaSandboxRefund {
  const { order: _order, plan: _plan, ...rest } = refund;
  return { ...rest };
}

function refused(params: Params, errorCode: string, errorMsg: string): LedgerResult {
  return { fields: refusalFields(params, errorCode, errorMsg), finalized: [] };
}

/** Every field the doc lists for an answer, so the empty ones take part in the signature too. */
export function refusalFields(params: Params, errorCode: string, errorMsg: string): Fields {
  return {
    result_code: '1',
    error_code: errorCode,
    error_msg: errorMsg,
    merchant_id: params.merchant_id ?? '',
    third_order_id: params.third_order_id ?? '',
    leshua_order_id: params.leshua_order_id ?? '',
    refund_amount: params.refund_amount ?? '',
    merchant_refund_id: params.merchant_refund_id ?? '',
    leshua_refund_id: params.leshua_refund_id ?? '',
    total_amount: '',
    status: '',
  };
}

function refundFields(refund: RefundState, extra: Fields): Fields {
  return {
    result_code: '0',
    error_code: '',
    error_msg: '',
    merchant_id: refund.merchantId,
    third_order_id: refund.thirdOrderId,
    leshua_order_id: refund.leshuaOrderId,
    refund_amount: fenToWire(refund.amount),
    merchant_refund_id: refund.merchantRefundId,
    leshua_refund_id: refund.leshuaRefundId,
    total_amount: fenToWire(refund.order.totalAmount),
    ...extra,
    status: refund.status,
  };
}

function queryFields(refund: RefundState): Fields {
  return refundFields(refund, {
    ...(refund.refundTime ? { refund_time: formatChinaTime(refund.refundTime, 'yyyy-MM-dd HH:mm:ss') } : {}),
    // Not in the query table, but the notification has it; it also shows unknown fields are signed.
    ...(refund.status === '12' ? { failure_reason: refund.failureReason ?? '' } : {}),
  });
}
