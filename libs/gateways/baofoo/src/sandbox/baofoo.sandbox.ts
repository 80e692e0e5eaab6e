import { FaultQueue, SandboxServer, formFields, type FaultMode } from '@refundhub/gateway-kit/sandbox';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { encodeBaofooAnswer } from '../baofoo.codec';
import { BAOFOO_API_PATH } from '../baofoo.options';
import { verifyBaofoo } from '../baofoo.signer';
import {
  BAOFOO_METHOD,
  BAOFOO_RESULT_CODE,
  type BaofooAnswerEnvelope,
  type BaofooOperation,
  type BaofooResultData,
} from '../baofoo.types';
import { BaofooSandboxAnswers, type AnswerAddress, type SandboxAnswer } from './baofoo-sandbox.answers';
import { parseBizContent, readMerchant, readQueryBiz, readRefundBiz, text } from './baofoo-sandbox.biz';
import { readEnvelope } from './baofoo-sandbox.envelope';
import { BaofooSandboxFlights, type Flight } from './baofoo-sandbox.flights';
import { generateBaofooSandboxKeyPair, publicKeyOf } from './baofoo-sandbox.keys';
import {
  BAOFOO_SANDBOX_ERRORS,
  BAOFOO_SANDBOX_MESSAGES,
  BaofooSandboxLedger,
  type LedgerAnswer,
} from './baofoo-sandbox.ledger';
import { AnswerHold } from './baofoo-sandbox.hold';
import { BaofooSandboxNotices } from './baofoo-sandbox.notices';
import type {
  BaofooSandboxFaultOptions,
  BaofooSandboxKeyPair,
  BaofooSandboxMerchant,
  BaofooSandboxNotificationRecord,
  BaofooSandboxOptions,
  BaofooSandboxOrder,
  BaofooSandboxOrderSeed,
  BaofooSandboxOutcome,
  BaofooSandboxRefund,
  BaofooSandboxRefundPlan,
  BaofooSandboxRejection,
  BaofooSandboxRequestRecord,
  BaofooSandboxViolation,
} from './baofoo-sandbox.types';

type Envelope = Record<string, string>;

/**
 * An in-process HTTP simulator of Baofoo aggregate pay's refund interface: one endpoint `/api`, a
 * form-encoded public envelope, `method` `order_refund` or `refund_query`, answers as JSON with a
 * `dataContent` signed SHA256withRSA (hex) by its own key pair, generated when it is made. Strict like the
 * real one about envelopes, clock skew, signatures (each merchant's public key), orders, amounts, the
 * one-year window and `outTradeNo` idempotency; and it refuses NOT_SUPPORT_CONCURRENT, recording a
 * violation, a refund of an order that arrives while another refund of that order is in flight.
 * Refunds are accepted (REFUND), become final as queries come in, and are notified (`notifyType=REFUND`)
 * until the receiver answers `OK`.
 *
 * @example
 * ```ts
 * const sandbox = new BaofooSandbox({ merchants: { '100000': { terId: '200000', privateKey } } });
 * const baseUrl = await sandbox.start();   // BaofooModule.forRoot({ baseUrl, platformPublicKey: sandbox.platformPublicKey })
 * sandbox.seedOrder({ merchantId: '100000', originOutTradeNo: 'T1', totalAmount: 1000 });
 * sandbox.failNext('timeout', { operation: 'order_refund', process: true });
 * expect(sandbox.violations()).toEqual([]);
 * await sandbox.stop();
 * ```
 */
export class BaofooSandbox {
  private readonly ledger: BaofooSandboxLedger;
  private readonly flights: BaofooSandboxFlights;
  private readonly faults = new FaultQueue<BaofooOperation, BaofooSandboxRejection>();
  private readonly notices: BaofooSandboxNotices;
  private readonly server: SandboxServer;
  private readonly merchants = new Map<string, { terId: string; publicKeyPem: string }>();
  private readonly log: BaofooSandboxRequestRecord[] = [];
  private readonly hold = new AnswerHold();
  private readonly answers: BaofooSandboxAnswers;
  private readonly keys: BaofooSandboxKeyPair;
  private holdTurns: number;
  private readonly now: () => Date;

