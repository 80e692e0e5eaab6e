import { FaultQueue, NotificationCourier, SandboxServer, formFields } from '@refundhub/gateway-kit/sandbox';
import type { FastifyReply } from 'fastify';

import { buildLeshuaXml } from '../leshua.codec';
import { newLeshuaNonce } from '../leshua.mapper';
import { LESHUA_NOTIFICATION_ACK } from '../leshua.notify';
import { LESHUA_CGI_PATH } from '../leshua.options';
import { signLeshuaResponse, verifyLeshuaRequest } from '../leshua.signer';
import type { LeshuaService } from '../leshua.types';
import { LeshuaSandboxLedger, refusalFields } from './leshua-sandbox.ledger';
import { createLeshuaSandboxNotification } from './leshua-sandbox.notification';
import type {
  LeshuaSandboxDelivery,
  LeshuaSandboxFaultMode,
  LeshuaSandboxFaultOptions,
  LeshuaSandboxNotificationRecord,
  LeshuaSandboxOptions,
  LeshuaSandboxOrder,
  LeshuaSandboxOrderSeed,
  LeshuaSandboxRefund,
  LeshuaSandboxRefundPlan,
  LeshuaSandboxRequestRecord,
} from './leshua-sandbox.types';

type Fields = Record<string, string>;
/** An answer before misbehaviour: signed XML fields, or a communication failure. */
type Answer = { fields: Fields; tradeKey?: string };
type Rejection = { errorCode: string; errorMsg: string };

/**
 * An in-process HTTP simulator of the Leshua CGI (`unified_refund`, `unified_query_refund` and refund
 * notifications), strict about signatures like the real gateway, with a control API for tests.
 *
 * @example
 * ```ts
 * const sandbox = new LeshuaSandbox({ merchants: { '0000000018': { tradeKey, notifyKey } } });
 * const baseUrl = await sandbox.start();   // LeshuaModule.forRoot({ baseUrl })
 * sandbox.seedOrder({ merchantId: '0000000018', thirdOrderId: 'T1', totalAmount: 1000 });
 * sandbox.failNext('timeout', { service: 'unified_refund', process: true });
 * await sandbox.stop();
 * ```
 */
export class LeshuaSandbox {
  private readonly ledger: LeshuaSandboxLedger;
  private readonly faults = new FaultQueue<LeshuaService, Rejection>();
  private readonly courier: NotificationCourier<LeshuaSandboxDelivery>;
  private readonly server: SandboxServer;
  private readonly log: LeshuaSandboxRequestRecord[] = [];

  constructor(private readonly options: LeshuaSandboxOptions) {
    this.ledger = new LeshuaSandboxLedger(options.queriesUntilFinal ?? 1);
    this.courier = new NotificationCourier({
      timeoutMs: options.notifyTimeoutMs ?? 5000,
      acknowledges: (answer) => answer.body === LESHUA_NOTIFICATION_ACK,
    });
    this.server = new SandboxServer({
      name: 'LeshuaSandbox',
      routes: (app) => {
        app.post(LESHUA_CGI_PATH, (request, reply) => this.handle(request.body, reply));
      },
    });
  }

  /** Listens (127.0.0.1, random port by default) and returns the base URL to configure `LeshuaModule` with. */
  start(): Promise<string> {
    return this.server.start({ host: this.options.host, port: this.options.port });
  }

  /** Closes the server, dropping held requests, and abandons notification deliveries in flight. */
  async stop(): Promise<void> {
    await this.server.stop();
    await this.courier.stop();
  }

  get baseUrl(): string {
    return this.server.baseUrl;
  }

  seedOrder(seed: LeshuaSandboxOrderSeed): LeshuaSandboxOrder {
    return this.ledger.seedOrder(seed);
  }

  /** An order by `third_order_id` or `leshua_order_id`, with its remaining balance. */
  order(merchantId: string, orderRef: string): LeshuaSandboxOrder | undefined {
    return this.ledger.order(merchantId, orderRef);
  }

