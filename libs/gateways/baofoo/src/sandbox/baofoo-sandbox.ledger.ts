import { formatChinaTime, refundWindowRefusal } from '@refundhub/gateway-kit';

import {
  BAOFOO_REFUND_STATE,
  BAOFOO_RESULT_CODE,
  type BaofooRefundAnswerData,
  type BaofooRefundBizContent,
  type BaofooRefundQueryAnswerData,
  type BaofooRefundQueryBizContent,
  type BaofooRefundState,
} from '../baofoo.types';
import type {
  BaofooSandboxOrder,
  BaofooSandboxOrderSeed,
  BaofooSandboxOutcome,
  BaofooSandboxRefund,
  BaofooSandboxRefundPlan,
} from './baofoo-sandbox.types';

/** The `errCode`s the sandbox answers (错误码), all of them Baofoo's own. */
export const BAOFOO_SANDBOX_ERRORS = {
  param: 'INVALID_PARAMETER',
  sign: 'VERIFY_ERROR',
  merchant: 'MERCHANT_NOT_EXIST',
  terminal: 'MERID_TERID_NOT_MATCH',
  orderNotFound: 'ORDER_NOT_EXIST',
  /** A repeated `outTradeNo` naming another order or amount: "already created", never a failure (§5a). */
  orderExists: 'ORDER_EXIST',
  /** An order paid more than a year ago (the documentation names no code for it). */
  notRefundable: 'ORDER_NOT_SUPPORT_REFUNDS',
  amountExceeds: 'REFUND_AMT_EXCEEDS',
  concurrent: 'NOT_SUPPORT_CONCURRENT',
  /** Only when a test asks for it (`rejectNext`). */
  systemBusy: 'SYSTEM_BUSY',
  /** Only when a test asks for it (`rejectNext`). */
  unconfirmed: 'TRADE_UNCONFIRMED',
} as const;

/** The `errMsg`s that go with them. */
export const BAOFOO_SANDBOX_MESSAGES = {
  sign: '验签失败',
  merchant: '商户不存在',
  terminal: '商户号与终端号不匹配',
  orderNotFound: '原支付订单不存在',
  orderExists: '退款订单已存在',
  notRefundable: '交易时间超过一年的订单无法发起退款',
  amountExceeds: '退款金额超过可退金额',
  concurrent: '不支持并发退款,请分批次执行',
  refundFailed: '退款失败',
} as const;

/** Refunds older than this many calendar days (China time) after payment are refused: 「交易时间超过一年」. */
export const BAOFOO_SANDBOX_REFUND_WINDOW_DAYS = 365;

type OrderState = BaofooSandboxOrder;

interface RefundState extends Omit<BaofooSandboxRefund, 'originTradeNo' | 'originOutTradeNo'> {
  order: OrderState;
  plan: Required<Omit<BaofooSandboxRefundPlan, 'errCode'>> & { errCode?: string };
  /** The `order_refund` answer, repeated as it was to a repeated `outTradeNo` (幂等). */
  answer: BaofooRefundAnswerData;
}

/** A ledger answer: the `dataContent` fields, the refund it is about, and refunds that became final. */
export interface LedgerAnswer<T> {
  data: T;
  /** `outTradeNo` of the refund the answer is about (a fault altering "our" refund looks for it). */
  outTradeNo?: string;
  finalized: BaofooSandboxRefund[];
}

const PENDING: readonly BaofooRefundState[] = [BAOFOO_REFUND_STATE.refund, BAOFOO_REFUND_STATE.abnormal];

/** Orders and refunds of the simulated gateway: no HTTP, no signatures, no concurrency (see the flights). */
export class BaofooSandboxLedger {
  private readonly orders: OrderState[] = [];
  private readonly refunds = new Map<string, RefundState>();
  private readonly plans = new Map<string, BaofooSandboxRefundPlan>();
  private sequence = 0;
  private until: number;

  constructor(
    private readonly options: {
      queriesUntilFinal: number;
      now: () => Date;
      unknownRefundQuery: 'abnormal' | 'not_found';
    },
  ) {
    this.until = checkQueries(options.queriesUntilFinal);
  }

  set queriesUntilFinal(queries: number) {
    this.until = checkQueries(queries);
  }

  set unknownRefundQuery(mode: 'abnormal' | 'not_found') {
    this.options.unknownRefundQuery = mode;
  }

