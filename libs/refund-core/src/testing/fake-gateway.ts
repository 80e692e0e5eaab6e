import { RefundGatewayProvider } from '../gateway/refund-gateway.decorator';
import type {
  GatewayCapabilities,
  GatewayNotifications,
  GatewayOutcome,
  GatewayQueryOutcome,
  GatewayRefundQuery,
  GatewayRefundRequest,
  GatewayValidation,
  InboundNotification,
  NotificationAnswer,
  NotificationAnswerInput,
  NotificationParseResult,
  NotifiedOutcomeKind,
  RefundGateway,
} from '../gateway/refund-gateway.port';

/** A scripted step: an outcome, or a function of the call (its number and request) that produces one. */
export type Scripted<T, R> = T | ((call: { n: number; request: R }) => Promise<T>);

/** The notification body the fake gateway understands (JSON), genuine when `sign` is `'valid'`. */
export interface FakeNotification {
  merchantId: string;
  refundNo: string;
  status: 'processing' | 'succeeded' | 'failed' | 'change';
  amount?: number;
  /** The gateway's raw status, code and message of a `failed` notification, in place of the defaults. */
  rawStatus?: string;
  code?: string;
  message?: string;
  sign: string;
}

export interface FakeGatewayOptions {
  /** Declares `oneRefundInFlightPerOrder` and answers `deferred` (NOT_SUPPORT_CONCURRENT) to overlapping submissions. */
  serial?: boolean;
  /** Whether the gateway sends refund notifications. Default true. */
  notifications?: boolean;
  /** The outcomes whose notifications must carry an amount (`amountSentWith`). Default none. */
  notificationAmountSentWith?: readonly NotifiedOutcomeKind[];
  /** `maxBodyBytes` of its notifications. Default: not declared (the core's default applies). */
  notificationMaxBodyBytes?: number;
  /** Refund window in days from `order.paidAt`; past it `validate` refuses with REFUND_WINDOW_CLOSED. */
  windowDays?: number;
}

/**
 * A scriptable in-memory gateway for tests of refund-core and of host apps. Outcomes are queued
 * per call; with nothing queued it accepts submissions (processing) and answers queries with what
 * it accepted. It measures how many submissions of one order were in flight at once.
 */
@RefundGatewayProvider()
export class FakeGateway implements RefundGateway {
  readonly submitted: GatewayRefundRequest[] = [];
  readonly queried: GatewayRefundQuery[] = [];
  readonly capabilities: Partial<GatewayCapabilities>;
  readonly notifications?: GatewayNotifications;
  /** The most submissions of one order that were ever in flight together. */
  maxInFlightPerOrder = 0;
  maxRefundNoLength = 64;
  private readonly submitScript: Scripted<GatewayOutcome, GatewayRefundRequest>[] = [];
  private readonly queryScript: Scripted<GatewayQueryOutcome, GatewayRefundQuery>[] = [];
  private readonly inFlight = new Map<string, number>();
  private readonly accepted = new Set<string>();

  constructor(
    readonly id: string = 'fake',
    private readonly options: FakeGatewayOptions = {},
  ) {
    this.capabilities = { oneRefundInFlightPerOrder: options.serial ?? false };
    if (options.notifications ?? true) {
      this.notifications = {
        amountSentWith: options.notificationAmountSentWith ?? [],
        ...(options.notificationMaxBodyBytes === undefined ? {} : { maxBodyBytes: options.notificationMaxBodyBytes }),
        parse: (notification) => this.parseNotification(notification),
        answer: (input) => this.answerNotification(input),
      };
    }
  }

  onSubmit(...outcomes: Scripted<GatewayOutcome, GatewayRefundRequest>[]): this {
    this.submitScript.push(...outcomes);
    return this;
  }

  onQuery(...outcomes: Scripted<GatewayQueryOutcome, GatewayRefundQuery>[]): this {
    this.queryScript.push(...outcomes);
    return this;
  }

