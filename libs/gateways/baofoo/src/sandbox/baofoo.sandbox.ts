import { AmountError, fenToWire, formatChinaTime, wireToFen } from '@refundhub/gateway-kit';
import { FaultQueue, SandboxServer, formFields, type FaultMode } from '@refundhub/gateway-kit/sandbox';
import type { FastifyReply } from 'fastify';

import { newBaofooNonce } from '../baofoo.mapper';
import { BAOFOO_QUERY_PATH, BAOFOO_REFUND_PATH } from '../baofoo.options';
import { signBaofoo, verifyBaofoo } from '../baofoo.signer';
import { BAOFOO_OK, BAOFOO_STATUS, type BaofooMerchantCredentials, type BaofooOperation } from '../baofoo.types';

/**
 * Codes the sandbox refuses with (PLACEHOLDER: use Baofoo's real ones, so that the module's code lists
 * in `BAOFOO_SANDBOX_MODULE_OPTIONS` read like a real configuration).
 */
export const BAOFOO_SANDBOX_ERRORS = {
  param: 'PARAM_ERROR',
  sign: 'SIGN_ERROR',
  orderNotFound: 'ORDER_NOT_FOUND',
  amountExceeds: 'AMOUNT_EXCEEDS_BALANCE',
  refundConflict: 'REFUND_NO_CONFLICT',
  refundNotFound: 'REFUND_NOT_FOUND',
  /** Only when a test asks for it (`rejectNext`): busy, try again later. */
  systemBusy: 'SYSTEM_BUSY',
} as const;

export interface BaofooSandboxOptions {
  /** Merchants the sandbox knows, by merchant id; requests from others are refused unsigned. */
  merchants: Readonly<Record<string, BaofooMerchantCredentials>>;
  /** Queries after which a pending refund becomes final. Default 1; overridable per refund. */
  queriesUntilFinal?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: a random free port. */
  port?: number;
}

export interface BaofooSandboxOrderSeed {
  merchantId: string;
  orderNo: string;
  /** Generated when absent. */
  gatewayOrderNo?: string;
  /** Paid amount in fen. */
  totalAmount: number;
}

export interface BaofooSandboxOrder extends Required<BaofooSandboxOrderSeed> {
  /** What is left to refund; refunds in progress already count against it. */
  balance: number;
}

export interface BaofooSandboxRefundPlan {
  outcome: 'success' | 'fail';
  /** Queries until final; 0 makes the refund answer itself final. Default: the sandbox's `queriesUntilFinal`. */
  afterQueries?: number;
}

export type BaofooSandboxRefundStatus = (typeof BAOFOO_STATUS)[keyof typeof BAOFOO_STATUS];

export interface BaofooSandboxRefund {
  merchantId: string;
  refundNo: string;
  gatewayRefundNo: string;
  orderNo: string;
  gatewayOrderNo: string;
  amount: number;
  status: BaofooSandboxRefundStatus;
  /** Query calls that found this refund. */
  queries: number;
  finishedAt?: Date;
}

export interface BaofooSandboxFaultOptions {
  /** Only calls of this operation consume the fault. Default: any. */
  operation?: BaofooOperation;
  /** How many matching calls it affects. Default 1. */
  times?: number;
  /** Process the call as usual before misbehaving (so a timed-out refund exists afterwards). */
  process?: boolean;
}

export interface BaofooSandboxRequestRecord {
  operation: BaofooOperation;
  /** The fields as received (signs are not secrets; keys never travel). */
  params: Readonly<Record<string, string>>;
  fault?: FaultMode;
  at: Date;
}

type Fields = Record<string, string>;
/** An answer before misbehaviour; `key` is set when it is signed. */
type Answer = { fields: Fields; key?: string };
type Rejection = { code: string; message: string };
type RefundState = BaofooSandboxRefund & { order: BaofooSandboxOrder; plan: Required<BaofooSandboxRefundPlan> };