  seedOrder(seed: BaofooSandboxOrderSeed): BaofooSandboxOrder {
    if (!Number.isSafeInteger(seed.totalAmount) || seed.totalAmount < 1) {
      throw new Error('totalAmount must be a positive integer');
    }
    const originTradeNo = seed.originTradeNo ?? `BF${this.stamp()}`;
    if (this.findOrder(seed.merchantId, { originTradeNo, originOutTradeNo: seed.originOutTradeNo })) {
      throw new Error(`Sandbox already holds order ${seed.merchantId}/${seed.originOutTradeNo} (${originTradeNo})`);
    }
    const order: OrderState = {
      merchantId: seed.merchantId,
      originOutTradeNo: seed.originOutTradeNo,
      originTradeNo,
      totalAmount: seed.totalAmount,
      paidAt: seed.paidAt ?? this.options.now(),
      balance: seed.totalAmount,
    };
    this.orders.push(order);
    return { ...order };
  }

  /** An order by `originOutTradeNo` or `originTradeNo`. */
  order(merchantId: string, ref: string): BaofooSandboxOrder | undefined {
    const order = this.findOrder(merchantId, { originTradeNo: ref, originOutTradeNo: ref });
    return order && { ...order };
  }

  /** The order an `order_refund` names, by `originTradeNo` first (推荐传入此值). */
  findOrder(merchantId: string, ref: { originTradeNo?: string; originOutTradeNo?: string }): OrderState | undefined {
    return (
      this.orders.find((o) => o.merchantId === merchantId && ref.originTradeNo === o.originTradeNo) ??
      this.orders.find((o) => o.merchantId === merchantId && ref.originOutTradeNo === o.originOutTradeNo)
    );
  }

  plan(outTradeNo: string, plan: BaofooSandboxRefundPlan): void {
    if (plan.afterQueries !== undefined) checkQueries(plan.afterQueries);
    this.plans.set(outTradeNo, plan);
    for (const refund of this.refunds.values()) {
      if (refund.outTradeNo === outTradeNo && PENDING.includes(refund.state)) refund.plan = this.planOf(outTradeNo);
    }
  }

  find(merchantId: string, outTradeNo: string): BaofooSandboxRefund | undefined {
    const refund = this.refunds.get(refundKey(merchantId, outTradeNo));
    return refund && snapshot(refund);
  }

  complete(
    merchantId: string,
    outTradeNo: string,
    outcome: Exclude<BaofooSandboxOutcome, 'abnormal'>,
  ): BaofooSandboxRefund {
    const refund = this.refunds.get(refundKey(merchantId, outTradeNo));
    if (!refund) throw new Error(`Sandbox has no refund ${merchantId}/${outTradeNo}`);
    if (!PENDING.includes(refund.state)) throw new Error(`Sandbox refund ${merchantId}/${outTradeNo} is already final`);
    this.settle(refund, outcome);
    return snapshot(refund);
  }

