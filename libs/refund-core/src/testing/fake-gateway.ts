import type { FieldProblem } from '../errors';
import { RefundGatewayProvider } from '../gateway/refund-gateway.decorator';
import type {
  GatewayOutcome,
  GatewayQueryOutcome,
  GatewayRefundQuery,
  GatewayRefundRequest,
  InboundNotification,
  NotificationAnswer,
  NotificationDisposition,
  NotificationParseResult,
  RefundGateway,
} from '../gateway/refund-gateway.port';

type Scripted<T> = T | ((call: number) => Promise<T>);

/** The notification body the fake gateway understands (JSON), signed with `sign: 'valid'`. */
export interface FakeNotification {
  merchantId: string;
  refundNo: string;
  status: 'processing' | 'succeeded' | 'failed';
  amount?: number;
  sign: string;
}

/**
 * A scriptable in-memory gateway for refund-core's own specs. Outcomes are queued per call;
 * with nothing queued it accepts submissions (processing) and answers queries with what it
 * accepted.
 */
@RefundGatewayProvider()
export class FakeGateway implements RefundGateway {
  readonly submitted: GatewayRefundRequest[] = [];
  readonly queried: GatewayRefundQuery[] = [];
  private readonly submitScript: Scripted<GatewayOutcome>[] = [];
  private readonly queryScript: Scripted<GatewayQueryOutcome>[] = [];
  maxRefundNoLength = 64;

  constructor(readonly id: string = 'fake') {}

  onSubmit(...outcomes: Scripted<GatewayOutcome>[]): this {
    this.submitScript.push(...outcomes);
    return this;
  }

  onQuery(...outcomes: Scripted<GatewayQueryOutcome>[]): this {
    this.queryScript.push(...outcomes);
    return this;
  }

  validate(request: GatewayRefundRequest): FieldProblem[] {
    return request.refundNo.length > this.maxRefundNoLength
      ? [{ field: 'refundNo', message: `must be at most ${this.maxRefundNoLength} characters` }]
      : [];
  }

  async submit(request: GatewayRefundRequest): Promise<GatewayOutcome> {
    this.submitted.push(request);
    return this.next(this.submitScript, this.submitted.length, () => ({
      kind: 'processing',
      rawStatus: 'ACCEPTED',
      gatewayRefundNo: `G-${request.refundNo}`,
    }));
  }

  async query(request: GatewayRefundQuery): Promise<GatewayQueryOutcome> {
    this.queried.push(request);
    return this.next(this.queryScript, this.queried.length, () =>
      this.submitted.some((s) => s.refundNo === request.refundNo)
        ? { kind: 'processing', rawStatus: 'ACCEPTED' }
        : { kind: 'not_found', code: 'NO_SUCH_REFUND', message: 'refund not found' },
    );
  }

  async parseNotification(notification: InboundNotification): Promise<NotificationParseResult> {
    let body: FakeNotification;
    try {
      body = JSON.parse(notification.rawBody.toString('utf8')) as FakeNotification;
    } catch {
      return { kind: 'rejected', reason: 'not JSON' };
    }
    if (body.sign !== 'valid') return { kind: 'rejected', reason: 'bad signature', merchantId: body.merchantId, refundNo: body.refundNo };
    const outcome: GatewayOutcome =
      body.status === 'succeeded'
        ? { kind: 'succeeded', rawStatus: 'DONE' }
        : body.status === 'failed'
          ? { kind: 'failed', rawStatus: 'REFUSED', code: 'NOTIFIED_FAIL', message: 'refused by the bank' }
          : { kind: 'processing', rawStatus: 'ACCEPTED' };
    return { kind: 'verified', merchantId: body.merchantId, refundNo: body.refundNo, amount: body.amount, outcome };
  }

  answerNotification(disposition: NotificationDisposition): NotificationAnswer {
    return { status: disposition === 'applied' ? 200 : 400, contentType: 'text/plain', body: disposition === 'applied' ? 'OK' : 'FAIL' };
  }

  private async next<T>(script: Scripted<T>[], call: number, fallback: () => T): Promise<T> {
    const step = script.shift();
    if (step === undefined) return fallback();
    return typeof step === 'function' ? (step as (call: number) => Promise<T>)(call) : step;
  }
}