/**
 * An in-process HTTP simulator of Baofoo speaking the stamped placeholder protocol: it holds paid orders,
 * keeps refunds by refund number (a resubmission is the same refund, never a second one), checks
 * signatures like the real gateway, and misbehaves on demand with the kit's fault modes.
 * PLACEHOLDER: make it speak Baofoo's real protocol along with the module.
 *
 * @example
 * ```ts
 * const sandbox = new BaofooSandbox({ merchants: { M1: { key } } });
 * const baseUrl = await sandbox.start();   // BaofooModule.forRoot({ baseUrl, ...BAOFOO_SANDBOX_MODULE_OPTIONS })
 * sandbox.seedOrder({ merchantId: 'M1', orderNo: 'T1', totalAmount: 1000 });
 * sandbox.failNext('timeout', { operation: 'refund', process: true });
 * await sandbox.stop();
 * ```
 */
export class BaofooSandbox {
  private readonly faults = new FaultQueue<BaofooOperation, Rejection>();
  private readonly server: SandboxServer;
  private readonly orders: BaofooSandboxOrder[] = [];
  private readonly refunds = new Map<string, RefundState>();
  private readonly plans = new Map<string, BaofooSandboxRefundPlan>();
  private readonly log: BaofooSandboxRequestRecord[] = [];
  private queriesUntilFinal: number;
  private sequence = 0;

  constructor(private readonly options: BaofooSandboxOptions) {
    this.queriesUntilFinal = options.queriesUntilFinal ?? 1;
    this.server = new SandboxServer({
      name: 'BaofooSandbox',
      routes: (app) => {
        app.post(BAOFOO_REFUND_PATH, (request, reply) => this.handle('refund', request.body, reply));
        app.post(BAOFOO_QUERY_PATH, (request, reply) => this.handle('query', request.body, reply));
      },
    });
  }

  /** Listens (127.0.0.1, random port by default) and returns the base URL to configure `BaofooModule` with. */
  start(): Promise<string> {
    return this.server.start({ host: this.options.host, port: this.options.port });
  }

  /** Closes the server, dropping held requests. */
  stop(): Promise<void> {
    return this.server.stop();
  }

  get baseUrl(): string {
    return this.server.baseUrl;
  }

  seedOrder(seed: BaofooSandboxOrderSeed): BaofooSandboxOrder {
    if (!Number.isSafeInteger(seed.totalAmount) || seed.totalAmount < 1)
      throw new Error('totalAmount must be a positive integer');
    const order: BaofooSandboxOrder = {
      merchantId: seed.merchantId,
      orderNo: seed.orderNo,
      gatewayOrderNo: seed.gatewayOrderNo ?? `GO${this.next()}`,
      totalAmount: seed.totalAmount,
      balance: seed.totalAmount,
    };
    this.orders.push(order);
    return { ...order };
  }

  /** How the refund with this number ends (also applies to one already pending). */
  planRefund(refundNo: string, plan: BaofooSandboxRefundPlan): void {
    this.plans.set(refundNo, plan);
    for (const refund of this.refunds.values()) {
      if (refund.refundNo === refundNo && refund.status === BAOFOO_STATUS.processing)
        refund.plan = this.planOf(refundNo);
    }
  }

  /** Queries after which refunds without a plan become final (successfully). */
  setQueriesUntilFinal(queries: number): void {
    this.queriesUntilFinal = queries;
  }

  /** The next matching, correctly signed call is refused with this code and does nothing. */
  rejectNext(code: string, message: string, options: { operation?: BaofooOperation } = {}): void {
    this.faults.rejectNext({ code, message }, options.operation);
  }

  /**
   * The next matching call(s) misbehave: `timeout` holds the request unanswered until {@link releaseHeld}
   * or {@link stop}; `5xx` answers HTTP 502; `malformed` answers a body that is not JSON; `badsign` and
   * `unsigned` answer with a wrong or no signature; `other_refund` and `other_amount` answer, correctly
   * signed, about another refund number or amount.
   */
  failNext(mode: FaultMode, options: BaofooSandboxFaultOptions = {}): void {
    this.faults.failNext(mode, { operation: options.operation, times: options.times, process: options.process });
  }

  /** Drops the connections of held (`timeout`) requests without answering. Returns how many. */
  releaseHeld(): number {
    return this.server.releaseHeld();
  }

  /** Makes a pending refund final now, as the bank would. */
  complete(merchantId: string, refundNo: string, outcome: 'success' | 'fail'): BaofooSandboxRefund {
    const refund = this.refunds.get(refundKey(merchantId, refundNo));
    if (!refund) throw new Error(`Sandbox has no refund ${merchantId}/${refundNo}`);
    if (refund.status !== BAOFOO_STATUS.processing)
      throw new Error(`Sandbox refund ${merchantId}/${refundNo} is already final`);
    this.finalize(refund, outcome);
    return snapshot(refund);
  }

