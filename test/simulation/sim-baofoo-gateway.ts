import type { DynamicModule } from '@nestjs/common';
import type { StaticCredentials } from '@refundhub/core';
import { formatChinaTime, type TransportRequest, type TransportResult } from '@refundhub/gateway-kit';
import {
  BAOFOO_REFUND_STATE,
  BAOFOO_RESULT_CODE,
  BaofooModule,
  encodeBaofooAnswer,
  verifyBaofoo,
} from '@refundhub/baofoo';
import {
  BAOFOO_SANDBOX_ERRORS,
  BAOFOO_SANDBOX_MESSAGES,
  BAOFOO_SANDBOX_MODULE_OPTIONS,
  type BaofooSandboxKeyPair,
  type BaofooSandboxRefund,
  createBaofooSandboxNotification,
  generateBaofooSandboxKeyPair,
} from '@refundhub/baofoo/sandbox';

// The sandbox's parts (ledger, in-flight rule, answers, readers) without its HTTP server: the simulation
// answers in-process.
import {
  BaofooSandboxAnswers,
  type SandboxAnswer,
} from '../../libs/gateways/baofoo/src/sandbox/baofoo-sandbox.answers';
import {
  parseBizContent,
  readMerchant,
  readQueryBiz,
  readRefundBiz,
  text,
} from '../../libs/gateways/baofoo/src/sandbox/baofoo-sandbox.biz';
import { readEnvelope } from '../../libs/gateways/baofoo/src/sandbox/baofoo-sandbox.envelope';
import { BaofooSandboxFlights } from '../../libs/gateways/baofoo/src/sandbox/baofoo-sandbox.flights';
import { BaofooSandboxLedger } from '../../libs/gateways/baofoo/src/sandbox/baofoo-sandbox.ledger';
import type { GatewayPlan } from './faults';
import { InterimPhase } from './interim-phase';
import {
  type GatewayRefundState,
  noObservations,
  type PendingNotification,
  type SimulatedGateway,
  simTimeout,
  SubmissionLog,
  SimGatewayBase,
} from './sim-gateway';

export const SIM_BAOFOO_MERCHANT = '100000018';
export const SIM_BAOFOO_TERMINAL = '200000018';
/** Every simulated order was paid the day before the simulation's clock starts: inside the one-year window. */
const SIM_PAID_AT = new Date('2026-01-04T04:00:00.000Z');
const FORM = 'application/x-www-form-urlencoded;charset=UTF-8';
/**
 * Turns of the event loop an `order_refund` answer is held: long enough for a second refund of the same
 * order, sent by a concurrent caller, to reach the gateway while the first is still in flight.
 */
const REFUND_ANSWER_TURNS = 3;

const BAOFOO_STATES: Record<string, GatewayRefundState['state']> = { SUCCESS: 'succeeded', REFUND_ERROR: 'failed' };

/** RSA pairs take about 100 ms each: one set per process, shared by every seed (no outcome depends on them). */
let keys: { platform: BaofooSandboxKeyPair; merchant: BaofooSandboxKeyPair; forger: BaofooSandboxKeyPair } | null =
  null;

function simKeys(): NonNullable<typeof keys> {
  keys ??= {
    platform: generateBaofooSandboxKeyPair(),
    merchant: generateBaofooSandboxKeyPair(),
    forger: generateBaofooSandboxKeyPair(),
  };
  return keys;
}

/**
 * Baofoo aggregate pay as the simulation sees it: the sandbox's ledger and in-flight rule behind a
 * transport, so the real BaofooModule (client, RSA signer, codec, mapper, notifications) signs, sends and
 * reads every call. An `order_refund` that reaches it while another refund of the same order is in flight
 * is refused NOT_SUPPORT_CONCURRENT and recorded as an overlap. Accepted refunds (REFUND) end SUCCESS or
 * REFUND_ERROR after the planned queries, and each final one is notified, signed with Baofoo's key.
 */
