import type { DynamicModule } from '@nestjs/common';
import type { StaticCredentials } from '@refundhub/core';
import type { TransportRequest, TransportResult } from '@refundhub/gateway-kit';
import { ChaoyingModule, signChaoying, verifyChaoying } from '@refundhub/chaoying';
import { CHAOYING_SANDBOX_MODULE_OPTIONS } from '@refundhub/chaoying/sandbox';

// The sandbox's ledger (orders, refunds, balances) without its HTTP server: the simulation answers in-process.
import {
  CHAOYING_SANDBOX_ERRORS,
  CHAOYING_SANDBOX_MESSAGES,
  ChaoyingSandboxLedger,
} from '../../libs/gateways/chaoying/src/sandbox/chaoying-sandbox.ledger';
import type { GatewayPlan } from './faults';
import { InterimPhase } from './interim-phase';
import {
  type GatewayRefundState,
  noObservations,
  type SimulatedGateway,
  SubmissionLog,
  SimGatewayBase,
} from './sim-gateway';

export const SIM_CHAOYING_MERCHANT = '00000018';
export const SIM_CHAOYING_KEY = 'SIMCYKEY0123456789ABCDEF01234567';
/** The pay method every simulated order was paid with (`paytype`). */
const SIM_PAY_TYPE = 'WECHAT';

const CHAOYING_STATES: Record<string, GatewayRefundState['state']> = {
  SUCCESS: 'succeeded',
  FAIL: 'failed',
  CHANGE: 'change',
};

/**
 * ChaoYing (v2, the merchant's key) as the simulation sees it: the sandbox's ledger behind a transport, so
 * the real ChaoyingModule signs, sends and reads every call. A refund it accepts is PROCESSING, then SUCCESS,
 * FAIL or CHANGE (转入代发: the money is still owed and a person must pay it out) after the planned number of
 * queries. It sends no refund notifications, so every refund ends by query.
 */
export class SimChaoyingGateway extends SimGatewayBase implements SimulatedGateway {
  readonly id = 'chaoying' as const;
  readonly merchantId = SIM_CHAOYING_MERCHANT;
  readonly notifications = null;
  readonly observations = noObservations();
  private readonly ledger: ChaoyingSandboxLedger;
  private readonly submissions = new SubmissionLog(this.observations);
  private readonly interim = new InterimPhase();
  private nonce = 0;

  constructor(orders: ReadonlyArray<{ thirdOrderId: string; totalAmount: number }>, now: () => Date) {
    super();
    this.ledger = new ChaoyingSandboxLedger(1, now);
    for (const order of orders) {
      this.ledger.seedOrder({
        merchantId: SIM_CHAOYING_MERCHANT,
        outTradeNo: order.thirdOrderId,
        totalFee: order.totalAmount,
        payType: SIM_PAY_TYPE,
      });
    }
  }

  plan(refundNo: string, plan: GatewayPlan): void {
    this.interim.plan(refundNo, plan);
    const { outcome, afterQueries } = plan;
    this.ledger.plan(refundNo, { outcome: this.interim.planned(refundNo) ? 'notsure' : outcome, afterQueries });
  }

  refund(refundNo: string): GatewayRefundState | undefined {
    const refund = this.ledger.find(SIM_CHAOYING_MERCHANT, refundNo);
    return refund && { state: CHAOYING_STATES[refund.status] ?? 'in_progress', raw: refund.status };
  }

  order(orderNo: string): { totalAmount: number; balance: number } | undefined {
    const order = this.ledger.order(SIM_CHAOYING_MERCHANT, orderNo);
    return order && { totalAmount: order.totalFee, balance: order.balance };
  }

  protected holds(refundNo: string): boolean {
    return this.ledger.find(SIM_CHAOYING_MERCHANT, refundNo) !== undefined;
  }

  forged(): null {
    return null;
  }

  requestExtras(): { order: { payMethod: string } } {
    return { order: { payMethod: SIM_PAY_TYPE } };
  }

  module(): DynamicModule {
    return ChaoyingModule.forRoot({
      baseUrl: 'https://chaoying.simulated',
      transport: this,
      ...CHAOYING_SANDBOX_MODULE_OPTIONS,
    });
  }

  credentials(): StaticCredentials {
    return { chaoying: { [SIM_CHAOYING_MERCHANT]: { key: SIM_CHAOYING_KEY } } };
  }

  post(request: TransportRequest): Promise<TransportResult> {
    const params = Object.fromEntries(new URLSearchParams(request.body.toString()));
    return this.network({
      call: { kind: params['method'] === 'refund' ? 'submit' : 'query', refundNo: params['out_refund_no'] ?? '' },
      apply: (networkCopy) => this.answer(params, { networkCopy }),
      contentType: 'application/json',
    });
  }

  private answer(params: Record<string, string>, { networkCopy }: { networkCopy: boolean }): string {
    if (params['mch_id'] !== SIM_CHAOYING_MERCHANT || !verifyChaoying(params, SIM_CHAOYING_KEY)) {
      return this.signed({ state: 'FAIL', code: CHAOYING_SANDBOX_ERRORS.sign, msg: CHAOYING_SANDBOX_MESSAGES.sign });
    }
    const refundNo = params['out_refund_no'] ?? '';
    const lost = this.forgotten.has(refundNo);
    const held = this.ledger.find(SIM_CHAOYING_MERCHANT, refundNo) !== undefined;
    if (params['method'] === 'refund') {
      const key = JSON.stringify([params['refund_fee'], params['out_trade_no'], params['transaction_id']]);
      this.submissions.submitted(refundNo, key, { held: held && !lost, networkCopy });
      // Sent again, it is found again: the simulated gateway keeps the money it already moved.
      this.forgotten.delete(refundNo);
      return this.signed(this.ledger.refund(params).fields);
    }
    this.observations.queries += 1;
    if (lost) {
      return this.signed({
        state: 'SUCCESS',
        code: CHAOYING_SANDBOX_ERRORS.refundNotFound,
        msg: CHAOYING_SANDBOX_MESSAGES.orderNotFound,
        trade_state: 'FAIL',
      });
    }
    const answer = this.ledger.query(params);
    if (this.ledger.find(SIM_CHAOYING_MERCHANT, refundNo)?.status === 'NOTSURE') {
      // Its last NOTSURE answered: the next query finds the planned outcome.
      const settled = this.interim.spend(refundNo);
      if (settled) this.ledger.plan(refundNo, { outcome: settled.outcome, afterQueries: 0 });
    }
    return this.signed(answer.fields);
  }

  private signed(fields: Record<string, string>): string {
    this.nonce += 1;
    const unsigned = { ...fields, nonce_str: `simnonce${this.nonce}` };
    return JSON.stringify({ ...unsigned, sign: signChaoying(unsigned, SIM_CHAOYING_KEY) });
  }
}