  refund(merchantId: string, refundNo: string): BaofooSandboxRefund | undefined {
    const refund = this.refunds.get(refundKey(merchantId, refundNo));
    return refund && snapshot(refund);
  }

  /** How many refund calls carried this refund number, whatever their outcome. */
  refundSubmissions(refundNo: string): number {
    return this.log.filter((r) => r.operation === 'refund' && r.params['refund_no'] === refundNo).length;
  }

  requests(): BaofooSandboxRequestRecord[] {
    return this.log.map((r) => ({ ...r }));
  }

  private handle(operation: BaofooOperation, body: unknown, reply: FastifyReply): FastifyReply {
    const params = formFields(body);
    const fault = this.faults.takeFault(operation);
    this.log.push({ operation, params: { ...params }, fault: fault?.mode, at: new Date() });
    if (fault && !fault.process) return this.misbehave(fault.mode, reply, undefined);
    const answer = this.answer(operation, params);
    return fault ? this.misbehave(fault.mode, reply, answer) : this.send(reply, answer);
  }

  private answer(operation: BaofooOperation, params: Fields | null): Answer {
    if (!params)
      return { fields: { code: BAOFOO_SANDBOX_ERRORS.param, message: 'body is not a flat JSON object of strings' } };
    const merchantId = params['merchant_id'] ?? '';
    const merchant = Object.prototype.hasOwnProperty.call(this.options.merchants, merchantId)
      ? this.options.merchants[merchantId]
      : undefined;
    // A request it cannot authenticate is refused unsigned (the module reads that as `bad_signature`).
    if (!merchant || !verifyBaofoo(params, merchant.key)) {
      return { fields: { code: BAOFOO_SANDBOX_ERRORS.sign, message: 'unknown merchant or wrong signature' } };
    }
    const rejection = this.faults.takeRejection(operation);
    const fields = rejection
      ? refusal(params, rejection.code, rejection.message)
      : operation === 'refund'
        ? this.refundCall(params)
        : this.queryCall(params);
    return this.signed({ ...fields, nonce: newBaofooNonce() }, merchant.key);
  }

  private refundCall(params: Fields): Fields {
    const refundNo = params['refund_no'];
    if (!refundNo || !params['amount'] || !params['nonce'] || (!params['order_no'] && !params['gateway_order_no'])) {
      return refusal(params, BAOFOO_SANDBOX_ERRORS.param, 'missing required fields');
    }
    const amount = parseAmount(params['amount']);
    if (amount === undefined || amount < 1)
      return refusal(params, BAOFOO_SANDBOX_ERRORS.param, 'amount is not a positive integer of fen');
    const order = this.orders.find(
      (o) =>
        o.merchantId === params['merchant_id'] &&
        (params['gateway_order_no']
          ? o.gatewayOrderNo === params['gateway_order_no']
          : o.orderNo === params['order_no']),
    );
    if (!order) return refusal(params, BAOFOO_SANDBOX_ERRORS.orderNotFound, 'no such paid order');

    // Idempotent by refund number: the same refund again is answered as it stands, a different one refused.
    const existing = this.refunds.get(refundKey(order.merchantId, refundNo));
    if (existing) {
      if (existing.amount !== amount || existing.order !== order) {
        return refusal(params, BAOFOO_SANDBOX_ERRORS.refundConflict, 'refund number already used for another refund');
      }
      return refundFields(existing);
    }
    if (amount > order.balance)
      return refusal(params, BAOFOO_SANDBOX_ERRORS.amountExceeds, 'amount exceeds the refundable balance');

    order.balance -= amount;
    const refund: RefundState = {
      merchantId: order.merchantId,
      refundNo,
      gatewayRefundNo: `GR${this.next()}`,
      orderNo: order.orderNo,
      gatewayOrderNo: order.gatewayOrderNo,
      amount,
      status: BAOFOO_STATUS.processing,
      queries: 0,
      order,
      plan: this.planOf(refundNo),
    };
    this.refunds.set(refundKey(order.merchantId, refundNo), refund);
    if (refund.plan.afterQueries <= 0) this.finalize(refund, refund.plan.outcome);
    return refundFields(refund);
  }