  constructor(private readonly options: BaofooSandboxOptions) {
    this.now = options.now ?? (() => new Date());
    this.holdTurns = options.holdRefundAnswerTurns ?? 0;
    this.keys = options.keyPair ?? generateBaofooSandboxKeyPair();
    this.answers = new BaofooSandboxAnswers({
      privateKeyPem: this.keys.privateKeyPem,
      uppercase: options.uppercaseSignatures ?? false,
    });
    for (const [merId, merchant] of Object.entries(options.merchants)) this.registerMerchant(merId, merchant);
    this.ledger = new BaofooSandboxLedger({
      queriesUntilFinal: options.queriesUntilFinal ?? 1,
      now: this.now,
      unknownRefundQuery: options.unknownRefundQuery ?? 'abnormal',
    });
    this.flights = new BaofooSandboxFlights(this.now);
    this.notices = new BaofooSandboxNotices({
      privateKeyPem: this.keys.privateKeyPem,
      uppercase: options.uppercaseSignatures ?? false,
      notify: options.notifications ?? {},
    });
    this.server = new SandboxServer({
      name: 'BaofooSandbox',
      routes: (app) => {
        app.post(BAOFOO_API_PATH, (request, reply) => this.handle(request, reply));
      },
    });
  }

  /** Listens (127.0.0.1, random port by default) and returns the base URL to configure `BaofooModule` with. */
  start(): Promise<string> {
    return this.server.start({ host: this.options.host, port: this.options.port });
  }

  /** Closes the server, dropping held requests, and abandons notification deliveries. */
  async stop(): Promise<void> {
    this.hold.releaseAll();
    await this.server.stop();
    await this.notices.stop();
  }

  get baseUrl(): string {
    return this.server.baseUrl;
  }

  /** Baofoo's public key (SPKI PEM): the module's `platformPublicKey`. */
  get platformPublicKey(): string {
    return this.keys.publicKeyPem;
  }

  /**
   * A merchant calls may come from: its public key is `publicKey`, or the public half of `privateKey`
   * (the operator file's merchant section). Replaces one registered under the same `merId`.
   */
  registerMerchant(merId: string, merchant: BaofooSandboxMerchant): void {
    const publicKeyPem = merchant.publicKey ?? (merchant.privateKey ? publicKeyOf(merchant.privateKey) : undefined);
    if (!publicKeyPem) throw new Error(`BaofooSandbox merchant ${merId} needs a privateKey or a publicKey`);
    this.merchants.set(merId, { terId: merchant.terId, publicKeyPem });
  }

  /** A paid order refunds may be made against. */
  seedOrder(seed: BaofooSandboxOrderSeed): BaofooSandboxOrder {
    return this.ledger.seedOrder(seed);
  }

  /** An order by `originOutTradeNo` or `originTradeNo`, with its remaining `balance`. */
  order(merchantId: string, ref: string): BaofooSandboxOrder | undefined {
    return this.ledger.order(merchantId, ref);
  }

  /** How the refund with this `outTradeNo` ends (also applies to one already pending). */
  planRefund(outTradeNo: string, plan: BaofooSandboxRefundPlan): void {
    this.ledger.plan(outTradeNo, plan);
  }

  /** Queries after which refunds without a plan become final (SUCCESS). */
  setQueriesUntilFinal(queries: number): void {
    this.ledger.queriesUntilFinal = queries;
  }

  /** Holds `order_refund` answers this many event-loop turns from now on (see `holdRefundAnswerTurns`). */
  holdRefundAnswers(turns: number): void {
    if (!Number.isSafeInteger(turns) || turns < 0) throw new Error('turns must be a non-negative integer');
    this.holdTurns = turns;
  }

  /** What a `refund_query` for a refund the sandbox never received answers from now on (see the option). */
  setUnknownRefundQuery(mode: 'abnormal' | 'not_found'): void {
    this.ledger.unknownRefundQuery = mode;
  }

  /** Makes a pending refund final now, as the bank would, and notifies it. */
  complete(
    merchantId: string,
    outTradeNo: string,
    outcome: Exclude<BaofooSandboxOutcome, 'abnormal'>,
  ): BaofooSandboxRefund {
    const refund = this.ledger.complete(merchantId, outTradeNo, outcome);
    this.notices.notify(refund);
    return refund;
  }

  /** Sends the notification of a final refund again, from its first attempt. */
  redeliver(merchantId: string, outTradeNo: string): void {
    const refund = this.ledger.find(merchantId, outTradeNo);
    if (!refund?.finishTime) throw new Error(`Sandbox has no final refund ${merchantId}/${outTradeNo}`);
    this.notices.notify(refund);
  }

  /**
   * POSTs, once, a notification about this refund signed with a key that is not Baofoo's, to `url` (default:
   * the refund's `notifyUrl`). A receiver must reject it and change nothing.
   */
  sendForgedNotification(input: {
    merchantId: string;
    outTradeNo: string;
    outcome: 'success' | 'fail';
    url?: string;
  }): void {
    const refund = this.ledger.find(input.merchantId, input.outTradeNo);
    const url = input.url ?? refund?.notifyUrl;
    if (!url) throw new Error(`No notify URL for ${input.merchantId}/${input.outTradeNo}`);
    const terId = refund?.terId ?? this.merchants.get(input.merchantId)?.terId ?? '';
    this.notices.forge({ ...input, terId, url, refund });
  }