  /** `order_refund`, authenticated and read; `order` is what {@link findOrder} found for it. */
  refund(biz: BaofooRefundBizContent, order: OrderState | undefined): LedgerAnswer<BaofooRefundAnswerData> {
    const existing = this.refunds.get(refundKey(biz.merId, biz.outTradeNo));
    if (existing) {
      // 幂等: one outTradeNo is one refund, and its answer is repeated as it was.
      if (existing.order !== order || existing.refundAmt !== biz.refundAmt || existing.totalAmt !== biz.totalAmt) {
        return refused(biz, BAOFOO_SANDBOX_ERRORS.orderExists, BAOFOO_SANDBOX_MESSAGES.orderExists);
      }
      return { data: { ...existing.answer }, outTradeNo: biz.outTradeNo, finalized: [] };
    }
    if (!order) {
      // What the real sandbox answered for an unknown order: SUCCESS with an errCode and ABNORMAL (§4).
      return {
        data: {
          ...refused(biz, BAOFOO_SANDBOX_ERRORS.orderNotFound, BAOFOO_SANDBOX_MESSAGES.orderNotFound).data,
          resultCode: BAOFOO_RESULT_CODE.success,
          refundState: BAOFOO_REFUND_STATE.abnormal,
        },
        finalized: [],
      };
    }
    const closed = refundWindowRefusal({
      gateway: 'baofoo',
      paidAt: order.paidAt,
      now: this.options.now(),
      windowDays: BAOFOO_SANDBOX_REFUND_WINDOW_DAYS,
    });
    if (closed) return refused(biz, BAOFOO_SANDBOX_ERRORS.notRefundable, BAOFOO_SANDBOX_MESSAGES.notRefundable);
    if (biz.totalAmt > order.balance) {
      return refused(biz, BAOFOO_SANDBOX_ERRORS.amountExceeds, BAOFOO_SANDBOX_MESSAGES.amountExceeds);
    }

    order.balance -= biz.totalAmt;
    const refund: RefundState = {
      merchantId: biz.merId,
      terId: biz.terId,
      outTradeNo: biz.outTradeNo,
      tradeNo: `BFR${this.stamp()}`,
      refundAmt: biz.refundAmt,
      totalAmt: biz.totalAmt,
      state: BAOFOO_REFUND_STATE.refund,
      queries: 0,
      ...(biz.notifyUrl ? { notifyUrl: biz.notifyUrl } : {}),
      refundReason: biz.refundReason,
      ...(biz.mktRefundInfo ? { mktRefundInfo: { ...biz.mktRefundInfo } } : {}),
      ...(biz.sharingRefundInfo ? { sharingRefundInfo: biz.sharingRefundInfo.map((s) => ({ ...s })) } : {}),
      ...(biz.advanceAmt !== undefined ? { advanceAmt: biz.advanceAmt } : {}),
      txnTime: biz.txnTime,
      createdAt: this.options.now(),
      order,
      plan: this.planOf(biz.outTradeNo),
      answer: {},
    };
    this.refunds.set(refundKey(biz.merId, biz.outTradeNo), refund);
    const finalized = refund.plan.afterQueries <= 0 ? this.settle(refund, refund.plan.outcome) : [];
    refund.answer = refundAnswer(refund);
    return { data: { ...refund.answer }, outTradeNo: refund.outTradeNo, finalized };
  }

  /** `refund_query`, authenticated and read: by `outTradeNo` and/or `tradeNo`. */
  query(biz: BaofooRefundQueryBizContent): LedgerAnswer<BaofooRefundQueryAnswerData> {
    const byNo = biz.outTradeNo ? this.refunds.get(refundKey(biz.merId, biz.outTradeNo)) : undefined;
    const refund =
      biz.tradeNo === undefined
        ? byNo
        : [...this.refunds.values()].find(
            (r) => r.merchantId === biz.merId && r.tradeNo === biz.tradeNo && (!biz.outTradeNo || r === byNo),
          );
    if (!refund) return this.neverReceived(biz);

    refund.queries += 1;
    const due = PENDING.includes(refund.state) && refund.queries >= refund.plan.afterQueries;
    const finalized =
      due && !(refund.state === BAOFOO_REFUND_STATE.abnormal && refund.plan.outcome === 'abnormal')
        ? this.settle(refund, refund.plan.outcome)
        : [];
    return { data: queryAnswer(refund), outTradeNo: refund.outTradeNo, finalized };
  }

  private neverReceived(biz: BaofooRefundQueryBizContent): LedgerAnswer<BaofooRefundQueryAnswerData> {
    const ids = { ...(biz.tradeNo ? { tradeNo: biz.tradeNo } : {}), outTradeNo: biz.outTradeNo };
    if (this.options.unknownRefundQuery === 'not_found') {
      return {
        data: {
          ...ids,
          resultCode: BAOFOO_RESULT_CODE.fail,
          errCode: BAOFOO_SANDBOX_ERRORS.orderNotFound,
          errMsg: '退款订单不存在',
        },
        finalized: [],
      };
    }
    return {
      data: { ...ids, resultCode: BAOFOO_RESULT_CODE.success, refundState: BAOFOO_REFUND_STATE.abnormal },
      finalized: [],
    };
  }

  /** Returns the refund when it became final (so that it is notified). */
  private settle(refund: RefundState, outcome: BaofooSandboxOutcome): BaofooSandboxRefund[] {
    if (outcome === 'abnormal') {
      refund.state = BAOFOO_REFUND_STATE.abnormal;
      return [];
    }
    refund.finishTime = this.options.now();
    if (outcome === 'success') {
      refund.state = BAOFOO_REFUND_STATE.success;
    } else {
      refund.state = BAOFOO_REFUND_STATE.refundError;
      refund.errMsg = refund.plan.errMsg;
      if (refund.plan.errCode) refund.errCode = refund.plan.errCode;
      refund.order.balance += refund.totalAmt;
    }
    return [snapshot(refund)];
  }

