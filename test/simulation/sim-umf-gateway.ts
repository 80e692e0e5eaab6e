import type { DynamicModule } from '@nestjs/common';
import type { StaticCredentials } from '@refundhub/core';
import { formatChinaTime, type TransportRequest, type TransportResult } from '@refundhub/gateway-kit';
import {
  decodeUmfRequest,
  signUmfAnswer,
  UMF_QUERY_PATH,
  UMF_QUERY_STATUS,
  UmfModule,
  UmfParseError,
  type UmfOperation,
  verifyUmfRequest,
} from '@refundhub/umf';
import {
  createUmfSandboxNotification,
  UMF_SANDBOX_ERRORS,
  UMF_SANDBOX_MESSAGES,
  UMF_SANDBOX_MODULE_OPTIONS,
  type UmfSandboxRefund,
} from '@refundhub/umf/sandbox';

// The sandbox's ledger (orders, refunds, balances) and keys without its HTTP server: the simulation
// answers in-process.
import { forgeryKeyPem, newPlatformKeyPem, publicKeyPemOf } from '../../libs/gateways/umf/src/sandbox/umf-sandbox.keys';
import { UmfSandboxLedger } from '../../libs/gateways/umf/src/sandbox/umf-sandbox.ledger';
import type { GatewayPlan } from './faults';
import {
  type GatewayRefundState,
  noObservations,
  type PendingNotification,
  type SimulatedGateway,
  SubmissionLog,
  SimGatewayBase,
} from './sim-gateway';

export const SIM_UMF_MERCHANT = '30000018';
export const SIM_UMF_PROXY = '0018';
/** Every simulated order was paid by Alipay the day before the simulation's clock starts: inside the 90 days. */
const SIM_PAY_METHOD = 'ALIPAY';
const SIM_PAY_TYPE = 'AL';
const SIM_PAID_AT = new Date('2026-01-04T04:00:00.000Z');
const JSON_UTF8 = 'application/json; charset=utf-8';

const UMF_STATES: Record<string, GatewayRefundState['state']> = {
  [UMF_QUERY_STATUS.succeeded]: 'succeeded',
  [UMF_QUERY_STATUS.failed]: 'failed',
};

/** RSA pairs take tens of milliseconds each: one pair per process, shared by every seed (no outcome depends on them). */
let keys: { platform: string; platformPublic: string; merchant: string; merchantPublic: string } | null = null;

function simKeys(): NonNullable<typeof keys> {
  if (!keys) {
    const platform = newPlatformKeyPem();
    const merchant = newPlatformKeyPem();
    keys = {
      platform,
      platformPublic: publicKeyPemOf(platform, 'simulated UMF platform key'),
      merchant,
      merchantPublic: publicKeyPemOf(merchant, 'simulated UMF merchant key'),
    };
  }
  return keys;
}

/**
 * UMF (mofun in-pay-client) as the simulation sees it: the sandbox's ledger behind a transport, so the real
 * UmfModule (client, RSA signer, codec, mapper, platform verifier, notifications) signs, sends and reads
 * every call. A refund it accepts (`retCode` 0000: accepted, not refunded) has query `status` 0 (受理中),
 * then 1 or 2 after the planned queries; each final one whose request carried a `notifyUrl` is notified,
 * REFUND_SUCCESS or REFUND_FAIL, signed with the platform's key.
 */
export class SimUmfGateway extends SimGatewayBase implements SimulatedGateway {
  readonly id = 'umf' as const;
  readonly merchantId = SIM_UMF_MERCHANT;
  readonly notifications: PendingNotification[] = [];
  readonly observations = noObservations();
  private readonly keys = simKeys();
  private readonly ledger: UmfSandboxLedger;
  private readonly submissions = new SubmissionLog(this.observations);

  constructor(
    orders: ReadonlyArray<{ thirdOrderId: string; totalAmount: number }>,
    private readonly now: () => Date,
  ) {
    super();
    this.ledger = new UmfSandboxLedger(1, now);
    for (const order of orders) {
      this.ledger.seedOrder({
        merchantId: SIM_UMF_MERCHANT,
        partnerOrderId: order.thirdOrderId,
        amount: order.totalAmount,
        payType: SIM_PAY_TYPE,
        paidAt: SIM_PAID_AT,
      });
    }
  }

  plan(refundNo: string, plan: GatewayPlan): void {
    if (plan.outcome === 'change') throw new Error('UMF has no CHANGE outcome');
    this.ledger.plan(refundNo, { outcome: plan.outcome, afterQueries: plan.afterQueries });
  }

  refund(refundNo: string): GatewayRefundState | undefined {
    const refund = this.ledger.find(SIM_UMF_MERCHANT, refundNo);
    return refund && { state: UMF_STATES[refund.status] ?? 'in_progress', raw: refund.status };
  }

  order(orderNo: string): { totalAmount: number; balance: number } | undefined {
    const order = this.ledger.order(SIM_UMF_MERCHANT, orderNo);
    return order && { totalAmount: order.amount, balance: order.balance };
  }

  protected holds(refundNo: string): boolean {
    return this.ledger.find(SIM_UMF_MERCHANT, refundNo) !== undefined;
  }