  private queryCall(params: Fields): Fields {
    const refundNo = params['refund_no'];
    if (!refundNo || !params['nonce']) return refusal(params, BAOFOO_SANDBOX_ERRORS.param, 'missing required fields');
    const refund = this.refunds.get(refundKey(params['merchant_id'] ?? '', refundNo));
    if (!refund) return refusal(params, BAOFOO_SANDBOX_ERRORS.refundNotFound, 'no such refund');
    refund.queries += 1;
    if (refund.status === BAOFOO_STATUS.processing && refund.queries >= refund.plan.afterQueries) {
      this.finalize(refund, refund.plan.outcome);
    }
    return refundFields(refund);
  }

  private finalize(refund: RefundState, outcome: 'success' | 'fail'): void {
    if (outcome === 'success') {
      refund.status = BAOFOO_STATUS.succeeded;
      refund.finishedAt = new Date();
    } else {
      refund.status = BAOFOO_STATUS.failed;
      // A failed refund gives its amount back to the order.
      refund.order.balance += refund.amount;
    }
  }

  private planOf(refundNo: string): Required<BaofooSandboxRefundPlan> {
    const plan = this.plans.get(refundNo);
    return { outcome: plan?.outcome ?? 'success', afterQueries: plan?.afterQueries ?? this.queriesUntilFinal };
  }

  private signed(fields: Fields, key: string): Answer {
    const { sign: _sign, ...unsigned } = fields;
    return { fields: { ...unsigned, sign: signBaofoo(unsigned, key) }, key };
  }

  private misbehave(mode: FaultMode, reply: FastifyReply, answer: Answer | undefined): FastifyReply {
    switch (mode) {
      case 'timeout':
      case '5xx':
        return this.server.misbehave(reply, mode);
      case 'malformed':
        return reply.code(200).type('application/json; charset=utf-8').send(`{"code":"${BAOFOO_OK}",`);
      case 'badsign':
        return this.send(reply, this.signed(answer?.fields ?? { code: BAOFOO_OK }, 'NOT-THE-MERCHANT-KEY'));
      case 'unsigned': {
        const { sign: _sign, ...fields } = answer?.fields ?? {};
        return this.send(reply, { fields });
      }
      case 'other_refund':
      case 'other_amount': {
        if (!answer?.key) return this.send(reply, answer ?? { fields: {} });
        const fields = { ...answer.fields };
        if (mode === 'other_refund') fields['refund_no'] = `${fields['refund_no'] ?? ''}X`;
        else fields['amount'] = String(Number(fields['amount'] ?? '0') + 1);
        return this.send(reply, this.signed(fields, answer.key));
      }
    }
  }

  private send(reply: FastifyReply, answer: Answer): FastifyReply {
    return reply.code(200).type('application/json; charset=utf-8').send(JSON.stringify(answer.fields));
  }

  private next(): string {
    this.sequence += 1;
    return `${Date.now()}${String(this.sequence).padStart(6, '0')}`;
  }
}

function refundKey(merchantId: string, refundNo: string): string {
  return `${merchantId}\u0000${refundNo}`;
}

function parseAmount(value: string): number | undefined {
  try {
    return wireToFen(value);
  } catch (error) {
    if (error instanceof AmountError) return undefined;
    throw error;
  }
}

function snapshot(refund: RefundState): BaofooSandboxRefund {
  const { order: _order, plan: _plan, ...rest } = refund;
  return { ...rest };
}

function refusal(params: Fields, code: string, message: string): Fields {
  return { code, message, merchant_id: params['merchant_id'] ?? '', refund_no: params['refund_no'] ?? '' };
}

function refundFields(refund: RefundState): Fields {
  return {
    code: BAOFOO_OK,
    message: 'OK',
    merchant_id: refund.merchantId,
    order_no: refund.orderNo,
    gateway_order_no: refund.gatewayOrderNo,
    refund_no: refund.refundNo,
    gateway_refund_no: refund.gatewayRefundNo,
    amount: fenToWire(refund.amount),
    status: refund.status,
    ...(refund.finishedAt ? { finished_at: formatChinaTime(refund.finishedAt, 'yyyy-MM-dd HH:mm:ss') } : {}),
    ...(refund.status === BAOFOO_STATUS.failed
      ? { fail_code: 'REFUND_REJECTED_BY_BANK', fail_reason: 'the bank refused the refund' }
      : {}),
  };
}
