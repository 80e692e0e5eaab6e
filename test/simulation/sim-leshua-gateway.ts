import type { GatewayTransport, TransportRequest, TransportResult } from '@refundhub/gateway-kit';
import { buildLeshuaXml, signLeshuaResponse, verifyLeshuaRequest } from '@refundhub/leshua';
import { createLeshuaSandboxNotification, type LeshuaSandboxRefund } from '@refundhub/leshua/sandbox';

// The sandbox's ledger (orders, refunds, balances) without its HTTP server: the simulation answers in-process.
import {
  LESHUA_SANDBOX_ERRORS,
  LeshuaSandboxLedger,
  refusalFields,
} from '../../libs/gateways/leshua/src/sandbox/leshua-sandbox.ledger';
import type { CallFault, GatewayPlan } from './faults';

export const SIM_MERCHANT = '0000000018';
export const SIM_TRADE_KEY = 'SIMTRADEKEY0123456789ABCDEF01234';
export const SIM_NOTIFY_KEY = 'SIMNOTIFYKEY0123456789ABCDEF0123';

/** A notification the gateway has produced and not yet delivered (it may arrive late, twice, or never). */
export interface PendingNotification {
  refundNo: string;
  outcome: 'success' | 'fail' | 'processing';
  rawBody: Buffer;
}

/** What the gateway was asked, per refund number, and what it saw wrong. */
export interface GatewayObservations {
  /** Refund numbers submitted with two different parameter sets. */
  conflicts: string[];
  /**
   * Refund numbers submitted again while the gateway held them, other than by the network's own
   * duplicates: only a query that found nothing may lead to a resubmission.
   */
  blindResubmissions: string[];
  submissions: number;
  queries: number;
}

/**
 * Leshua as the simulation sees it: the sandbox's ledger behind a {@link GatewayTransport}, so the real
 * LeshuaModule (client, signer, codec, mapper) signs, sends and reads every call. Faults for the next
 * calls are queued by the simulation's steps; with none queued a call is answered faithfully.
 */
export class SimLeshuaGateway implements GatewayTransport {
  private readonly ledger = new LeshuaSandboxLedger(1);
  private readonly faults: CallFault[] = [];
  private readonly params = new Map<string, string>();
  /** Refunds the gateway has lost track of: its queries say "not found" until the refund is sent again. */
  private readonly forgotten = new Set<string>();
  private nonce = 0;
  readonly notifications: PendingNotification[] = [];
  readonly observations: GatewayObservations = { conflicts: [], blindResubmissions: [], submissions: 0, queries: 0 };

  constructor(orders: ReadonlyArray<{ thirdOrderId: string; totalAmount: number }>) {
    for (const order of orders) this.ledger.seedOrder({ merchantId: SIM_MERCHANT, ...order });
  }

  queueFaults(faults: readonly CallFault[]): void {
    this.faults.push(...faults);
  }

  /** Faults not consumed by the step that queued them do not leak into the next one. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  plan(refundNo: string, plan: GatewayPlan): void {
    this.ledger.plan(refundNo, plan);
  }

  refund(refundNo: string): LeshuaSandboxRefund | undefined {
    return this.ledger.find(SIM_MERCHANT, refundNo);
  }

  order(thirdOrderId: string): { totalAmount: number; balance: number } | undefined {
    return this.ledger.order(SIM_MERCHANT, thirdOrderId);
  }

  /** The gateway loses its record of a refund (the money it moved stays moved). Returns whether it held one. */
  forget(refundNo: string): boolean {
    if (!this.ledger.find(SIM_MERCHANT, refundNo)) return false;
    this.forgotten.add(refundNo);
    return true;
  }

  /** A notification signed with the wrong key, about any refund number. */
  forged(refundNo: string, outcome: 'success' | 'fail', thirdOrderId: string, amount: number): Buffer {
    return createLeshuaSandboxNotification({
      merchantId: SIM_MERCHANT,
      merchantRefundId: refundNo,
      thirdOrderId,
      amount,
      outcome,
      key: 'NOT-THE-NOTIFY-KEY-0123456789ABC',
    }).rawBody;
  }

