import { AmountError, chinaCalendarDaysBetween, fenToWire, formatChinaTime, wireToFen } from '@refundhub/gateway-kit';

import { umfNotifyUrl } from '../umf.notify-url';
import { UMF_API_VERSION, UMF_PAY_TYPES, UMF_QUERY_STATUS, UMF_RET_CODE } from '../umf.types';
import type {
  UmfSandboxOrder,
  UmfSandboxOrderSeed,
  UmfSandboxOutcome,
  UmfSandboxRefund,
  UmfSandboxRefundPlan,
  UmfSandboxRefundStatus,
} from './umf-sandbox.types';
import type { UmfSandboxNotificationInput } from './umf-sandbox.notification';

/**
 * The `retCode`s the sandbox answers. `0000`, `3333` and `9999` are UMF's (globalparamexplain.md); UMF
 * never published the rest of its table, so the refusals below are the sandbox's own (`SBX…`): each
 * proves the sandbox refunded nothing, hence `UMF_SANDBOX_MODULE_OPTIONS`, which lists them for the
 * module only when it talks to the sandbox.
 */
export const UMF_SANDBOX_ERRORS = {
  ok: UMF_RET_CODE.success,
  sign: UMF_RET_CODE.signatureRefused,
  /** Only when a test asks for it (`rejectNext`). */
  system: UMF_RET_CODE.systemError,
  param: 'SBX00001',
  /** Unknown `subMerId`, or a `proxyId` that is not the merchant's. */
  merchant: 'SBX00002',
  orderNotFound: 'SBX00003',
  amountExceeds: 'SBX00004',
  /** The order was paid more than 90 days ago (China calendar days). */
  windowClosed: 'SBX00005',
  /** `refundPartnerOrderId` already names a refund of another order or amount. */
  refundConflict: 'SBX00006',
  /** A query for a refund the sandbox does not hold. */
  refundNotFound: 'SBX00007',
} as const;

export const UMF_SANDBOX_MESSAGES = {
  accepted: '退款受理成功',
  queried: '查询成功',
  sign: '验签失败',
  system: '系统异常',
  param: '参数错误',
  merchant: '商户不存在或集成商ID不符',
  orderNotFound: '原订单不存在',
  amountExceeds: '退款金额超过可退金额',
  windowClosed: '订单已超过90天退款期限',
  refundConflict: '退款订单号重复',
  refundNotFound: '退款订单不存在',
  refundFailed: '退款失败',
} as const;

/** 受理中: the documentation only says "anything but 1 and 2". */
export const UMF_SANDBOX_PROCESSING: UmfSandboxRefundStatus = '0';

const WINDOW_DAYS = 90;
const MAX_ORDER_NO = 32;

type Params = Readonly<Record<string, string | undefined>>;
type Fields = Record<string, string>;

interface RefundState extends Omit<UmfSandboxRefund, 'partnerOrderId' | 'orderDate'> {
  order: UmfSandboxOrder;
  plan: Required<UmfSandboxRefundPlan>;
}

/**
 * A ledger answer: its business fields (no `sign`), the refund it is about (a fault altering "our"
 * refund looks for it), and the refunds that became final while answering (to be notified).
 */
export interface LedgerAnswer {
  fields: Fields;
  about?: 'refund' | 'query';
  finalized: UmfSandboxRefund[];
}

/** Orders and refunds of the simulated gateway: no HTTP, no signatures. */
export class UmfSandboxLedger {
  private readonly orders: UmfSandboxOrder[] = [];
  /** By merchant and `refundPartnerOrderId`. */
  private readonly refunds = new Map<string, RefundState>();
  private readonly plans = new Map<string, UmfSandboxRefundPlan>();
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

