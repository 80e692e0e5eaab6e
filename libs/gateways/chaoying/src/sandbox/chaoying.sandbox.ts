import { randomBytes } from 'node:crypto';

import { FaultQueue, SandboxServer, formFields, type FaultMode } from '@refundhub/gateway-kit/sandbox';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { CHAOYING_V1_PATH, CHAOYING_V2_PATH } from '../chaoying.options';
import { signChaoying, verifyChaoying } from '../chaoying.signer';
import type { ChaoyingMerchantCredentials, ChaoyingOperation } from '../chaoying.types';
import {
  CHAOYING_SANDBOX_ERRORS,
  CHAOYING_SANDBOX_MESSAGES,
  ChaoyingSandboxLedger,
  type LedgerAnswer,
} from './chaoying-sandbox.ledger';
import type {
  ChaoyingSandboxEndpoint,
  ChaoyingSandboxFaultOptions,
  ChaoyingSandboxOptions,
  ChaoyingSandboxOrder,
  ChaoyingSandboxOrderSeed,
  ChaoyingSandboxOutcome,
  ChaoyingSandboxRefund,
  ChaoyingSandboxRefundPlan,
  ChaoyingSandboxRejection,
  ChaoyingSandboxRequestRecord,
} from './chaoying-sandbox.types';

type Fields = Record<string, string>;
/** An answer before misbehaviour: `key` set when it is signed, `outRefundNo` when it is about one refund. */
type Answer = { fields: Fields; key?: string; outRefundNo?: string };

const OPERATIONS: readonly string[] = ['refund', 'refundquery'] satisfies ChaoyingOperation[];
const WRONG_KEY = 'NOT-THE-CHAOYING-KEY';

/**
 * An in-process HTTP simulator of ChaoYing's UnifiedPay gateway (`method=refund`, `method=refundquery`) on
 * both endpoints: v1 `/UnifiedPay/Gateway` (`agent_id` required, signed with the agent's key) and v2
 * `/v2/UnifiedPay/Gateway` (no `agent_id`, signed with the merchant's key). Strict like the real one about
 * form bodies, signatures, parameters, amounts and `out_refund_no`; answers flat JSON of strings, signed
 * with the key that signed the request. Refunds start PROCESSING and settle as queries come in; there are
 * no notifications (ChaoYing sends none for refunds).
 *
 * @example
 * ```ts
 * const sandbox = new ChaoyingSandbox({ merchants: { '00000001': { key } } });
 * const baseUrl = await sandbox.start();   // ChaoyingModule.forRoot({ baseUrl, ...CHAOYING_SANDBOX_MODULE_OPTIONS })
 * sandbox.seedOrder({ merchantId: '00000001', outTradeNo: 'T1', totalFee: 1000, payType: 'WECHAT' });
 * sandbox.failNext('timeout', { operation: 'refund', process: true });
 * await sandbox.stop();
 * ```
 */
export class ChaoyingSandbox {
  private readonly ledger: ChaoyingSandboxLedger;
  private readonly faults = new FaultQueue<ChaoyingOperation, ChaoyingSandboxRejection>();
  private readonly server: SandboxServer;
  private readonly log: ChaoyingSandboxRequestRecord[] = [];
  private readonly now: () => Date;

  constructor(private readonly options: ChaoyingSandboxOptions) {
    if (options.agentKey && !options.agentId) throw new Error('ChaoyingSandbox agentKey needs agentId (v1 only)');
    this.now = options.now ?? (() => new Date());
    this.ledger = new ChaoyingSandboxLedger(options.queriesUntilFinal ?? 1, this.now);
    this.server = new SandboxServer({
      name: 'ChaoyingSandbox',
      routes: (app) => {
        app.post(CHAOYING_V1_PATH, (request, reply) => this.handle('v1', request, reply));
        app.post(CHAOYING_V2_PATH, (request, reply) => this.handle('v2', request, reply));
      },
    });
  }

  /** Listens (127.0.0.1, random port by default) and returns the base URL to configure `ChaoyingModule` with. */
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

  /** A paid order refunds may be made against. */
  seedOrder(seed: ChaoyingSandboxOrderSeed): ChaoyingSandboxOrder {
    return this.ledger.seedOrder(seed);
  }

  /** An order by `out_trade_no` or `transaction_id`, with its remaining `balance`. */
  order(merchantId: string, ref: string): ChaoyingSandboxOrder | undefined {
    return this.ledger.order(merchantId, ref);
  }