export class SimBaofooGateway extends SimGatewayBase implements SimulatedGateway {
  readonly id = 'baofoo' as const;
  readonly merchantId = SIM_BAOFOO_MERCHANT;
  readonly notifications: PendingNotification[] = [];
  readonly observations = noObservations();
  private readonly keys = simKeys();
  private readonly ledger: BaofooSandboxLedger;
  private readonly flights: BaofooSandboxFlights;
  private readonly answers = new BaofooSandboxAnswers({
    privateKeyPem: this.keys.platform.privateKeyPem,
    uppercase: false,
  });
  private readonly submissions = new SubmissionLog(this.observations);
  private readonly interim = new InterimPhase();

  constructor(
    orders: ReadonlyArray<{ thirdOrderId: string; totalAmount: number }>,
    private readonly now: () => Date,
  ) {
    super();
    // A refund it never received is "not found" (ORDER_NOT_EXIST) to a query, so the core may send it again.
    this.ledger = new BaofooSandboxLedger({ queriesUntilFinal: 1, now, unknownRefundQuery: 'not_found' });
    this.flights = new BaofooSandboxFlights(now);
    for (const order of orders) {
      this.ledger.seedOrder({
        merchantId: SIM_BAOFOO_MERCHANT,
        originOutTradeNo: order.thirdOrderId,
        totalAmount: order.totalAmount,
        paidAt: SIM_PAID_AT,
      });
    }
  }

  plan(refundNo: string, plan: GatewayPlan): void {
    if (plan.outcome === 'change') throw new Error('Baofoo has no CHANGE outcome');
    this.interim.plan(refundNo, plan);
    const outcome = this.interim.planned(refundNo) ? 'abnormal' : plan.outcome;
    this.ledger.plan(refundNo, { outcome, afterQueries: plan.afterQueries });
  }

  refund(refundNo: string): GatewayRefundState | undefined {
    const refund = this.ledger.find(SIM_BAOFOO_MERCHANT, refundNo);
    return refund && { state: BAOFOO_STATES[refund.state] ?? 'in_progress', raw: refund.state };
  }

  order(orderNo: string): { totalAmount: number; balance: number } | undefined {
    const order = this.ledger.order(SIM_BAOFOO_MERCHANT, orderNo);
    return order && { totalAmount: order.totalAmount, balance: order.balance };
  }

  protected holds(refundNo: string): boolean {
    return this.ledger.find(SIM_BAOFOO_MERCHANT, refundNo) !== undefined;
  }

  forged(input: { refundNo: string; outcome: 'success' | 'fail'; amount: number }): PendingNotification {
    const notification = createBaofooSandboxNotification({
      merchantId: SIM_BAOFOO_MERCHANT,
      terId: SIM_BAOFOO_TERMINAL,
      outTradeNo: input.refundNo,
      outcome: input.outcome,
      succAmt: input.amount,
      privateKeyPem: this.keys.forger.privateKeyPem,
    });
    return { refundNo: input.refundNo, outcome: input.outcome, rawBody: notification.rawBody, contentType: FORM };
  }

  requestExtras(): { order: { paidAt: Date }; reason: string } {
    return { order: { paidAt: SIM_PAID_AT }, reason: 'simulated refund' };
  }

  module(): DynamicModule {
    return BaofooModule.forRoot({
      baseUrl: 'https://baofoo.simulated',
      transport: this,
      platformPublicKey: this.keys.platform.publicKeyPem,
      ...BAOFOO_SANDBOX_MODULE_OPTIONS,
    });
  }

  credentials(): StaticCredentials {
    return {
      baofoo: { [SIM_BAOFOO_MERCHANT]: { terId: SIM_BAOFOO_TERMINAL, privateKey: this.keys.merchant.privateKeyPem } },
    };
  }