  seedOrder(seed: UmfSandboxOrderSeed): UmfSandboxOrder {
    if (!Number.isSafeInteger(seed.amount) || seed.amount < 1) throw new Error('amount must be a positive integer');
    if (this.findOrder(seed.merchantId, seed.partnerOrderId)) {
      throw new Error(`Sandbox already holds order ${seed.merchantId}/${seed.partnerOrderId}`);
    }
    const paidAt = seed.paidAt ?? this.now();
    const order: UmfSandboxOrder = {
      merchantId: seed.merchantId,
      partnerOrderId: seed.partnerOrderId,
      orderDate: seed.orderDate ?? formatChinaTime(paidAt, 'yyyyMMdd'),
      amount: seed.amount,
      ...(seed.payType ? { payType: seed.payType } : {}),
      paidAt,
      paySeq: this.serial(),
      balance: seed.amount,
    };
    this.orders.push(order);
    return { ...order };
  }

  order(merchantId: string, partnerOrderId: string): UmfSandboxOrder | undefined {
    const order = this.findOrder(merchantId, partnerOrderId);
    return order && { ...order };
  }

  /** What a notification of `refund`'s outcome says, as the platform would send it at `at`. */
  noticeOf(refund: UmfSandboxRefund, outcome: UmfSandboxOutcome, at: Date): UmfSandboxNotificationInput {
    return {
      merchantId: refund.merchantId,
      partnerOrderId: refund.partnerOrderId,
      orderDate: refund.orderDate,
      refundPartnerOrderId: refund.refundPartnerOrderId,
      amount: refund.amount,
      payType: refund.payType,
      outcome,
      at,
      paySeq: this.findOrder(refund.merchantId, refund.partnerOrderId)?.paySeq,
    };
  }

  plan(refundNo: string, plan: UmfSandboxRefundPlan): void {
    if (plan.afterQueries !== undefined) checkQueries(plan.afterQueries);
    this.plans.set(refundNo, plan);
    for (const refund of this.refunds.values()) {
      if (refund.refundPartnerOrderId === refundNo && refund.status === UMF_SANDBOX_PROCESSING) {
        refund.plan = this.planOf(refundNo);
      }
    }
  }

  find(merchantId: string, refundNo: string): UmfSandboxRefund | undefined {
    const refund = this.refunds.get(refundKey(merchantId, refundNo));
    return refund && snapshot(refund);
  }

  complete(merchantId: string, refundNo: string, outcome: UmfSandboxOutcome, failReason?: string): UmfSandboxRefund {
    const refund = this.refunds.get(refundKey(merchantId, refundNo));
    if (!refund) throw new Error(`Sandbox has no refund ${merchantId}/${refundNo}`);
    if (refund.status !== UMF_SANDBOX_PROCESSING) {
      throw new Error(`Sandbox refund ${merchantId}/${refundNo} is already final`);
    }
    if (failReason !== undefined) refund.plan.failReason = failReason;
    this.settle(refund, outcome);
    return snapshot(refund);
  }