  /**
   * The next matching, correctly signed call of a known method answers this refusal, signed, and does
   * nothing: `{ resultCode: 'FAIL', errCode, errMsg }` by default.
   */
  rejectNext(rejection: BaofooSandboxRejection, operation?: BaofooOperation): void {
    this.faults.rejectNext({ ...rejection }, operation);
  }

  /**
   * The next matching call(s) misbehave: `timeout` holds the request unanswered (its refund in flight)
   * until {@link releaseHeld} or {@link stop}; `5xx` answers HTTP 502; `malformed` answers a body that is
   * not JSON; `badsign` and `unsigned` answer with a wrong or no `signStr`; `other_refund` and
   * `other_amount` answer, correctly signed, about another `outTradeNo` or another amount.
   */
  failNext(mode: FaultMode, options: BaofooSandboxFaultOptions = {}): void {
    this.faults.failNext(mode, { operation: options.operation, times: options.times, process: options.process });
  }

  /** Drops the connections of held (`timeout`) requests without answering. Returns how many. */
  releaseHeld(): number {
    return this.server.releaseHeld();
  }

  refund(merchantId: string, outTradeNo: string): BaofooSandboxRefund | undefined {
    return this.ledger.find(merchantId, outTradeNo);
  }

  /** How many `order_refund` calls carried this `outTradeNo`, whatever their outcome. */
  refundSubmissions(outTradeNo: string): number {
    return this.log.filter((r) => r.operation === BAOFOO_METHOD.refund && r.bizContent?.['outTradeNo'] === outTradeNo)
      .length;
  }

  requests(): BaofooSandboxRequestRecord[] {
    return this.log.map((r) => ({ ...r }));
  }

  /** Refunds that overlapped another refund of their order (answered NOT_SUPPORT_CONCURRENT). Empty, always, for a correct client. */
  violations(): BaofooSandboxViolation[] {
    return this.flights.violations();
  }

  notifications(): BaofooSandboxNotificationRecord[] {
    return this.notices.deliveries();
  }

  /** Resolves once every notification sent so far was acknowledged or ran out of attempts. */
  notificationsSettled(): Promise<void> {
    return this.notices.settled();
  }

