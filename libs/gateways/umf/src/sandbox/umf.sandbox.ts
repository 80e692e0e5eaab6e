import { FaultQueue, SandboxServer, formFields, type FaultMode } from '@refundhub/gateway-kit/sandbox';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { parseUmfJson, UmfParseError } from '../umf.codec';
import { UMF_QUERY_PATH, UMF_REFUND_PATH } from '../umf.options';
import { signUmfAnswer, verifyUmfRequest } from '../umf.signer';
import { UMF_QUERY_STATUS, type UmfOperation } from '../umf.types';
import { forgeryKeyPem, newPlatformKeyPem, publicKeyPemOf } from './umf-sandbox.keys';
import { UMF_SANDBOX_ERRORS, UMF_SANDBOX_MESSAGES, UmfSandboxLedger, type LedgerAnswer } from './umf-sandbox.ledger';
import {
  createUmfSandboxNotification,
  type UmfSandboxNotificationFields,
  type UmfSandboxNotificationInput,
} from './umf-sandbox.notification';
import { UMF_NOTIFY_DELAYS_MS, UmfSandboxNotifier } from './umf-sandbox.notifier';
import type {
  UmfSandboxFaultOptions,
  UmfSandboxMerchant,
  UmfSandboxNotificationRecord,
  UmfSandboxOptions,
  UmfSandboxOrder,
  UmfSandboxOrderSeed,
  UmfSandboxOutcome,
  UmfSandboxRefund,
  UmfSandboxRefundPlan,
  UmfSandboxRejection,
  UmfSandboxRequestRecord,
} from './umf-sandbox.types';

type Fields = Record<string, string>;
/** An answer before misbehaviour: its fields (signed) and, when it is about a refund, which call's answer. */
type Answer = { operation: UmfOperation; fields: Fields; about?: UmfOperation };

/**
 * An in-process HTTP simulator of UMF mofun in-pay-client (`/in-pay-client/online/refund`,
 * `/in-pay-client/refund/query`, 交易结果通知), with a platform RSA key pair of its own
 * ({@link platformCertificate} is what the module verifies with). Strict like the real one: form body
 * `context=<JSON>`, merchant and `proxyId`, the request signature (`k=v&`, merchant key: 3333 when
 * wrong), parameters, amounts, the 90-day window. Every answer is signed over its `|`-joined values
 * (ASCII order, UTF-8, unless `answerSignVariant` says otherwise). A refund is accepted (0000), then
 * becomes final after N queries or {@link complete}; a final refund is notified, when its request had
 * a `notifyUrl`, until the merchant acknowledges it (see `checkUmfAck`) or four deliveries are spent.
 *
 * @example
 * ```ts
 * const sandbox = new UmfSandbox({ merchants: { '30000101': { proxyId: '0025', privateKey } } });
 * const baseUrl = await sandbox.start();
 * // UmfModule.forRoot({ baseUrl, platformCertificate: sandbox.platformCertificate, ...UMF_SANDBOX_MODULE_OPTIONS })
 * sandbox.seedOrder({ merchantId: '30000101', partnerOrderId: 'T1', amount: 1000, payType: 'AL' });
 * sandbox.failNext('timeout', { operation: 'refund', process: true });
 * await sandbox.stop();
 * ```
 */
export class UmfSandbox {
  /** UMF's platform public key (SPKI PEM): the module's `platformCertificate`. */
  readonly platformCertificate: string;
  private readonly platformKey: string;
  private readonly merchants = new Map<string, { proxyId: string; publicKey: string }>();
  private readonly ledger: UmfSandboxLedger;
  private readonly faults = new FaultQueue<UmfOperation, UmfSandboxRejection>();
  private readonly notifier: UmfSandboxNotifier;
  private readonly server: SandboxServer;
  private readonly log: UmfSandboxRequestRecord[] = [];
  private readonly now: () => Date;