  /** `/online/refund`, authenticated (merchant, proxyId and signature checked). */
  refund(params: Params): LedgerAnswer {
    const missing = [
      'subMerId',
      'payType',
      'proxyId',
      'amount',
      'partnerOrderId',
      'refundPartnerOrderId',
      'apiVersion',
      'reqDate',
      'reqTime',
    ].find((name) => !params[name]);
    if (missing) return refundRefusal(UMF_SANDBOX_ERRORS.param, `${UMF_SANDBOX_MESSAGES.param}: 缺少${missing}`);
    const problem = requestProblem(params, 'apiVersion') ?? refundProblem(params);
    if (problem) return refundRefusal(UMF_SANDBOX_ERRORS.param, `${UMF_SANDBOX_MESSAGES.param}: ${problem}`);
    const amount = positiveFen(params['amount']);
    if (amount === undefined) {
      return refundRefusal(UMF_SANDBOX_ERRORS.param, `${UMF_SANDBOX_MESSAGES.param}: amount须为正整数(分)`);
    }

    const merchantId = params['subMerId'] ?? '';
    const refundNo = params['refundPartnerOrderId'] ?? '';
    const order = this.findOrder(merchantId, params['partnerOrderId'] ?? '');
    if (!order || (params['orderDate'] && params['orderDate'] !== order.orderDate)) {
      return refundRefusal(UMF_SANDBOX_ERRORS.orderNotFound, UMF_SANDBOX_MESSAGES.orderNotFound);
    }
    if (order.payType !== undefined && params['payType'] !== order.payType) {
      return refundRefusal(UMF_SANDBOX_ERRORS.param, `${UMF_SANDBOX_MESSAGES.param}: payType与原订单不符`);
    }

    // Undocumented by UMF: the sandbox holds one refund per refundPartnerOrderId, so a resubmission
    // after a lost answer is accepted again, never refunded twice, whatever the refund's state.
    const existing = this.refunds.get(refundKey(merchantId, refundNo));
    if (existing) {
      if (existing.order !== order || existing.amount !== amount) {
        return refundRefusal(UMF_SANDBOX_ERRORS.refundConflict, UMF_SANDBOX_MESSAGES.refundConflict);
      }
      return { fields: acceptedFields(existing), about: 'refund', finalized: [] };
    }
    if (chinaCalendarDaysBetween(order.paidAt, this.now()) > WINDOW_DAYS) {
      return refundRefusal(UMF_SANDBOX_ERRORS.windowClosed, UMF_SANDBOX_MESSAGES.windowClosed);
    }
    if (amount > order.balance) {
      return refundRefusal(UMF_SANDBOX_ERRORS.amountExceeds, UMF_SANDBOX_MESSAGES.amountExceeds);
    }

    order.balance -= amount;
    const now = this.now();
    const refund: RefundState = {
      merchantId,
      refundPartnerOrderId: refundNo,
      payType: params['payType'] ?? '',
      amount,
      status: UMF_SANDBOX_PROCESSING,
      queries: 0,
      refundDate: formatChinaTime(now, 'yyyyMMdd'),
      ...(params['notifyUrl'] ? { notifyUrl: params['notifyUrl'] } : {}),
      createdAt: now,
      order,
      plan: this.planOf(refundNo),
    };
    this.refunds.set(refundKey(merchantId, refundNo), refund);
    const finalized: UmfSandboxRefund[] = [];
    if (refund.plan.afterQueries <= 0) finalized.push(this.settle(refund, refund.plan.outcome));
    return { fields: acceptedFields(refund), about: 'refund', finalized };
  }

  /** `/refund/query`, authenticated: by `refundPartnerOrderId`, which must be a refund of `partnerOrderId`. */
  query(params: Params): LedgerAnswer {
    const missing = [
      'subMerId',
      'proxyId',
      'reqDate',
      'reqTime',
      'partnerOrderId',
      'refundPartnerOrderId',
      'version',
    ].find((name) => !params[name]);
    if (missing) return queryRefusal(UMF_SANDBOX_ERRORS.param, `${UMF_SANDBOX_MESSAGES.param}: 缺少${missing}`);
    const problem = requestProblem(params, 'version');
    if (problem) return queryRefusal(UMF_SANDBOX_ERRORS.param, `${UMF_SANDBOX_MESSAGES.param}: ${problem}`);

    const refund = this.refunds.get(refundKey(params['subMerId'] ?? '', params['refundPartnerOrderId'] ?? ''));
    if (!refund || refund.order.partnerOrderId !== params['partnerOrderId']) {
      return queryRefusal(UMF_SANDBOX_ERRORS.refundNotFound, UMF_SANDBOX_MESSAGES.refundNotFound);
    }
    refund.queries += 1;
    const finalized: UmfSandboxRefund[] = [];
    if (refund.status === UMF_SANDBOX_PROCESSING && refund.queries >= refund.plan.afterQueries) {
      finalized.push(this.settle(refund, refund.plan.outcome));
    }
    const now = this.now();
    return {
      fields: {
        retCode: UMF_SANDBOX_ERRORS.ok,
        retMsg: refund.status === UMF_QUERY_STATUS.failed ? refund.plan.failReason : UMF_SANDBOX_MESSAGES.queried,
        resDate: formatChinaTime(now, 'yyyyMMdd'),
        resTime: formatChinaTime(now, 'HHmmss'),
        // 订单金额 (打印小票使用): the order's amount, not the refund's.
        amount: fenToWire(refund.order.amount),
        status: refund.status,
        partnerOrderId: refund.order.partnerOrderId,
        refundPartnerOrderId: refund.refundPartnerOrderId,
        subMerId: refund.merchantId,
        proxyId: params['proxyId'] ?? '',
        orderDate: refund.order.orderDate,
        refundDate: refund.refundDate,
      },
      about: 'query',
      finalized,
    };
  }

