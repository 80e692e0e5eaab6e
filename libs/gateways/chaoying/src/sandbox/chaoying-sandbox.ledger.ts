import { AmountError, fenToWire, formatChinaTime, wireToFen } from '@refundhub/gateway-kit';

import { CHAOYING_PAY_TYPES } from '../chaoying.types';
import type {
  ChaoyingSandboxOrder,
  ChaoyingSandboxOrderSeed,
  ChaoyingSandboxOutcome,
  ChaoyingSandboxRefund,
  ChaoyingSandboxRefundPlan,
  ChaoyingSandboxRefundStatus,
} from './chaoying-sandbox.types';

/**
 * The `code`s the sandbox answers (参数规定). `20008` 退款错误 is how it refuses an amount over the
 * refundable balance and a reused `out_refund_no`; the documented list leaves 20008 an unknown outcome,
 * hence `CHAOYING_SANDBOX_MODULE_OPTIONS`.
 */
export const CHAOYING_SANDBOX_ERRORS = {
  ok: '10000',
  sign: '20002',
  param: '20004',
  merchant: '20005',
  /** Only when a test asks for it (`rejectNext`). */
  system: '20006',
  orderNotFound: '20007',
  /** A `refundquery` for a refund the sandbox does not have. */
  refundNotFound: '20007',
  amountExceeds: '20008',
  refundConflict: '20008',
  agent: '20012',
  /** Only when a test asks for it (`rejectNext`): 网络异常, a documented busy code. */
  network: '30001',
} as const;

/** The `msg`s that go with them. */
export const CHAOYING_SANDBOX_MESSAGES = {
  ok: 'SUCCESS',
  sign: '签名错误',
  param: '参数错误',
  merchant: '商户错误',
  orderNotFound: '订单不存在',
  amountExceeds: '退款金额超过可退金额',
  refundConflict: '退款单号重复',
  agent: '代理商错误',
} as const;

type Params = Readonly<Record<string, string | undefined>>;
type Fields = Record<string, string>;

type OrderState = ChaoyingSandboxOrder;

interface RefundState extends Omit<ChaoyingSandboxRefund, 'outTradeNo' | 'transactionId'> {
  order: OrderState;
  plan: Required<Omit<ChaoyingSandboxRefundPlan, 'failReason'>> & { failReason: string };
}

/** A ledger answer: its business fields (no `nonce_str`, no `sign`) and the refund it is about, if any. */
export interface LedgerAnswer {
  fields: Fields;
  /** `out_refund_no` of the refund the answer is about (a fault altering "our" refund looks for it). */
  outRefundNo?: string;
}

const PENDING: readonly ChaoyingSandboxRefundStatus[] = ['PROCESSING', 'NOTSURE'];
const MAX_REFUND_NO = 32;

/** Orders and refunds of the simulated gateway: no HTTP, no signatures. */
export class ChaoyingSandboxLedger {
  private readonly orders: OrderState[] = [];
  /** By merchant and `out_refund_no`, in the order they were accepted. */
  private readonly refunds = new Map<string, RefundState>();
  private readonly plans = new Map<string, ChaoyingSandboxRefundPlan>();
  private sequence = 0;
  private until: number;

  constructor(
    queriesUntilFinal: number,
    private readonly now: () => Date,
  ) {
    this.until = checkQueries(queriesUntilFinal);
  }

  set queriesUntilFinal(queries: number) {
    this.until = checkQueries(queries);
  }

  seedOrder(seed: ChaoyingSandboxOrderSeed): ChaoyingSandboxOrder {
    if (!Number.isSafeInteger(seed.totalFee) || seed.totalFee < 1)
      throw new Error('totalFee must be a positive integer');
    const transactionId = seed.transactionId ?? `7551000001${this.stamp()}`;
    if (this.findOrder(seed.merchantId, { outTradeNo: seed.outTradeNo, transactionId })) {
      throw new Error(`Sandbox already holds order ${seed.merchantId}/${seed.outTradeNo} (${transactionId})`);
    }
    const order: OrderState = {
      merchantId: seed.merchantId,
      outTradeNo: seed.outTradeNo,
      transactionId,
      outTransactionId: `4200000001${this.stamp()}`,
      totalFee: seed.totalFee,
      ...(seed.payType ? { payType: seed.payType } : {}),
      balance: seed.totalFee,
    };
    this.orders.push(order);
    return { ...order };
  }