  constructor(private readonly options: UmfSandboxOptions) {
    this.now = options.now ?? (() => new Date());
    this.platformKey = options.platformPrivateKey ?? newPlatformKeyPem();
    this.platformCertificate = publicKeyPemOf(this.platformKey, 'UmfSandbox platformPrivateKey');
    for (const [subMerId, merchant] of Object.entries(options.merchants)) this.addMerchant(subMerId, merchant);
    this.ledger = new UmfSandboxLedger(options.queriesUntilFinal ?? 1, this.now);
    this.notifier = new UmfSandboxNotifier({
      delaysMs: options.notifyDelaysMs ?? UMF_NOTIFY_DELAYS_MS,
      timeoutMs: options.notifyTimeoutMs ?? 5000,
      publicKeyOf: (merchantId) => this.merchants.get(merchantId)?.publicKey,
    });
    this.server = new SandboxServer({
      name: 'UmfSandbox',
      routes: (app) => {
        app.post(UMF_REFUND_PATH, (request, reply) => this.handle('refund', request, reply));
        app.post(UMF_QUERY_PATH, (request, reply) => this.handle('query', request, reply));
      },
    });
  }

  /** Listens (127.0.0.1, random port by default) and returns the base URL to configure `UmfModule` with. */
  start(): Promise<string> {
    return this.server.start({ host: this.options.host, port: this.options.port });
  }

  /** Closes the server, dropping held requests, and cancels notifications still to be delivered. */
  async stop(): Promise<void> {
    await this.server.stop();
    await this.notifier.stop();
  }

  get baseUrl(): string {
    return this.server.baseUrl;
  }

  /** Knows (or re-keys) a merchant: its `proxyId`, and its public key or the private key to derive it from. */
  addMerchant(subMerId: string, merchant: UmfSandboxMerchant): void {
    const name = `UmfSandbox merchant ${subMerId}`;
    const publicKey = merchant.publicKey
      ? publicKeyPemOf(merchant.publicKey, `${name} publicKey`)
      : merchant.privateKey
        ? publicKeyPemOf(merchant.privateKey, `${name} privateKey`)
        : undefined;
    if (!publicKey) throw new Error(`${name} needs a publicKey or a privateKey`);
    this.merchants.set(subMerId, { proxyId: merchant.proxyId, publicKey });
  }

  /** A paid order refunds may be made against. */
  seedOrder(seed: UmfSandboxOrderSeed): UmfSandboxOrder {
    return this.ledger.seedOrder(seed);
  }

  /** An order, with its remaining `balance`. */
  order(merchantId: string, partnerOrderId: string): UmfSandboxOrder | undefined {
    return this.ledger.order(merchantId, partnerOrderId);
  }

  /** How the refund with this `refundPartnerOrderId` ends (also applies to one already pending). */
  planRefund(refundNo: string, plan: UmfSandboxRefundPlan): void {
    this.ledger.plan(refundNo, plan);
  }

  /** Queries after which refunds without a plan become final (successfully). */
  setQueriesUntilFinal(queries: number): void {
    this.ledger.queriesUntilFinal = queries;
  }

  /** Makes a pending refund final now, as the bank would, and notifies it. */
  complete(merchantId: string, refundNo: string, outcome: UmfSandboxOutcome, failReason?: string): UmfSandboxRefund {
    const refund = this.ledger.complete(merchantId, refundNo, outcome, failReason);
    this.notify(refund);
    return refund;
  }

  /** Notifies a final refund again, a full schedule of deliveries (UMF stops after four). */
  redeliver(merchantId: string, refundNo: string): void {
    const refund = this.ledger.find(merchantId, refundNo);
    if (!refund?.finishedAt) throw new Error(`Sandbox has no final refund ${merchantId}/${refundNo}`);
    this.notify(refund);
  }