  forged(input: {
    refundNo: string;
    outcome: 'success' | 'fail';
    orderNo: string;
    amount: number;
  }): PendingNotification {
    const order = this.ledger.order(SIM_UMF_MERCHANT, input.orderNo);
    const fields = createUmfSandboxNotification({
      notification: {
        merchantId: SIM_UMF_MERCHANT,
        partnerOrderId: input.orderNo,
        orderDate: order?.orderDate ?? formatChinaTime(SIM_PAID_AT, 'yyyyMMdd'),
        refundPartnerOrderId: input.refundNo,
        amount: input.amount,
        payType: SIM_PAY_TYPE,
        outcome: input.outcome,
        at: this.now(),
      },
      // Anyone's key but the platform's: the module must refuse it.
      privateKeyPem: forgeryKeyPem(),
    });
    return { refundNo: input.refundNo, outcome: input.outcome, rawBody: jsonBody(fields), contentType: JSON_UTF8 };
  }

  requestExtras(): { order: { payMethod: string; paidAt: Date } } {
    return { order: { payMethod: SIM_PAY_METHOD, paidAt: SIM_PAID_AT } };
  }

  module(): DynamicModule {
    return UmfModule.forRoot({
      baseUrl: 'https://umf.simulated',
      transport: this,
      platformCertificate: this.keys.platformPublic,
      ...UMF_SANDBOX_MODULE_OPTIONS,
    });
  }

  credentials(): StaticCredentials {
    return { umf: { [SIM_UMF_MERCHANT]: { proxyId: SIM_UMF_PROXY, privateKey: this.keys.merchant } } };
  }

  post(request: TransportRequest): Promise<TransportResult> {
    const operation: UmfOperation = request.url.endsWith(UMF_QUERY_PATH) ? 'query' : 'refund';
    const params = contextOf(request.body.toString());
    return this.network({
      call: { kind: operation === 'refund' ? 'submit' : 'query', refundNo: params?.['refundPartnerOrderId'] ?? '' },
      apply: (networkCopy) => JSON.stringify(this.answer(operation, params, { networkCopy })),
      contentType: JSON_UTF8,
    });
  }

  private answer(
    operation: UmfOperation,
    params: Record<string, string> | null,
    { networkCopy }: { networkCopy: boolean },
  ): Record<string, string> {
    if (!params) return this.refusal(operation, UMF_SANDBOX_ERRORS.param, `${UMF_SANDBOX_MESSAGES.param}: context`);
    if (params['subMerId'] !== SIM_UMF_MERCHANT || params['proxyId'] !== SIM_UMF_PROXY) {
      return this.refusal(operation, UMF_SANDBOX_ERRORS.merchant, UMF_SANDBOX_MESSAGES.merchant);
    }
    if (!verifyUmfRequest({ fields: params, publicKeyPem: this.keys.merchantPublic })) {
      return this.refusal(operation, UMF_SANDBOX_ERRORS.sign, UMF_SANDBOX_MESSAGES.sign);
    }
    const refundNo = params['refundPartnerOrderId'] ?? '';
    const lost = this.forgotten.has(refundNo);
    if (operation === 'refund') {
      const held = this.ledger.find(SIM_UMF_MERCHANT, refundNo) !== undefined;
      const key = JSON.stringify([params['amount'], params['partnerOrderId'], params['orderDate'], params['payType']]);
      this.submissions.submitted(refundNo, key, { held: held && !lost, networkCopy });
      // Sent again, it is found again: the simulated gateway keeps the money it already moved.
      this.forgotten.delete(refundNo);
      return this.settled('refund', this.ledger.refund(params));
    }
    this.observations.queries += 1;
    if (lost) return this.refusal('query', UMF_SANDBOX_ERRORS.refundNotFound, UMF_SANDBOX_MESSAGES.refundNotFound);
    return this.settled('query', this.ledger.query(params));
  }

  /** The ledger's answer, signed; the refunds it made final are notified. */
  private settled(
    operation: UmfOperation,
    answer: { fields: Record<string, string>; finalized: readonly UmfSandboxRefund[] },
  ): Record<string, string> {
    for (const refund of answer.finalized) this.notify(refund);
    return this.signed(operation, answer.fields);
  }

  private refusal(operation: UmfOperation, retCode: string, message: string): Record<string, string> {
    return this.signed(operation, { retCode, [operation === 'refund' ? 'Memo' : 'retMsg']: message });
  }

  /** The platform signs every answer, refusals included. */
  private signed(operation: UmfOperation, fields: Record<string, string>): Record<string, string> {
    return { ...fields, sign: signUmfAnswer({ fields, privateKeyPem: this.keys.platform, message: operation }) };
  }

  /** As the sandbox does: only a refund whose request carried a `notifyUrl` is notified. */
  private notify(refund: UmfSandboxRefund): void {
    if (!refund.notifyUrl) return;
    const outcome = refund.status === UMF_QUERY_STATUS.succeeded ? 'success' : 'fail';
    const fields = createUmfSandboxNotification({
      notification: this.ledger.noticeOf(refund, outcome, this.now()),
      privateKeyPem: this.keys.platform,
    });
    this.notifications.push({
      refundNo: refund.refundPartnerOrderId,
      outcome,
      rawBody: jsonBody(fields),
      contentType: JSON_UTF8,
    });
  }
}

/** The `context` JSON of a request body, or null when it has none (the gateway then refuses it). */
function contextOf(body: string): Record<string, string> | null {
  try {
    return { ...decodeUmfRequest(body) };
  } catch (error) {
    if (error instanceof UmfParseError) return null;
    throw error;
  }
}

function jsonBody(fields: Readonly<Record<string, string>>): Buffer {
  return Buffer.from(JSON.stringify(fields), 'utf8');
}