  post(request: TransportRequest): Promise<TransportResult> {
    const fault = this.faults.shift() ?? 'ok';
    const params = Object.fromEntries(new URLSearchParams(request.body.toString()));
    if (fault === 'timeout-before-apply') return Promise.resolve(timeout());
    if (fault === 'duplicated') this.answer(params, { networkCopy: false });
    const body = this.answer(params, { networkCopy: fault === 'duplicated' });
    if (fault === 'timeout-after-apply') return Promise.resolve(timeout());
    if (fault === '5xx-after-apply') {
      return Promise.resolve({ kind: 'answer', status: 502, body: 'Bad Gateway', headers: {} });
    }
    return Promise.resolve({ kind: 'answer', status: 200, body, headers: { 'content-type': 'text/xml' } });
  }

  private answer(params: Record<string, string>, { networkCopy }: { networkCopy: boolean }): string {
    if (params['merchant_id'] !== SIM_MERCHANT || !verifyLeshuaRequest(params, SIM_TRADE_KEY)) {
      return buildLeshuaXml({ resp_code: '1', resp_msg: '签名错误' });
    }
    const service = params['service'];
    const refundNo = params['merchant_refund_id'] ?? '';
    const lost = this.forgotten.has(refundNo);
    const held = this.ledger.find(SIM_MERCHANT, refundNo);
    if (service === 'unified_refund') {
      this.observeSubmission(params, { held: held !== undefined && !lost, networkCopy });
      // Sent again, it is found again: the simulated gateway keeps the money it already moved.
      this.forgotten.delete(refundNo);
    } else this.observations.queries += 1;
    const result =
      service === 'unified_refund'
        ? this.ledger.refund(params, 'simulated')
        : lost
          ? { fields: refusalFields(params, LESHUA_SANDBOX_ERRORS.refundNotFound, '退款记录不存在'), finalized: [] }
          : this.ledger.query(params);
    const accepted = held ? undefined : this.ledger.find(SIM_MERCHANT, refundNo);
    // Leshua may tell of an accepted refund before its end too; such a notice can arrive after the end.
    if (accepted?.status === '10') this.notifications.push(this.notificationOf(accepted));
    for (const refund of result.finalized) this.notifications.push(this.notificationOf(refund));
    this.nonce += 1;
    const fields = { resp_code: '0', resp_msg: '', ...result.fields, nonce_str: `simnonce${this.nonce}` };
    return buildLeshuaXml({ ...fields, sign: signLeshuaResponse(fields, SIM_TRADE_KEY, 'doc') });
  }

  /** The gateway's side of idempotency: one refund number, one set of parameters, whoever sends it. */
  private observeSubmission(
    params: Record<string, string>,
    { held, networkCopy }: { held: boolean; networkCopy: boolean },
  ): void {
    this.observations.submissions += 1;
    const refundNo = params['merchant_refund_id'] ?? '';
    if (held && !networkCopy) this.observations.blindResubmissions.push(refundNo);
    const key = JSON.stringify([params['refund_amount'], params['third_order_id'], params['leshua_order_id']]);
    const seen = this.params.get(refundNo);
    if (seen === undefined) this.params.set(refundNo, key);
    else if (seen !== key) this.observations.conflicts.push(`${refundNo}: ${seen} then ${key}`);
  }

  private notificationOf(refund: LeshuaSandboxRefund): PendingNotification {
    const outcome = refund.status === '11' ? 'success' : refund.status === '12' ? 'fail' : 'processing';
    const notification = createLeshuaSandboxNotification({
      merchantId: refund.merchantId,
      merchantRefundId: refund.merchantRefundId,
      leshuaRefundId: refund.leshuaRefundId,
      thirdOrderId: refund.thirdOrderId,
      leshuaOrderId: refund.leshuaOrderId,
      amount: refund.amount,
      outcome,
      failureReason: refund.failureReason,
      refundTime: new Date('2026-01-05T04:00:00.000Z'),
      key: SIM_NOTIFY_KEY,
    });
    return { refundNo: refund.merchantRefundId, outcome, rawBody: notification.rawBody };
  }
}

function timeout(): TransportResult {
  return { kind: 'failure', reason: 'timeout', detail: 'simulated: no answer within the deadline' };
}