  /** An order by `out_trade_no` or `transaction_id`. */
  order(merchantId: string, ref: string): ChaoyingSandboxOrder | undefined {
    const order = this.orders.find(
      (o) => o.merchantId === merchantId && (o.outTradeNo === ref || o.transactionId === ref),
    );
    return order && { ...order };
  }

  plan(outRefundNo: string, plan: ChaoyingSandboxRefundPlan): void {
    if (plan.afterQueries !== undefined) checkQueries(plan.afterQueries);
    this.plans.set(outRefundNo, plan);
    for (const refund of this.refunds.values()) {
      if (refund.outRefundNo === outRefundNo && PENDING.includes(refund.status)) refund.plan = this.planOf(outRefundNo);
    }
  }

  find(merchantId: string, outRefundNo: string): ChaoyingSandboxRefund | undefined {
    const refund = this.refunds.get(refundKey(merchantId, outRefundNo));
    return refund && snapshot(refund);
  }

  complete(
    merchantId: string,
    outRefundNo: string,
    outcome: Exclude<ChaoyingSandboxOutcome, 'notsure'>,
    failReason?: string,
  ): ChaoyingSandboxRefund {
    const refund = this.refunds.get(refundKey(merchantId, outRefundNo));
    if (!refund) throw new Error(`Sandbox has no refund ${merchantId}/${outRefundNo}`);
    if (!PENDING.includes(refund.status))
      throw new Error(`Sandbox refund ${merchantId}/${outRefundNo} is already final`);
    if (failReason !== undefined) refund.plan.failReason = failReason;
    this.settle(refund, outcome);
    return snapshot(refund);
  }

  /** `method=refund`, authenticated. */
  refund(params: Params): LedgerAnswer {
    const merchantId = params['mch_id'] ?? '';
    const missing = ['paytype', 'out_refund_no', 'total_fee', 'refund_fee', 'op_user_id'].find((n) => !params[n]);
    if (missing) return refused(CHAOYING_SANDBOX_ERRORS.param, `${CHAOYING_SANDBOX_MESSAGES.param}: 缺少${missing}`);
    const outTradeNo = params['out_trade_no'] || undefined;
    const transactionId = params['transaction_id'] || undefined;
    if (!outTradeNo === !transactionId) {
      return refused(
        CHAOYING_SANDBOX_ERRORS.param,
        `${CHAOYING_SANDBOX_MESSAGES.param}: out_trade_no和transaction_id须填且只填一个`,
      );
    }
    const outRefundNo = params['out_refund_no'] ?? '';
    if (outRefundNo.length > MAX_REFUND_NO) {
      return refused(CHAOYING_SANDBOX_ERRORS.param, `${CHAOYING_SANDBOX_MESSAGES.param}: out_refund_no超过32个字符`);
    }
    const paytype = params['paytype'] ?? '';
    if (!(CHAOYING_PAY_TYPES as readonly string[]).includes(paytype)) {
      return refused(CHAOYING_SANDBOX_ERRORS.param, `${CHAOYING_SANDBOX_MESSAGES.param}: 不支持的paytype`);
    }
    const totalFee = positiveFen(params['total_fee']);
    const refundFee = positiveFen(params['refund_fee']);
    if (totalFee === undefined || refundFee === undefined) {
      return refused(CHAOYING_SANDBOX_ERRORS.param, `${CHAOYING_SANDBOX_MESSAGES.param}: 金额须为正整数(分)`);
    }

    const order = this.findOrder(merchantId, { outTradeNo, transactionId });
    if (!order) return refused(CHAOYING_SANDBOX_ERRORS.orderNotFound, CHAOYING_SANDBOX_MESSAGES.orderNotFound);
    if (totalFee !== order.totalFee) {
      return refused(CHAOYING_SANDBOX_ERRORS.param, `${CHAOYING_SANDBOX_MESSAGES.param}: total_fee与订单金额不符`);
    }
    if (order.payType !== undefined && paytype !== order.payType) {
      return refused(CHAOYING_SANDBOX_ERRORS.param, `${CHAOYING_SANDBOX_MESSAGES.param}: paytype与订单支付方式不符`);
    }

    // One out_refund_no is one refund (「同个退款单号多次请求，平台当一个单处理，只会退一次款」).
    const existing = this.refunds.get(refundKey(merchantId, outRefundNo));
    if (existing) {
      if (existing.order !== order || existing.refundFee !== refundFee) {
        return refused(CHAOYING_SANDBOX_ERRORS.refundConflict, CHAOYING_SANDBOX_MESSAGES.refundConflict);
      }
      return { fields: acceptedFields(existing), outRefundNo };
    }
    if (refundFee > order.balance) {
      return refused(CHAOYING_SANDBOX_ERRORS.amountExceeds, CHAOYING_SANDBOX_MESSAGES.amountExceeds);
    }

    order.balance -= refundFee;
    const refund: RefundState = {
      merchantId,
      outRefundNo,
      refundId: `7551000002${this.stamp()}`,
      outRefundId: `5030000001${this.stamp()}`,
      payType: paytype,
      refundFee,
      status: 'PROCESSING',
      queries: 0,
      createdAt: this.now(),
      order,
      plan: this.planOf(outRefundNo),
    };
    this.refunds.set(refundKey(merchantId, outRefundNo), refund);
    if (refund.plan.afterQueries <= 0) this.settle(refund, refund.plan.outcome);
    return { fields: acceptedFields(refund), outRefundNo };
  }