  async post(request: TransportRequest): Promise<TransportResult> {
    const envelope = Object.fromEntries(new URLSearchParams(request.body.toString()));
    const biz = parseBizContent(envelope['bizContent']);
    const refundCall = envelope['method'] === 'order_refund';
    const held = this.heldCall({ kind: refundCall ? 'submit' : 'query', refundNo: text(biz?.['outTradeNo']) ?? '' });
    // A held call is answered faithfully or not at all, and its answer comes back only when released.
    const fault = held ? (held.applies ? 'ok' : 'timeout-before-apply') : this.nextFault();
    if (fault === 'timeout-before-apply') {
      if (!held) return simTimeout();
      // Released with an answer, a call the gateway never received reaches it late: should the refund
      // have been sent again meanwhile, this copy is the network's, not a resubmission of the sender's.
      held.answerWith(() => {
        const flight = refundCall ? this.takeOff(biz) : undefined;
        try {
          return answerResult(this.answer(envelope, biz, { networkCopy: true, overlapping: flight?.overlapping }));
        } finally {
          flight?.land();
        }
      });
      return held.answered;
    }
    // In flight from its arrival until its answer is out, as the sandbox's own rule has it.
    const flight = refundCall ? this.takeOff(biz) : undefined;
    try {
      if (fault === 'duplicated') this.answer(envelope, biz, { networkCopy: false, overlapping: flight?.overlapping });
      const answer = this.answer(envelope, biz, {
        networkCopy: fault === 'duplicated',
        overlapping: flight?.overlapping,
      });
      // Known before the answer turns pass: the step may release the call at any turn after it is held.
      held?.answerWith(() => answerResult(answer));
      if (refundCall) await holdTurns(REFUND_ANSWER_TURNS);
      // Still in flight at the gateway until the held answer is given up.
      if (held) return await held.answered;
      if (fault === 'timeout-after-apply') return simTimeout();
      if (fault === '5xx-after-apply') return { kind: 'answer', status: 502, body: 'Bad Gateway', headers: {} };
      return answerResult(answer);
    } finally {
      flight?.land();
    }
  }

  private takeOff(biz: Readonly<Record<string, unknown>> | undefined): {
    overlapping: readonly string[];
    land(): void;
  } {
    const outTradeNo = text(biz?.['outTradeNo']) ?? '';
    const order = this.ledger.findOrder(SIM_BAOFOO_MERCHANT, {
      originTradeNo: text(biz?.['originTradeNo']),
      originOutTradeNo: text(biz?.['originOutTradeNo']),
    });
    const flight = this.flights.takeOff(order?.originTradeNo ?? 'unknown order', outTradeNo);
    if (flight.overlapping.length > 0) {
      this.observations.overlaps.push(`${outTradeNo} while ${flight.overlapping.join(', ')} in flight`);
    }
    return flight;
  }