  validate(request: GatewayRefundRequest): GatewayValidation {
    const problems =
      request.refundNo.length > this.maxRefundNoLength
        ? [{ field: 'refundNo', message: `must be at most ${this.maxRefundNoLength} characters` }]
        : [];
    const { windowDays } = this.options;
    const paidAt = request.order.paidAt;
    const closed =
      windowDays !== undefined && paidAt !== null && request.now.getTime() - paidAt.getTime() > windowDays * 86_400_000;
    const refusals = closed
      ? [
          {
            code: 'REFUND_WINDOW_CLOSED',
            message: `refunds are possible for ${windowDays} days`,
            details: { gateway: this.id, paidAt: paidAt.toISOString(), windowDays },
          },
        ]
      : [];
    return { problems, refusals };
  }

  async submit(request: GatewayRefundRequest): Promise<GatewayOutcome> {
    this.submitted.push(request);
    const order = request.order.merchantOrderNo ?? request.order.gatewayOrderNo ?? '';
    const inFlight = (this.inFlight.get(order) ?? 0) + 1;
    this.inFlight.set(order, inFlight);
    this.maxInFlightPerOrder = Math.max(this.maxInFlightPerOrder, inFlight);
    try {
      if (this.options.serial && inFlight > 1) {
        return { kind: 'deferred', code: 'NOT_SUPPORT_CONCURRENT', message: 'one refund of an order at a time' };
      }
      const outcome = await this.next<GatewayOutcome, GatewayRefundRequest>(
        this.submitScript,
        { n: this.submitted.length, request },
        () => ({ kind: 'processing', rawStatus: 'ACCEPTED', gatewayRefundNo: `G-${request.refundNo}` }),
      );
      if (outcome.kind !== 'deferred' && outcome.kind !== 'unknown') this.accepted.add(request.refundNo);
      return outcome;
    } finally {
      this.inFlight.set(order, (this.inFlight.get(order) ?? 1) - 1);
    }
  }

  async query(request: GatewayRefundQuery): Promise<GatewayQueryOutcome> {
    this.queried.push(request);
    return this.next(this.queryScript, { n: this.queried.length, request }, () =>
      this.accepted.has(request.refundNo) || this.submitted.some((s) => s.refundNo === request.refundNo)
        ? { kind: 'processing', rawStatus: 'ACCEPTED' }
        : { kind: 'not_found', code: 'NO_SUCH_REFUND', message: 'refund not found' },
    );
  }

  private async parseNotification(notification: InboundNotification): Promise<NotificationParseResult> {
    let body: FakeNotification;
    try {
      body = JSON.parse(notification.rawBody.toString('utf8')) as FakeNotification;
    } catch {
      return { kind: 'rejected', reason: 'not JSON' };
    }
    if (body.sign !== 'valid') {
      return { kind: 'rejected', reason: 'bad signature', merchantId: body.merchantId, refundNo: body.refundNo };
    }
    return {
      kind: 'verified',
      merchantId: body.merchantId,
      refundNo: body.refundNo,
      amount: body.amount,
      outcome: notifiedOutcome(body),
      echo: { refundNo: body.refundNo },
    };
  }

  private answerNotification(input: NotificationAnswerInput): NotificationAnswer {
    const ok = input.disposition === 'applied';
    const echo = input.notification?.echo?.refundNo;
    return { status: ok ? 200 : 400, contentType: 'text/plain', body: ok ? `OK${echo ? ` ${echo}` : ''}` : 'FAIL' };
  }

  private async next<T, R>(script: Scripted<T, R>[], call: { n: number; request: R }, fallback: () => T): Promise<T> {
    const step = script.shift();
    if (step === undefined) return fallback();
    return typeof step === 'function' ? (step as (c: { n: number; request: R }) => Promise<T>)(call) : step;
  }
}

function notifiedOutcome(body: FakeNotification): GatewayOutcome {
  switch (body.status) {
    case 'succeeded':
      return { kind: 'succeeded', rawStatus: 'DONE' };
    case 'failed':
      return {
        kind: 'failed',
        rawStatus: body.rawStatus ?? 'REFUSED',
        code: body.code ?? 'NOTIFIED_FAIL',
        message: body.message ?? 'refused by the bank',
      };
    case 'change':
      return {
        kind: 'needs_attention',
        reason: 'gateway_change',
        rawStatus: 'CHANGE',
        message: 'moved to manual payout',
      };
    case 'processing':
      return { kind: 'processing', rawStatus: 'ACCEPTED' };
  }
}