  /** `method=refundquery`, authenticated: by `out_refund_no` and/or `refund_id`; lists every refund of the order. */
  query(params: Params): LedgerAnswer {
    const merchantId = params['mch_id'] ?? '';
    const outRefundNo = params['out_refund_no'] || undefined;
    const refundId = params['refund_id'] || undefined;
    if (!params['paytype'] || (!outRefundNo && !refundId)) {
      return refused(CHAOYING_SANDBOX_ERRORS.param, `${CHAOYING_SANDBOX_MESSAGES.param}: 缺少paytype或out_refund_no`);
    }
    if (!(CHAOYING_PAY_TYPES as readonly string[]).includes(params['paytype'])) {
      return refused(CHAOYING_SANDBOX_ERRORS.param, `${CHAOYING_SANDBOX_MESSAGES.param}: 不支持的paytype`);
    }
    const refund = outRefundNo
      ? this.refunds.get(refundKey(merchantId, outRefundNo))
      : [...this.refunds.values()].find((r) => r.merchantId === merchantId && r.refundId === refundId);
    if (!refund || (refundId && refund.refundId !== refundId)) {
      return refused(CHAOYING_SANDBOX_ERRORS.refundNotFound, CHAOYING_SANDBOX_MESSAGES.orderNotFound);
    }

    refund.queries += 1;
    const due = PENDING.includes(refund.status) && refund.queries >= refund.plan.afterQueries;
    if (due && !(refund.status === 'NOTSURE' && refund.plan.outcome === 'notsure')) {
      this.settle(refund, refund.plan.outcome);
    }

    const ofOrder = [...this.refunds.values()].filter((r) => r.order === refund.order);
    const summary = ofOrder.filter((r) => r.status !== 'FAIL').reduce((sum, r) => sum + r.refundFee, 0);
    return {
      fields: {
        state: 'SUCCESS',
        code: CHAOYING_SANDBOX_ERRORS.ok,
        msg: CHAOYING_SANDBOX_MESSAGES.ok,
        trade_state: 'SUCCESS',
        mch_id: merchantId,
        refund_count: String(ofOrder.length),
        refund_fee_summary: fenToWire(summary),
        refund_list: JSON.stringify(ofOrder.map((r, index) => listedRefund(r, index))),
      },
      outRefundNo: refund.outRefundNo,
    };
  }