  /** How the refund with this `out_refund_no` ends (also applies to one already pending). */
  planRefund(outRefundNo: string, plan: ChaoyingSandboxRefundPlan): void {
    this.ledger.plan(outRefundNo, plan);
  }

  /** Queries after which refunds without a plan become final (SUCCESS). */
  setQueriesUntilFinal(queries: number): void {
    this.ledger.queriesUntilFinal = queries;
  }

  /** Makes a PROCESSING or NOTSURE refund final now, as the bank would. */
  complete(
    merchantId: string,
    outRefundNo: string,
    outcome: Exclude<ChaoyingSandboxOutcome, 'notsure'>,
    failReason?: string,
  ): ChaoyingSandboxRefund {
    return this.ledger.complete(merchantId, outRefundNo, outcome, failReason);
  }

  /**
   * The next matching, correctly signed call of a known method answers this refusal, signed, and does
   * nothing: `{ state: 'SUCCESS', code, msg, trade_state: 'FAIL', nonce_str, sign }` by default.
   */
  rejectNext(rejection: ChaoyingSandboxRejection, operation?: ChaoyingOperation): void {
    this.faults.rejectNext({ ...rejection }, operation);
  }

  /**
   * The next matching call(s) misbehave: `timeout` holds the request unanswered until {@link releaseHeld}
   * or {@link stop}; `5xx` answers HTTP 502; `malformed` answers a body that is not JSON; `badsign` and
   * `unsigned` answer with a wrong or no signature; `other_refund` and `other_amount` answer, correctly
   * signed, about another `out_refund_no` or another `refund_fee`.
   */
  failNext(mode: FaultMode, options: ChaoyingSandboxFaultOptions = {}): void {
    this.faults.failNext(mode, { operation: options.operation, times: options.times, process: options.process });
  }

  /** Drops the connections of held (`timeout`) requests without answering. Returns how many. */
  releaseHeld(): number {
    return this.server.releaseHeld();
  }

  refund(merchantId: string, outRefundNo: string): ChaoyingSandboxRefund | undefined {
    return this.ledger.find(merchantId, outRefundNo);
  }

  /** How many `method=refund` calls carried this `out_refund_no`, whatever their outcome. */
  refundSubmissions(outRefundNo: string): number {
    return this.log.filter((r) => r.operation === 'refund' && r.params['out_refund_no'] === outRefundNo).length;
  }

  requests(): ChaoyingSandboxRequestRecord[] {
    return this.log.map((r) => ({ ...r }));
  }