  private answer(
    received: Record<string, string>,
    bizContent: Readonly<Record<string, unknown>> | undefined,
    { networkCopy, overlapping }: { networkCopy: boolean; overlapping: readonly string[] | undefined },
  ): SandboxAnswer {
    const readable = readEnvelope(received, this.now());
    if ('problem' in readable) return BaofooSandboxAnswers.communicationFailure(readable.problem);
    const envelope = readable.envelope;
    const to = { merId: envelope.merId, terId: envelope.terId, signSn: envelope.signSn };
    const refuse = (errCode: string, errMsg: string) =>
      this.answers.signed(to, { resultCode: 'FAIL', errCode, errMsg });
    const verified =
      envelope.merId === SIM_BAOFOO_MERCHANT &&
      envelope.terId === SIM_BAOFOO_TERMINAL &&
      verifyBaofoo({
        publicKeyPem: this.keys.merchant.publicKeyPem,
        content: envelope.bizContent,
        signStr: envelope.signStr,
      });
    if (!verified) return refuse(BAOFOO_SANDBOX_ERRORS.sign, BAOFOO_SANDBOX_MESSAGES.sign);
    if (!bizContent || 'problem' in readMerchant(bizContent)) return refuse(BAOFOO_SANDBOX_ERRORS.param, 'bizContent');

    if (envelope.method === 'refund_query') {
      const read = readQueryBiz(bizContent);
      if ('problem' in read) return refuse(BAOFOO_SANDBOX_ERRORS.param, read.problem);
      this.observations.queries += 1;
      if (this.forgotten.has(read.biz.outTradeNo)) {
        return refuse(BAOFOO_SANDBOX_ERRORS.orderNotFound, '退款订单不存在');
      }
      const refundNo = read.biz.outTradeNo;
      if (!this.holds(refundNo) && this.interim.planned(refundNo)) {
        // Baofoo answers ABNORMAL, not "not found", for a refund it never received (PROTOCOLS.md §5a).
        const settled = this.interim.spend(refundNo);
        if (settled)
          this.ledger.plan(refundNo, { outcome: plannedOutcome(settled), afterQueries: settled.afterQueries });
        return this.answers.signed(to, {
          outTradeNo: refundNo,
          resultCode: BAOFOO_RESULT_CODE.success,
          refundState: BAOFOO_REFUND_STATE.abnormal,
        });
      }
      const result = this.ledger.query(read.biz);
      if (this.ledger.find(SIM_BAOFOO_MERCHANT, refundNo)?.state === BAOFOO_REFUND_STATE.abnormal) {
        // Its last ABNORMAL answered: the next query finds the planned outcome.
        const settled = this.interim.spend(refundNo);
        if (settled) this.ledger.plan(refundNo, { outcome: plannedOutcome(settled), afterQueries: 0 });
      }
      this.notify(result.finalized);
      return this.answers.signed(to, { ...result.data });
    }
    const read = readRefundBiz(bizContent);
    if ('problem' in read) return refuse(BAOFOO_SANDBOX_ERRORS.param, read.problem);
    if (overlapping?.length) return refuse(BAOFOO_SANDBOX_ERRORS.concurrent, BAOFOO_SANDBOX_MESSAGES.concurrent);
    const refundNo = read.biz.outTradeNo;
    const held = this.ledger.find(SIM_BAOFOO_MERCHANT, refundNo) !== undefined;
    const key = JSON.stringify([
      read.biz.refundAmt,
      read.biz.totalAmt,
      read.biz.originTradeNo,
      read.biz.originOutTradeNo,
    ]);
    this.submissions.submitted(refundNo, key, { held: held && !this.forgotten.has(refundNo), networkCopy });
    // Sent again, it is found again: the simulated gateway keeps the money it already moved.
    this.forgotten.delete(refundNo);
    const result = this.ledger.refund(read.biz, this.ledger.findOrder(SIM_BAOFOO_MERCHANT, read.biz));
    this.notify(result.finalized);
    return this.answers.signed(to, { ...result.data });
  }

  private notify(refunds: readonly BaofooSandboxRefund[]): void {
    for (const refund of refunds) {
      const outcome = refund.state === 'SUCCESS' ? 'success' : 'fail';
      const notification = createBaofooSandboxNotification({
        merchantId: refund.merchantId,
        terId: refund.terId,
        outTradeNo: refund.outTradeNo,
        tradeNo: refund.tradeNo,
        outcome,
        succAmt: refund.refundAmt,
        ...(refund.finishTime ? { finishTime: formatChinaTime(refund.finishTime, 'yyyyMMddHHmmss') } : {}),
        txnTime: refund.txnTime,
        ...(refund.errCode ? { errCode: refund.errCode } : {}),
        ...(refund.errMsg ? { errMsg: refund.errMsg } : {}),
        privateKeyPem: this.keys.platform.privateKeyPem,
      });
      this.notifications.push({
        refundNo: refund.outTradeNo,
        outcome,
        rawBody: notification.rawBody,
        contentType: FORM,
      });
    }
  }
}

function plannedOutcome(plan: GatewayPlan): 'success' | 'fail' {
  if (plan.outcome === 'change') throw new Error('Baofoo has no CHANGE outcome');
  return plan.outcome;
}

async function holdTurns(turns: number): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A sandbox answer as the transport delivers it. */
function answerResult(answer: SandboxAnswer): TransportResult {
  return {
    kind: 'answer',
    status: 200,
    body: encodeBaofooAnswer(answer.envelope),
    headers: { 'content-type': 'application/json;charset=UTF-8' },
  };
}