  private settle(refund: RefundState, outcome: UmfSandboxOutcome): UmfSandboxRefund {
    refund.finishedAt = this.now();
    if (outcome === 'success') {
      refund.status = UMF_QUERY_STATUS.succeeded;
    } else {
      refund.status = UMF_QUERY_STATUS.failed;
      refund.failReason = refund.plan.failReason;
      refund.order.balance += refund.amount;
    }
    return snapshot(refund);
  }

  private planOf(refundNo: string): Required<UmfSandboxRefundPlan> {
    const plan = this.plans.get(refundNo);
    return {
      outcome: plan?.outcome ?? 'success',
      afterQueries: plan?.afterQueries ?? this.until,
      failReason: plan?.failReason ?? UMF_SANDBOX_MESSAGES.refundFailed,
    };
  }

  private findOrder(merchantId: string, partnerOrderId: string): UmfSandboxOrder | undefined {
    return this.orders.find((o) => o.merchantId === merchantId && o.partnerOrderId === partnerOrderId);
  }

  /** 18 digits: China date and a sequence, unique within the sandbox. */
  private serial(): string {
    this.sequence += 1;
    return `${formatChinaTime(this.now(), 'yyyyMMdd')}${String(this.sequence).padStart(10, '0')}`;
  }
}

/** Field rules both calls share: the version, dates and times, lengths. */
function requestProblem(params: Params, versionField: 'apiVersion' | 'version'): string | undefined {
  if (params[versionField] !== UMF_API_VERSION) return `${versionField}须为${UMF_API_VERSION}`;
  if (!/^\d{8}$/.test(params['reqDate'] ?? '') || !/^\d{6}$/.test(params['reqTime'] ?? '')) {
    return 'reqDate/reqTime格式错误';
  }
  if (params['orderDate'] && !/^\d{8}$/.test(params['orderDate'])) return 'orderDate格式错误';
  if (params['payType'] && !(UMF_PAY_TYPES as readonly string[]).includes(params['payType'])) {
    return '不支持的payType';
  }
  if (
    (params['refundPartnerOrderId'] ?? '').length > MAX_ORDER_NO ||
    (params['partnerOrderId'] ?? '').length > MAX_ORDER_NO
  ) {
    return '订单号超过32个字符';
  }
  return undefined;
}

function refundProblem(params: Params): string | undefined {
  const notifyUrl = params['notifyUrl'];
  const checked = notifyUrl ? umfNotifyUrl(notifyUrl) : null;
  return checked && 'omitted' in checked ? 'notifyUrl不合法' : undefined;
}

function checkQueries(queries: number): number {
  if (!Number.isSafeInteger(queries) || queries < 0) throw new Error('queries must be a non-negative integer');
  return queries;
}

function refundKey(merchantId: string, refundNo: string): string {
  return `${merchantId}\u0000${refundNo}`;
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

function refundRefusal(retCode: string, memo: string): LedgerAnswer {
  return { fields: { retCode, Memo: memo }, finalized: [] };
}

function queryRefusal(retCode: string, retMsg: string): LedgerAnswer {
  return { fields: { retCode, retMsg }, finalized: [] };
}

function snapshot(refund: RefundState): UmfSandboxRefund {
  const { order, plan: _plan, ...rest } = refund;
  return { ...rest, partnerOrderId: order.partnerOrderId, orderDate: order.orderDate };
}

/** The refund accepted (again): never more than that, whatever the refund's state since. */
function acceptedFields(refund: RefundState): Fields {
  return {
    retCode: UMF_SANDBOX_ERRORS.ok,
    Memo: UMF_SANDBOX_MESSAGES.accepted,
    partnerOrderId: refund.order.partnerOrderId,
    amount: fenToWire(refund.amount),
    orderDate: refund.order.orderDate,
  };
}