  /**
   * POSTs, once, a notification about this refund that says `outcome` (default success) and is signed
   * with a key that is not the platform's, to the refund's `notifyUrl` (or `url`): what an attacker sends.
   */
  forgeNotification(
    merchantId: string,
    refundNo: string,
    options: { outcome?: UmfSandboxOutcome; url?: string } = {},
  ): void {
    const refund = this.ledger.find(merchantId, refundNo);
    if (!refund) throw new Error(`Sandbox has no refund ${merchantId}/${refundNo}`);
    const url = options.url ?? refund.notifyUrl;
    if (!url) throw new Error(`Sandbox refund ${merchantId}/${refundNo} has no notifyUrl; give a url`);
    const fields = this.buildNotification({
      notification: this.ledger.noticeOf(refund, options.outcome ?? 'success', this.now()),
      forged: true,
    });
    this.notifier.send({ merchantId, refundPartnerOrderId: refundNo, url, fields, forged: true }, 1);
  }

  /**
   * A notification as the sandbox would send it, without sending it: signed with the platform key, or
   * with another key when `forged`; `tamper` changes fields after signing.
   */
  buildNotification(input: {
    notification: UmfSandboxNotificationInput;
    forged?: boolean;
    tamper?: Readonly<Record<string, string>>;
  }): UmfSandboxNotificationFields {
    return createUmfSandboxNotification({
      notification: input.notification,
      privateKeyPem: input.forged ? forgeryKeyPem() : this.platformKey,
      variant: this.options.notificationSignVariant,
      tamper: input.tamper,
    });
  }

  /**
   * The next matching, correctly signed call of a known merchant answers this refusal, signed, and does
   * nothing: `{ retCode, Memo }` for a refund, `{ retCode, retMsg }` for a query.
   */
  rejectNext(rejection: UmfSandboxRejection, operation?: UmfOperation): void {
    this.faults.rejectNext({ ...rejection }, operation);
  }

  /**
   * The next matching call(s) misbehave: `timeout` holds the request unanswered until {@link releaseHeld}
   * or {@link stop}; `5xx` answers HTTP 502; `malformed` answers a body that is not JSON; `badsign` and
   * `unsigned` answer with a wrong or no signature; `other_refund` and `other_amount` answer, correctly
   * signed, about another order (refund answer) or refund (query answer), or another `amount`.
   */
  failNext(mode: FaultMode, options: UmfSandboxFaultOptions = {}): void {
    this.faults.failNext(mode, { operation: options.operation, times: options.times, process: options.process });
  }

  /** Drops the connections of held (`timeout`) requests without answering. Returns how many. */
  releaseHeld(): number {
    return this.server.releaseHeld();
  }

  refund(merchantId: string, refundNo: string): UmfSandboxRefund | undefined {
    return this.ledger.find(merchantId, refundNo);
  }

  /** How many refund calls carried this `refundPartnerOrderId`, whatever their outcome. */
  refundSubmissions(refundNo: string): number {
    return this.log.filter((r) => r.operation === 'refund' && r.params['refundPartnerOrderId'] === refundNo).length;
  }

  requests(): UmfSandboxRequestRecord[] {
    return this.log.map((r) => ({ ...r }));
  }

  /** Every notification delivery finished so far, with what the merchant answered and how it was judged. */
  notifications(): UmfSandboxNotificationRecord[] {
    return this.notifier.deliveries();
  }

  /** Resolves once every notification sent so far is acknowledged or out of deliveries. */
  notificationsSettled(): Promise<void> {
    return this.notifier.settled();
  }

  private handle(operation: UmfOperation, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const params = contextOf(request);
    const fault = this.faults.takeFault(operation);
    this.log.push({ operation, params: { ...params }, fault: fault?.mode, at: this.now() });
    if (fault && !fault.process) return this.misbehave(fault.mode, reply, undefined);
    const answer = this.answer(operation, params);
    return fault ? this.misbehave(fault.mode, reply, answer) : this.send(reply, answer.fields);
  }