  private handle(endpoint: ChaoyingSandboxEndpoint, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const form = /^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '');
    const params = form ? formFields(request.body) : null;
    const operation = params?.['method'] ?? '';
    const fault = this.faults.takeFault(operation);
    this.log.push({ operation, endpoint, params: { ...params }, fault: fault?.mode, at: this.now() });
    if (fault && !fault.process) return this.misbehave(fault.mode, reply, undefined);
    const answer = this.answer(endpoint, params);
    return fault ? this.misbehave(fault.mode, reply, answer) : this.send(reply, answer.fields);
  }

  private answer(endpoint: ChaoyingSandboxEndpoint, params: Fields | null): Answer {
    if (!params) return failure(CHAOYING_SANDBOX_ERRORS.param, '请求参数须为x-www-form-urlencoded表单', undefined);
    const merchant = ownValue(this.options.merchants, params['mch_id'] ?? '');
    const key = this.keyOf(endpoint, merchant);
    const agentId = params['agent_id'] || undefined;
    if (endpoint === 'v1' && (!this.options.agentId || agentId !== this.options.agentId)) {
      return failure(CHAOYING_SANDBOX_ERRORS.agent, agentId ? CHAOYING_SANDBOX_MESSAGES.agent : '缺少agent_id', key);
    }
    if (endpoint === 'v2' && agentId !== undefined) {
      return failure(CHAOYING_SANDBOX_ERRORS.agent, `${CHAOYING_SANDBOX_MESSAGES.agent}: v2接口不接受agent_id`, key);
    }
    if (!merchant) return failure(CHAOYING_SANDBOX_ERRORS.merchant, CHAOYING_SANDBOX_MESSAGES.merchant, undefined);
    if (!key)
      return failure(CHAOYING_SANDBOX_ERRORS.merchant, `${CHAOYING_SANDBOX_MESSAGES.merchant}: 未配置密钥`, key);
    if (!verifyChaoying(params, key)) return failure(CHAOYING_SANDBOX_ERRORS.sign, CHAOYING_SANDBOX_MESSAGES.sign, key);
    const method = params['method'] ?? '';
    if (!OPERATIONS.includes(method)) {
      return failure(CHAOYING_SANDBOX_ERRORS.param, `${CHAOYING_SANDBOX_MESSAGES.param}: 不支持的method`, key);
    }

    const rejection = this.faults.takeRejection(method);
    const result: LedgerAnswer = rejection
      ? { fields: rejectionFields(rejection) }
      : method === 'refund'
        ? this.ledger.refund(params)
        : this.ledger.query(params);
    return { ...signed({ ...result.fields, nonce_str: newNonce() }, key), outRefundNo: result.outRefundNo };
  }

  /** v1: the agent's key (`agentKey`, else the merchant's key, which is then the agent's); v2: the merchant's. */
  private keyOf(
    endpoint: ChaoyingSandboxEndpoint,
    merchant: ChaoyingMerchantCredentials | undefined,
  ): string | undefined {
    if (!merchant) return undefined;
    return (endpoint === 'v1' ? (this.options.agentKey ?? merchant.key) : merchant.key) || undefined;
  }

  private misbehave(mode: FaultMode, reply: FastifyReply, answer: Answer | undefined): FastifyReply {
    switch (mode) {
      case 'timeout':
      case '5xx':
        return this.server.misbehave(reply, mode);
      case 'malformed':
        return reply.code(200).type('application/json; charset=utf-8').send('{"state":"SUCCESS","code":"10000",');
      case 'badsign':
        return this.send(reply, signed(unsignedFields(answer?.fields ?? {}), WRONG_KEY).fields);
      case 'unsigned':
        return this.send(reply, unsignedFields(answer?.fields ?? {}));
      case 'other_refund':
      case 'other_amount':
        return this.send(reply, aboutAnother(mode, answer).fields);
    }
  }

  private send(reply: FastifyReply, fields: Fields): FastifyReply {
    return reply.code(200).type('application/json; charset=utf-8').send(JSON.stringify(fields));
  }
}

function ownValue<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
}

/** 32 hex characters. */
function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/** A call refused before any business: `{ state: 'FAIL', code, msg }`, signed when the key is known. */
function failure(code: string, msg: string, key: string | undefined): Answer {
  const fields = { state: 'FAIL', code, msg };
  return key ? signed(fields, key) : { fields };
}

function rejectionFields(rejection: ChaoyingSandboxRejection): Fields {
  const state = rejection.state ?? 'SUCCESS';
  const tradeState = rejection.tradeState ?? (state === 'SUCCESS' ? 'FAIL' : undefined);
  return { state, code: rejection.code, msg: rejection.msg, ...(tradeState ? { trade_state: tradeState } : {}) };
}

function unsignedFields(fields: Fields): Fields {
  const { sign: _sign, ...rest } = fields;
  return rest;
}

function signed(fields: Fields, key: string): Answer {
  const rest = unsignedFields(fields);
  return { fields: { ...rest, sign: signChaoying(rest, key) }, key };
}

/**
 * The real answer, correctly signed, about another refund: `other_refund` changes our `out_refund_no`,
 * `other_amount` our `refund_fee`, at the top level of a `refund` answer or in our entry of `refund_list`
 * (the other entries kept). Answers about no refund (refusals) go out unchanged.
 */
function aboutAnother(mode: 'other_refund' | 'other_amount', answer: Answer | undefined): Answer {
  if (!answer?.key || !answer.outRefundNo) return answer ?? { fields: {} };
  const ours = answer.outRefundNo;
  const alter = (item: Fields): Fields =>
    mode === 'other_refund'
      ? { ...item, out_refund_no: `${ours}X` }
      : { ...item, refund_fee: String(Number(item['refund_fee'] ?? '0') + 1) };
  const fields = { ...answer.fields };
  if (fields['refund_list'] !== undefined) {
    const list = JSON.parse(fields['refund_list']) as Fields[];
    fields['refund_list'] = JSON.stringify(list.map((item) => (item['out_refund_no'] === ours ? alter(item) : item)));
    return signed(fields, answer.key);
  }
  return signed(alter(fields), answer.key);
}