  private planOf(outTradeNo: string): RefundState['plan'] {
    const plan = this.plans.get(outTradeNo);
    return {
      outcome: plan?.outcome ?? 'success',
      afterQueries: plan?.afterQueries ?? this.until,
      errMsg: plan?.errMsg ?? BAOFOO_SANDBOX_MESSAGES.refundFailed,
      ...(plan?.errCode ? { errCode: plan.errCode } : {}),
    };
  }

  /** 20 digits: China date and a sequence, unique within the sandbox. */
  private stamp(): string {
    this.sequence += 1;
    return `${formatChinaTime(this.options.now(), 'yyyyMMdd')}${String(this.sequence).padStart(12, '0')}`;
  }
}

function checkQueries(queries: number): number {
  if (!Number.isSafeInteger(queries) || queries < 0) throw new Error('queries must be a non-negative integer');
  return queries;
}

function refundKey(merchantId: string, outTradeNo: string): string {
  return `${merchantId}\u0000${outTradeNo}`;
}

/** A business refusal of `order_refund`: resultCode FAIL with Baofoo's errCode. */
function refused(biz: BaofooRefundBizContent, errCode: string, errMsg: string): LedgerAnswer<BaofooRefundAnswerData> {
  return {
    data: {
      ...(biz.originTradeNo ? { originTradeNo: biz.originTradeNo } : {}),
      ...(biz.originOutTradeNo ? { originOutTradeNo: biz.originOutTradeNo } : {}),
      outTradeNo: biz.outTradeNo,
      refundAmt: biz.refundAmt,
      totalAmt: biz.totalAmt,
      resultCode: BAOFOO_RESULT_CODE.fail,
      errCode,
      errMsg,
    },
    finalized: [],
  };
}

function snapshot(refund: RefundState): BaofooSandboxRefund {
  const { order, plan: _plan, answer: _answer, ...rest } = refund;
  return {
    ...rest,
    ...(rest.mktRefundInfo ? { mktRefundInfo: { ...rest.mktRefundInfo } } : {}),
    ...(rest.sharingRefundInfo ? { sharingRefundInfo: rest.sharingRefundInfo.map((s) => ({ ...s })) } : {}),
    originTradeNo: order.originTradeNo,
    originOutTradeNo: order.originOutTradeNo,
  };
}

/** 申请退款 返回: accepted (REFUND), or final at once when so planned. */
function refundAnswer(refund: RefundState): BaofooRefundAnswerData {
  return {
    originTradeNo: refund.order.originTradeNo,
    originOutTradeNo: refund.order.originOutTradeNo,
    outTradeNo: refund.outTradeNo,
    tradeNo: refund.tradeNo,
    refundAmt: refund.refundAmt,
    totalAmt: refund.totalAmt,
    resultCode: BAOFOO_RESULT_CODE.success,
    refundState: refund.state,
    ...(refund.errCode ? { errCode: refund.errCode } : {}),
    ...(refund.state === BAOFOO_REFUND_STATE.refundError ? { errMsg: refund.errMsg } : {}),
  };
}

/** 退款订单查询 返回: the documented fields only (no amount before the refund succeeded). */
function queryAnswer(refund: RefundState): BaofooRefundQueryAnswerData {
  const succeeded = refund.state === BAOFOO_REFUND_STATE.success;
  return {
    tradeNo: refund.tradeNo,
    outTradeNo: refund.outTradeNo,
    refundState: refund.state,
    ...(succeeded && refund.finishTime ? { finishTime: formatChinaTime(refund.finishTime, 'yyyyMMddHHmmss') } : {}),
    ...(succeeded ? { succAmt: refund.refundAmt } : {}),
    resultCode: BAOFOO_RESULT_CODE.success,
    ...(refund.errCode ? { errCode: refund.errCode } : {}),
    ...(refund.state === BAOFOO_REFUND_STATE.refundError ? { errMsg: refund.errMsg } : {}),
  };
}