  private async handle(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const form = /^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '');
    const envelope = form ? formFields(request.body) : null;
    const operation = envelope?.['method'] ?? '';
    const bizContent = parseBizContent(envelope?.['bizContent']);
    const flight = operation === BAOFOO_METHOD.refund && envelope ? this.takeOff(envelope, bizContent) : undefined;
    // Whatever answer was held to widen the window has now met this request: it may go.
    this.hold.releaseAll();
    const fault = this.faults.takeFault(operation);
    this.log.push({
      operation,
      envelope: { ...envelope },
      ...(bizContent ? { bizContent: { ...bizContent } } : {}),
      fault: fault?.mode,
      at: this.now(),
    });
    if (fault && !fault.process) return this.misbehave(fault.mode, reply, undefined, flight);
    const answer = this.answer(envelope, bizContent, flight);
    if (flight && this.holdTurns > 0) await this.hold.hold(this.holdTurns);
    return fault ? this.misbehave(fault.mode, reply, answer, flight) : this.send(reply, answer.envelope, flight);
  }

  /** The refund is in flight from here; a lawful one finds no other refund of its order in flight. */
  private takeOff(envelope: Envelope, biz: Readonly<Record<string, unknown>> | undefined): Flight | undefined {
    const merId = text(biz?.['merId']) ?? envelope['merId'] ?? '';
    const originTradeNo = text(biz?.['originTradeNo']);
    const originOutTradeNo = text(biz?.['originOutTradeNo']);
    const outTradeNo = text(biz?.['outTradeNo']) ?? '';
    const orderRef = originTradeNo ?? originOutTradeNo;
    if (!orderRef) return undefined;
    const order = this.ledger.findOrder(merId, { originTradeNo, originOutTradeNo });
    const flight = this.flights.takeOff(`${merId}\u0000${order?.originTradeNo ?? orderRef}`, outTradeNo);
    if (flight.overlapping.length > 0) {
      this.flights.violated({ merchantId: merId, orderRef, outTradeNo, inFlight: [...flight.overlapping] });
    }
    return flight;
  }

  /** The checks in the real gateway's order: envelope, clock, merchant, signature, then business. */
  private answer(
    received: Envelope | null,
    bizContent: Readonly<Record<string, unknown>> | undefined,
    flight: Flight | undefined,
  ): SandboxAnswer {
    const readable = readEnvelope(received, this.now());
    if ('problem' in readable) return BaofooSandboxAnswers.communicationFailure(readable.problem);
    const envelope = readable.envelope;

    const to = { merId: envelope.merId, terId: envelope.terId, signSn: envelope.signSn };
    const refuse = (errCode: string, errMsg: string) =>
      this.answers.signed(to, { resultCode: BAOFOO_RESULT_CODE.fail, errCode, errMsg });
    const merchant = this.merchants.get(to.merId);
    if (!merchant) return refuse(BAOFOO_SANDBOX_ERRORS.merchant, BAOFOO_SANDBOX_MESSAGES.merchant);
    if (merchant.terId !== to.terId) return refuse(BAOFOO_SANDBOX_ERRORS.terminal, BAOFOO_SANDBOX_MESSAGES.terminal);
    const verified = verifyBaofoo({
      publicKeyPem: merchant.publicKeyPem,
      content: envelope.bizContent,
      signStr: envelope.signStr,
      keyName: `Baofoo sandbox merchant ${to.merId} public key`,
    });
    if (!verified) return refuse(BAOFOO_SANDBOX_ERRORS.sign, BAOFOO_SANDBOX_MESSAGES.sign);
    if (!bizContent) return refuse(BAOFOO_SANDBOX_ERRORS.param, 'bizContent须为JSON对象');
    const inside = readMerchant(bizContent);
    if ('problem' in inside) return refuse(BAOFOO_SANDBOX_ERRORS.param, inside.problem);
    if (inside.biz.merId !== to.merId || inside.biz.terId !== to.terId) {
      return refuse(BAOFOO_SANDBOX_ERRORS.terminal, BAOFOO_SANDBOX_MESSAGES.terminal);
    }

    const method = envelope.method;
    const rejection = this.faults.takeRejection(method);
    if (rejection) {
      return this.answers.signed(to, {
        resultCode: rejection.resultCode ?? BAOFOO_RESULT_CODE.fail,
        ...(rejection.refundState ? { refundState: rejection.refundState } : {}),
        errCode: rejection.errCode,
        errMsg: rejection.errMsg,
      });
    }
    if (method === BAOFOO_METHOD.query) {
      const read = readQueryBiz(bizContent);
      return 'problem' in read
        ? refuse(BAOFOO_SANDBOX_ERRORS.param, read.problem)
        : this.ledgerAnswer(to, this.ledger.query(read.biz));
    }
    const read = readRefundBiz(bizContent);
    if ('problem' in read) return refuse(BAOFOO_SANDBOX_ERRORS.param, read.problem);
    if (flight && flight.overlapping.length > 0) {
      return refuse(BAOFOO_SANDBOX_ERRORS.concurrent, BAOFOO_SANDBOX_MESSAGES.concurrent);
    }
    return this.ledgerAnswer(to, this.ledger.refund(read.biz, this.ledger.findOrder(read.biz.merId, read.biz)));
  }

  private ledgerAnswer(to: AnswerAddress, result: LedgerAnswer<BaofooResultData>): SandboxAnswer {
    result.finalized.forEach((refund) => this.notices.notify(refund));
    const refund = result.outTradeNo ? this.ledger.find(to.merId, result.outTradeNo) : undefined;
    return {
      ...this.answers.signed(to, { ...result.data }),
      ...(result.outTradeNo ? { outTradeNo: result.outTradeNo } : {}),
      ...(refund ? { refundAmt: refund.refundAmt } : {}),
    };
  }

  private misbehave(
    mode: FaultMode,
    reply: FastifyReply,
    answer: SandboxAnswer | undefined,
    flight: Flight | undefined,
  ): FastifyReply {
    switch (mode) {
      case 'timeout':
        // The refund stays in flight until the held connection is dropped.
        if (flight) reply.raw.once('close', () => flight.land());
        return this.server.misbehave(reply, 'timeout');
      case '5xx':
        this.server.misbehave(reply, '5xx');
        flight?.land();
        return reply;
      case 'malformed':
        return this.sendText(reply, '{"returnCode":"SUCCESS","dataContent":"{', flight);
      case 'badsign':
        return this.send(reply, this.answers.badlySigned(answer), flight);
      case 'unsigned':
        return this.send(reply, this.answers.unsigned(answer), flight);
      case 'other_refund':
      case 'other_amount':
        return this.send(reply, this.answers.aboutAnother(mode, answer), flight);
    }
  }

  private send(reply: FastifyReply, envelope: BaofooAnswerEnvelope, flight: Flight | undefined): FastifyReply {
    return this.sendText(reply, encodeBaofooAnswer(envelope), flight);
  }

  /** Once the answer is written, its refund is no longer in flight. */
  private sendText(reply: FastifyReply, body: string, flight: Flight | undefined): FastifyReply {
    reply.code(200).type('application/json;charset=UTF-8').send(body);
    flight?.land();
    return reply;
  }
}
