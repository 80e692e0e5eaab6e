import type { DynamicModule } from '@nestjs/common';
import type { StaticCredentials } from '@refundhub/core';
import type { TransportRequest, TransportResult } from '@refundhub/gateway-kit';
import { buildLeshuaXml, LeshuaModule, signLeshuaResponse, verifyLeshuaRequest } from '@refundhub/leshua';
import {
  createLeshuaSandboxNotification,
  LESHUA_SANDBOX_MODULE_OPTIONS,
  type LeshuaSandboxRefund,
} from '@refundhub/leshua/sandbox';

// The sandbox's ledger (orders, refunds, balances) without its HTTP server: the simulation answers in-process.
import {
  LESHUA_SANDBOX_ERRORS,
  LeshuaSandboxLedger,
  refusalFields,
} from '../../libs/gateways/leshua/src/sandbox/leshua-sandbox.ledger';
import type { GatewayPlan } from './faults';
import {
  type GatewayRefundState,
  noObservations,
  type PendingNotification,
  type SimulatedGateway,
  SubmissionLog,
  SimGatewayBase,
} from './sim-gateway';

export const SIM_MERCHANT = '0000000018';
export const SIM_TRADE_KEY = 'SIMTRADEKEY0123456789ABCDEF01234';
export const SIM_NOTIFY_KEY = 'SIMNOTIFYKEY0123456789ABCDEF0123';

const LESHUA_CONTENT_TYPE = 'text/xml; charset=utf-8';
const LESHUA_STATES: Record<string, GatewayRefundState['state']> = { '11': 'succeeded', '12': 'failed' };

/**
 * Leshua as the simulation sees it: the sandbox's ledger behind a {@link GatewayTransport}, so the real
 * LeshuaModule (client, signer, codec, mapper) signs, sends and reads every call. It tells of refunds by
 * notification, including one of an accepted refund before its end.
 */
export class SimLeshuaGateway extends SimGatewayBase implements SimulatedGateway {
  readonly id = 'leshua' as const;
  readonly merchantId = SIM_MERCHANT;
  private readonly ledger = new LeshuaSandboxLedger(1);
  private nonce = 0;
  readonly notifications: PendingNotification[] = [];
  readonly observations = noObservations();
  private readonly submissions = new SubmissionLog(this.observations);

  constructor(orders: ReadonlyArray<{ thirdOrderId: string; totalAmount: number }>) {
    super();
    for (const order of orders) this.ledger.seedOrder({ merchantId: SIM_MERCHANT, ...order });
  }

  plan(refundNo: string, plan: GatewayPlan): void {
    if (plan.outcome === 'change') throw new Error('Leshua has no CHANGE outcome');
    this.ledger.plan(refundNo, { outcome: plan.outcome, afterQueries: plan.afterQueries });
  }

  refund(refundNo: string): GatewayRefundState | undefined {
    const refund = this.ledger.find(SIM_MERCHANT, refundNo);
    return refund && { state: LESHUA_STATES[refund.status] ?? 'in_progress', raw: refund.status };
  }

  requestExtras(): Record<string, never> {
    return {};
  }

  module(): DynamicModule {
    return LeshuaModule.forRoot({
      baseUrl: 'https://leshua.simulated',
      transport: this,
      ...LESHUA_SANDBOX_MODULE_OPTIONS,
    });
  }

  credentials(): StaticCredentials {
    return { leshua: { [SIM_MERCHANT]: { tradeKey: SIM_TRADE_KEY, notifyKey: SIM_NOTIFY_KEY } } };
  }

  order(thirdOrderId: string): { totalAmount: number; balance: number } | undefined {
    return this.ledger.order(SIM_MERCHANT, thirdOrderId);
  }

  protected holds(refundNo: string): boolean {
    return this.ledger.find(SIM_MERCHANT, refundNo) !== undefined;
  }

  /** A notification signed with the wrong key, about any refund number. */
  forged(input: {
    refundNo: string;
    outcome: 'success' | 'fail';
    orderNo: string;
    amount: number;
  }): PendingNotification {
    const rawBody = createLeshuaSandboxNotification({
      merchantId: SIM_MERCHANT,
      merchantRefundId: input.refundNo,
      thirdOrderId: input.orderNo,
      amount: input.amount,
      outcome: input.outcome,
      key: 'NOT-THE-NOTIFY-KEY-0123456789ABC',
    }).rawBody;
    return { refundNo: input.refundNo, outcome: input.outcome, rawBody, contentType: LESHUA_CONTENT_TYPE };
  }

  post(request: TransportRequest): Promise<TransportResult> {
    const params = Object.fromEntries(new URLSearchParams(request.body.toString()));
    return this.network({
      call: {
        kind: params['service'] === 'unified_refund' ? 'submit' : 'query',
        refundNo: params['merchant_refund_id'] ?? '',
      },
      apply: (networkCopy) => this.answer(params, { networkCopy }),
      contentType: 'text/xml',
    });
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

  private observeSubmission(
    params: Record<string, string>,
    { held, networkCopy }: { held: boolean; networkCopy: boolean },
  ): void {
    const key = JSON.stringify([params['refund_amount'], params['third_order_id'], params['leshua_order_id']]);
    this.submissions.submitted(params['merchant_refund_id'] ?? '', key, { held, networkCopy });
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
    return {
      refundNo: refund.merchantRefundId,
      outcome,
      rawBody: notification.rawBody,
      contentType: LESHUA_CONTENT_TYPE,
    };
  }
}