  /** How the refund with this `merchant_refund_id` ends (also applies to one already pending). */
  planRefund(merchantRefundId: string, plan: LeshuaSandboxRefundPlan): void {
    this.ledger.plan(merchantRefundId, plan);
  }

  /** Queries after which refunds without a plan become final (successfully). */
  setQueriesUntilFinal(queries: number): void {
    this.ledger.queriesUntilFinal = queries;
  }

  /** The next matching, correctly signed call answers `result_code=1` with this error and does nothing. */
  rejectNext(errorCode: string, errorMsg: string, options: { service?: LeshuaService } = {}): void {
    this.faults.rejectNext({ errorCode, errorMsg }, options.service);
  }

  /**
   * The next matching call(s) misbehave: `timeout` holds the request unanswered until {@link releaseHeld}
   * or {@link stop}; `5xx` answers HTTP 502; `malformed` answers a body that is not XML; `badsign` answers
   * correctly but with a wrong signature.
   */
  failNext(mode: LeshuaSandboxFaultMode, options: LeshuaSandboxFaultOptions = {}): void {
    this.faults.failNext(mode, { operation: options.service, times: options.times, process: options.process });
  }

  /** Requests held unanswered (`timeout`) right now. */
  get heldCount(): number {
    return this.server.heldCount;
  }

  /** Drops the connections of held (`timeout`) requests without answering. Returns how many. */
  releaseHeld(): number {
    return this.server.releaseHeld();
  }

  /** Makes a pending refund final now, as the bank would, and notifies. */
  complete(
    merchantId: string,
    merchantRefundId: string,
    outcome: 'success' | 'fail',
    failureReason?: string,
  ): LeshuaSandboxRefund {
    const refund = this.ledger.complete(merchantId, merchantRefundId, outcome, failureReason);
    this.notify(refund);
    return refund;
  }

  /** Sends the notification for the refund's current state again (Leshua redelivers until `000000`). */
  redeliver(merchantId: string, merchantRefundId: string): void {
    const refund = this.ledger.find(merchantId, merchantRefundId);
    if (!refund) throw new Error(`Sandbox has no refund ${merchantId}/${merchantRefundId}`);
    this.notify(refund);
  }

  refund(merchantId: string, merchantRefundId: string): LeshuaSandboxRefund | undefined {
    return this.ledger.find(merchantId, merchantRefundId);
  }

  /** How many `unified_refund` calls carried this `merchant_refund_id`, whatever their outcome. */
  refundSubmissions(merchantRefundId: string): number {
    return this.log.filter((r) => r.service === 'unified_refund' && r.params['merchant_refund_id'] === merchantRefundId)
      .length;
  }

  requests(): LeshuaSandboxRequestRecord[] {
    return this.log.map((r) => ({ ...r }));
  }

  notifications(): LeshuaSandboxNotificationRecord[] {
    return this.courier.deliveries();
  }

  /** Resolves once every notification sent so far has been answered (or failed). */
  settled(): Promise<void> {
    return this.courier.settled();
  }

  private handle(body: unknown, reply: FastifyReply): FastifyReply | undefined {
    const params = formFields(body);
    if (!params) return this.send(reply, { fields: { resp_code: '1', resp_msg: '请求参数格式错误' } });
    const service = params['service'] ?? '';
    const fault = this.faults.takeFault(service);
    this.log.push({ service, params: { ...params }, fault: fault?.mode, at: new Date() });
    if (fault && !fault.process) return this.misbehave(fault.mode, reply, undefined);
    const answer = this.answer(service, params);
    return fault ? this.misbehave(fault.mode, reply, answer) : this.send(reply, answer);
  }