  private answer(operation: UmfOperation, params: Fields | null): Answer {
    if (!params) return this.refusal(operation, UMF_SANDBOX_ERRORS.param, `${UMF_SANDBOX_MESSAGES.param}: context`);
    const merchant = this.merchants.get(params['subMerId'] ?? '');
    if (!merchant || merchant.proxyId !== params['proxyId']) {
      return this.refusal(operation, UMF_SANDBOX_ERRORS.merchant, UMF_SANDBOX_MESSAGES.merchant);
    }
    if (!verifyUmfRequest({ fields: params, publicKeyPem: merchant.publicKey })) {
      return this.refusal(operation, UMF_SANDBOX_ERRORS.sign, UMF_SANDBOX_MESSAGES.sign);
    }
    const rejection = this.faults.takeRejection(operation);
    if (rejection) return this.refusal(operation, rejection.retCode, rejection.message);
    const result: LedgerAnswer = operation === 'refund' ? this.ledger.refund(params) : this.ledger.query(params);
    for (const refund of result.finalized) this.notify(refund);
    return this.signed({ operation, fields: result.fields, about: result.about });
  }

  private refusal(operation: UmfOperation, retCode: string, message: string): Answer {
    return this.signed({ operation, fields: { retCode, [operation === 'refund' ? 'Memo' : 'retMsg']: message } });
  }

  /** The platform signs every answer, refusals included: its key is the same for every merchant. */
  private signed(answer: Answer, privateKeyPem = this.platformKey): Answer {
    const { sign: _sign, ...fields } = answer.fields;
    const sign = signUmfAnswer({
      fields,
      privateKeyPem,
      message: answer.operation,
      variant: this.options.answerSignVariant,
    });
    return { ...answer, fields: { ...fields, sign } };
  }

  private notify(refund: UmfSandboxRefund): void {
    if (!refund.notifyUrl || !refund.finishedAt) return;
    const outcome = refund.status === UMF_QUERY_STATUS.succeeded ? 'success' : 'fail';
    const fields = this.buildNotification({ notification: this.ledger.noticeOf(refund, outcome, this.now()) });
    this.notifier.send({
      merchantId: refund.merchantId,
      refundPartnerOrderId: refund.refundPartnerOrderId,
      url: refund.notifyUrl,
      fields,
      forged: false,
    });
  }

  private misbehave(mode: FaultMode, reply: FastifyReply, answer: Answer | undefined): FastifyReply {
    switch (mode) {
      case 'timeout':
      case '5xx':
        return this.server.misbehave(reply, mode);
      case 'malformed':
        return reply.code(200).type('application/json; charset=utf-8').send('{"retCode":"0000","Memo":');
      case 'badsign':
        return this.send(reply, answer ? this.signed(answer, forgeryKeyPem()).fields : {});
      case 'unsigned': {
        const { sign: _sign, ...fields } = answer?.fields ?? {};
        return this.send(reply, fields);
      }
      case 'other_refund':
      case 'other_amount':
        return this.send(reply, answer ? this.aboutAnother(mode, answer).fields : {});
    }
  }

  /**
   * The real answer, correctly signed, about something else: `other_refund` changes the order of a
   * refund answer (it names no refund) or the refund of a query answer; `other_amount` the `amount`
   * (the refund's in a refund answer, the order's in a query answer). Refusals go out unchanged.
   */
  private aboutAnother(mode: 'other_refund' | 'other_amount', answer: Answer): Answer {
    if (!answer.about) return answer;
    const fields = { ...answer.fields };
    if (mode === 'other_amount') fields['amount'] = String(Number(fields['amount'] ?? '0') + 1);
    else if (answer.about === 'refund') fields['partnerOrderId'] = `${fields['partnerOrderId'] ?? ''}X`;
    else fields['refundPartnerOrderId'] = `${fields['refundPartnerOrderId'] ?? ''}X`;
    return this.signed({ ...answer, fields });
  }

  private send(reply: FastifyReply, fields: Fields): FastifyReply {
    return reply.code(200).type('application/json; charset=utf-8').send(JSON.stringify(fields));
  }
}

/** The `context` form field's JSON object, or null when the body is anything else. */
function contextOf(request: FastifyRequest): Fields | null {
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) return null;
  const context = formFields(request.body)?.['context'];
  if (context === undefined) return null;
  try {
    return { ...parseUmfJson(context) };
  } catch (error) {
    if (error instanceof UmfParseError) return null;
    throw error;
  }
}