  private settle(refund: RefundState, outcome: ChaoyingSandboxOutcome): void {
    if (outcome === 'notsure') {
      refund.status = 'NOTSURE';
      return;
    }
    refund.refundTime = this.now();
    if (outcome === 'success') refund.status = 'SUCCESS';
    else if (outcome === 'change')
      refund.status = 'CHANGE'; // 转入代发: the money is still owed, not back.
    else {
      refund.status = 'FAIL';
      refund.failReason = refund.plan.failReason;
      refund.order.balance += refund.refundFee;
    }
  }

  private planOf(outRefundNo: string): RefundState['plan'] {
    const plan = this.plans.get(outRefundNo);
    return {
      outcome: plan?.outcome ?? 'success',
      afterQueries: plan?.afterQueries ?? this.until,
      failReason: plan?.failReason ?? '退款失败',
    };
  }

  private findOrder(merchantId: string, ref: { outTradeNo?: string; transactionId?: string }): OrderState | undefined {
    return this.orders.find(
      (o) =>
        o.merchantId === merchantId &&
        ((ref.outTradeNo !== undefined && o.outTradeNo === ref.outTradeNo) ||
          (ref.transactionId !== undefined && o.transactionId === ref.transactionId)),
    );
  }

  /** 18 digits: China date and a sequence, unique within the sandbox. */
  private stamp(): string {
    this.sequence += 1;
    return `${formatChinaTime(this.now(), 'yyyyMMdd')}${String(this.sequence).padStart(10, '0')}`;
  }
}

function checkQueries(queries: number): number {
  if (!Number.isSafeInteger(queries) || queries < 0) throw new Error('queries must be a non-negative integer');
  return queries;
}

function refundKey(merchantId: string, outRefundNo: string): string {
  return `${merchantId}\u0000${outRefundNo}`;
}

function positiveFen(value: string | undefined): number | undefined {
  try {
    const fen = wireToFen(value ?? '');
    return fen > 0 ? fen : undefined;
  } catch (error) {
    if (error instanceof AmountError) return undefined;
    throw error;
  }
}

function refused(code: string, msg: string): LedgerAnswer {
  return { fields: { state: 'SUCCESS', code, msg, trade_state: 'FAIL' } };
}

function snapshot(refund: RefundState): ChaoyingSandboxRefund {
  const { order, plan: _plan, ...rest } = refund;
  return { ...rest, outTradeNo: order.outTradeNo, transactionId: order.transactionId };
}

/** The refund application accepted (again): never more than that, whatever the refund's state. */
function acceptedFields(refund: RefundState): Fields {
  return {
    state: 'SUCCESS',
    code: CHAOYING_SANDBOX_ERRORS.ok,
    msg: CHAOYING_SANDBOX_MESSAGES.ok,
    trade_state: 'SUCCESS',
    mch_id: refund.merchantId,
    transaction_id: refund.order.transactionId,
    out_trade_no: refund.order.outTradeNo,
    out_transaction_id: refund.order.outTransactionId,
    out_refund_no: refund.outRefundNo,
    refund_id: refund.refundId,
    refund_channel: 'ORIGINAL',
    refund_fee: fenToWire(refund.refundFee),
    coupon_refund_fee: '0',
    total_fee: fenToWire(refund.order.totalFee),
    paytype: refund.payType,
  };
}

function listedRefund(refund: RefundState, index: number): Fields {
  return {
    serial_no: String(index + 1),
    refund_id: refund.refundId,
    out_refund_id: refund.outRefundId,
    out_refund_no: refund.outRefundNo,
    refund_channel: 'ORIGINAL',
    refund_fee: fenToWire(refund.refundFee),
    base_refund_fee: fenToWire(refund.refundFee),
    coupon_refund_fee: '0',
    refund_status: refund.status,
    ...(refund.refundTime ? { refund_time: formatChinaTime(refund.refundTime, 'yyyy-MM-dd HH:mm:ss') } : {}),
  };
}