  private answer(service: string, params: Fields): Answer {
    const merchant = Object.prototype.hasOwnProperty.call(this.options.merchants, params['merchant_id'] ?? '')
      ? this.options.merchants[params['merchant_id']]
      : undefined;
    if (!merchant) return { fields: { resp_code: '1', resp_msg: '商户不存在' } };
    if (!verifyLeshuaRequest(params, merchant.tradeKey)) return { fields: { resp_code: '1', resp_msg: '签名错误' } };
    if (service !== 'unified_refund' && service !== 'unified_query_refund') {
      return { fields: { resp_code: '1', resp_msg: `不支持的接口 ${service}` } };
    }
    const rejection = this.faults.takeRejection(service);
    let fields: Fields;
    if (rejection) {
      fields = refusalFields(params, rejection.errorCode, rejection.errorMsg);
    } else {
      const result =
        service === 'unified_refund'
          ? this.ledger.refund(params, decodeNotifyUrl(params['notify_url']))
          : this.ledger.query(params);
      result.finalized.forEach((refund) => this.notify(refund));
      fields = result.fields;
    }
    return this.signed({ resp_code: '0', resp_msg: '', ...fields, nonce_str: newLeshuaNonce() }, merchant.tradeKey);
  }

  private signed(fields: Fields, tradeKey: string): Answer {
    const sign = signLeshuaResponse(fields, tradeKey, this.options.responseSignVariant ?? 'doc');
    return { fields: { ...fields, sign }, tradeKey };
  }

  private misbehave(
    mode: LeshuaSandboxFaultMode,
    reply: FastifyReply,
    answer: Answer | undefined,
  ): FastifyReply | undefined {
    switch (mode) {
      case 'timeout':
      case '5xx':
        return this.server.misbehave(reply, mode);
      case 'malformed':
        return reply.code(200).type('text/xml').send('<leshua><resp_code>0</resp_code><result_code>0');
      case 'badsign': {
        const fields = { ...(answer?.fields ?? { resp_code: '0', result_code: '0' }) };
        fields['sign'] = signLeshuaResponse(fields, 'NOT-THE-TRADE-KEY');
        return this.send(reply, { fields });
      }
      case 'unsigned': {
        const { sign: _sign, ...fields } = answer?.fields ?? {};
        return this.send(reply, { fields });
      }
      case 'other_refund':
      case 'other_amount':
        return this.send(reply, this.aboutAnother(mode, answer));
    }
  }

  /** The real answer, correctly signed, but naming another refund number or another amount. */
  private aboutAnother(mode: 'other_refund' | 'other_amount', answer: Answer | undefined): Answer {
    if (!answer?.tradeKey) return answer ?? { fields: {} };
    const { sign: _sign, ...fields } = answer.fields;
    if (mode === 'other_refund') fields['merchant_refund_id'] = `${fields['merchant_refund_id'] ?? ''}X`;
    else fields['refund_amount'] = String(Number(fields['refund_amount'] ?? '0') + 1);
    return this.signed(fields, answer.tradeKey);
  }

  private send(reply: FastifyReply, answer: Answer): FastifyReply {
    return reply.code(200).type('text/xml; charset=utf-8').send(buildLeshuaXml(answer.fields));
  }

  private notify(refund: LeshuaSandboxRefund): void {
    const merchant = this.options.merchants[refund.merchantId];
    if (!refund.notifyUrl || !merchant) return;
    const notification = createLeshuaSandboxNotification({
      merchantId: refund.merchantId,
      merchantRefundId: refund.merchantRefundId,
      leshuaRefundId: refund.leshuaRefundId,
      thirdOrderId: refund.thirdOrderId,
      leshuaOrderId: refund.leshuaOrderId,
      amount: refund.amount,
      totalAmount: this.ledger.order(refund.merchantId, refund.leshuaOrderId)?.totalAmount,
      outcome: refund.status === '11' ? 'success' : refund.status === '12' ? 'fail' : 'processing',
      failureReason: refund.failureReason,
      refundTime: refund.refundTime,
      key: merchant.notifyKey,
    });
    this.courier.send({
      merchantId: refund.merchantId,
      merchantRefundId: refund.merchantRefundId,
      url: refund.notifyUrl,
      // The doc contradicts itself (XML body, "receive it as form-urlencoded"); the body is XML.
      contentType: 'text/xml; charset=utf-8',
      body: notification.xml,
    });
  }
}

/** Merchants send the URL encoded (doc: 「需做Url Encode处理」); accept a raw one too. */
function decodeNotifyUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (/^https?:\/\//i.test(value)) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
