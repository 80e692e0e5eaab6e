import type {
  GatewayOutcome,
  GatewayQueryOutcome,
  GatewayRefundRequest,
  InboundNotification,
  NotificationAnswer,
  RefundGateway,
  UnknownReason,
} from '@refundhub/core';

import type { FaultMode } from '../sandbox/fault-queue';
import { gatewayRefundQuery } from './gateway-request.builder';

/** The two calls of the port that talk to the gateway. */
export type ContractOperation = 'submit' | 'query';

/**
 * What a gateway package gives the contract suite: its adapter, wired to its own sandbox over real
 * HTTP (with a short HTTP timeout, so that the `timeout` case is quick), and the sandbox's controls
 * in contract terms.
 */
export interface GatewayContractHarness {
  gateway: RefundGateway;
  /** A request the gateway accepts, for an order its sandbox holds as paid; a new refund number each call. */
  request(overrides?: { amount?: number }): GatewayRefundRequest;
  sandbox: {
    /** How the refund with this number ends, and after how many queries (0: the submission's answer is final). */
    plan(refundNo: string, plan: { outcome: 'success' | 'fail'; afterQueries: number }): void;
    /** The next call of this operation misbehaves; `process` lets the gateway act on it first. */
    failNext(operation: ContractOperation, mode: FaultMode, options?: { process?: boolean }): void;
    /** The next submission is refused with a code the module lists as a definite refusal. */
    refuseNext(): void;
    /** Drops requests held by a `timeout` fault. */
    releaseHeld(): void;
    /** Submissions that carried this refund number, whatever became of them. */
    submissions(refundNo: string): number;
    /** Refunds the gateway holds under this refund number: 0 or 1, never more. */
    refunds(refundNo: string): number;
  };
  /** For gateways that notify refund results. */
  notifications?: {
    /** The notification the gateway sends when this refund became final, correctly signed. */
    genuine(request: GatewayRefundRequest, outcome: 'success' | 'fail'): InboundNotification;
    /** The same notification signed with a key that is not the merchant's. */
    forged(request: GatewayRefundRequest, outcome: 'success' | 'fail'): InboundNotification;
    /** A genuine notification whose amount was changed after signing. */
    tampered(request: GatewayRefundRequest, outcome: 'success' | 'fail'): InboundNotification;
    /** Whether this answer makes the gateway stop delivering. */
    isAcknowledgement(answer: NotificationAnswer): boolean;
  };
  close(): Promise<void>;
}

export interface GatewayContractOptions {
  /** Whether the gateway notifies refund results; the harness must then have `notifications`. */
  notifications: boolean;
  /**
   * What a query for a refund the gateway never received answers: `not_found` when the gateway
   * says so (so the core resubmits), `unknown` when it cannot tell (Baofoo's ABNORMAL).
   */
  neverReceived?: 'not_found' | 'unknown';
}

const UNKNOWN_CASES: ReadonlyArray<[FaultMode, UnknownReason]> = [
  ['timeout', 'timeout'],
  ['5xx', 'http_5xx'],
  ['malformed', 'malformed'],
  ['badsign', 'bad_signature'],
  ['unsigned', 'bad_signature'],
  ['other_refund', 'mismatch'],
  ['other_amount', 'mismatch'],
];

/**
 * The contract every gateway adapter passes, run by each gateway package against its own sandbox
 * over real HTTP: the money rules of the port (unknown is never failed, an answer about another
 * refund is not acted on, a resubmission is the same refund) and notification security.
 *
 * @example
 * ```ts
 * describeGatewayContract('Leshua', () => createLeshuaContractHarness(), { notifications: true });
 * ```
 */
export function describeGatewayContract(
  name: string,
  setup: () => Promise<GatewayContractHarness>,
  options: GatewayContractOptions,
): void {
  describe(`${name}: the gateway contract`, () => {
    let h: GatewayContractHarness;

    beforeEach(async () => {
      h = await setup();
    });
    afterEach(async () => {
      h.sandbox.releaseHeld();
      await h.close();
    });

    const submitAndQuery = async (request: GatewayRefundRequest): Promise<GatewayQueryOutcome> => {
      await h.gateway.submit(request);
      return h.gateway.query(gatewayRefundQuery(request));
    };

    it('finds nothing wrong with a well-formed request', () => {
      expect(h.gateway.validate(h.request())).toEqual({ problems: [], refusals: [] });
    });

    it('accepts a refund the gateway is still working on', async () => {
      const request = h.request();
      h.sandbox.plan(request.refundNo, { outcome: 'success', afterQueries: 2 });
      const outcome = await h.gateway.submit(request);
      expect(outcome).toMatchObject({ kind: 'processing', rawStatus: expect.any(String) });
      expect(h.sandbox.refunds(request.refundNo)).toBe(1);
    });

    it('reports processing, then succeeded on a later query', async () => {
      const request = h.request();
      h.sandbox.plan(request.refundNo, { outcome: 'success', afterQueries: 2 });
      await expect(h.gateway.submit(request)).resolves.toMatchObject({ kind: 'processing' });
      await expect(h.gateway.query(gatewayRefundQuery(request))).resolves.toMatchObject({ kind: 'processing' });
      const done = await h.gateway.query(gatewayRefundQuery(request));
      expect(done).toMatchObject({ kind: 'succeeded', rawStatus: expect.any(String) });
      if (done.kind === 'succeeded' && done.finishedAt !== undefined) expect(done.finishedAt).toBeInstanceOf(Date);
    });

    it('reports a definite failure with the gateway code and message', async () => {
      const request = h.request();
      h.sandbox.plan(request.refundNo, { outcome: 'fail', afterQueries: 1 });
      const outcome = await submitAndQuery(request);
      expect(outcome).toMatchObject({
        kind: 'failed',
        code: expect.stringMatching(/\S/),
        message: expect.stringMatching(/\S/),
      });
    });

    it('reports a definite refusal of the submission as failed', async () => {
      const request = h.request();
      h.sandbox.refuseNext();
      await expect(h.gateway.submit(request)).resolves.toMatchObject({
        kind: 'failed',
        code: expect.stringMatching(/\S/),
      });
    });

    describe.each(['submit', 'query'] as const)('an answer to %s that tells nothing', (operation) => {
      it.each(UNKNOWN_CASES)('%s is unknown (%s), never failed', async (mode, reason) => {
        const request = h.request();
        h.sandbox.plan(request.refundNo, { outcome: 'success', afterQueries: 3 });
        if (operation === 'query') await h.gateway.submit(request);
        h.sandbox.failNext(operation, mode);
        const outcome: GatewayOutcome | GatewayQueryOutcome =
          operation === 'submit' ? await h.gateway.submit(request) : await h.gateway.query(gatewayRefundQuery(request));
        expect(outcome).toMatchObject({ kind: 'unknown', reason, detail: expect.stringMatching(/\S/) });
      });
    });

    it(`answers ${options.neverReceived ?? 'not_found'} for a refund the gateway never received`, async () => {
      const request = h.request();
      const outcome = await h.gateway.query(gatewayRefundQuery(request));
      expect(outcome.kind).toBe(options.neverReceived ?? 'not_found');
      expect(h.sandbox.refunds(request.refundNo)).toBe(0);
    });

    it('resubmits with the same refund number without refunding twice', async () => {
      const request = h.request();
      h.sandbox.plan(request.refundNo, { outcome: 'success', afterQueries: 2 });
      h.sandbox.failNext('submit', 'timeout', { process: true });
      await expect(h.gateway.submit(request)).resolves.toMatchObject({ kind: 'unknown', reason: 'timeout' });
      h.sandbox.releaseHeld();
      await expect(h.gateway.query(gatewayRefundQuery(request))).resolves.toMatchObject({ kind: 'processing' });
      const again = await h.gateway.submit({ ...request, attempt: 2, submittedAt: request.now });
      expect(['processing', 'succeeded']).toContain(again.kind);
      expect(h.sandbox.submissions(request.refundNo)).toBe(2);
      expect(h.sandbox.refunds(request.refundNo)).toBe(1);
    });

    if (!options.notifications) {
      it('declares no notifications', () => {
        expect(h.gateway.notifications).toBeUndefined();
      });
      return;
    }

    describe('notifications', () => {
      const notifications = () => {
        if (!h.notifications) throw new Error('the harness has no notification controls');
        return h.notifications;
      };
      const handler = () => {
        if (!h.gateway.notifications) throw new Error(`${name} declares no notifications`);
        return h.gateway.notifications;
      };

      it.each(['success', 'fail'] as const)(
        'verifies a genuine %s notification about our refund and amount',
        async (outcome) => {
          const request = h.request();
          const parsed = await handler().parse(notifications().genuine(request, outcome));
          expect(parsed).toMatchObject({
            kind: 'verified',
            merchantId: request.merchantId,
            refundNo: request.refundNo,
            outcome: { kind: outcome === 'success' ? 'succeeded' : 'failed' },
          });
          if (parsed.kind === 'verified' && parsed.amount !== undefined) expect(parsed.amount).toBe(request.amount);
        },
      );

      it.each(['forged', 'tampered'] as const)('rejects a %s notification', async (kind) => {
        const request = h.request();
        await expect(handler().parse(notifications()[kind](request, 'success'))).resolves.toMatchObject({
          kind: 'rejected',
        });
      });

      it('rejects an unreadable notification without throwing', async () => {
        const garbage: InboundNotification = {
          rawBody: Buffer.from('\u0000not a notification'),
          contentType: null,
          headers: {},
        };
        await expect(handler().parse(garbage)).resolves.toMatchObject({ kind: 'rejected' });
      });

      it('declares a body limit of a few KB, which its own notifications are well within', () => {
        const limit = handler().maxBodyBytes;
        expect(limit).toBeGreaterThanOrEqual(1024);
        expect(limit).toBeLessThanOrEqual(64 * 1024);
        for (const outcome of ['success', 'fail'] as const) {
          expect(notifications().genuine(h.request(), outcome).rawBody.length * 2).toBeLessThanOrEqual(limit ?? 0);
        }
      });

      it.each(['success', 'fail'] as const)(
        'carries the amount of a genuine %s notification where it declares it always does',
        async (outcome) => {
          const parsed = await handler().parse(notifications().genuine(h.request(), outcome));
          if (parsed.kind !== 'verified') throw new Error('a genuine notification must verify');
          const kind = parsed.outcome.kind;
          if (kind === 'processing' || kind === 'succeeded' || kind === 'failed') {
            if (handler().amountSentWith.includes(kind)) expect(parsed.amount).toBe(h.request().amount);
          }
        },
      );

      it('refuses a body over its limit before reading it', async () => {
        const limit = handler().maxBodyBytes ?? 0;
        const oversized: InboundNotification = {
          rawBody: Buffer.alloc(limit + 1, '<'),
          contentType: null,
          headers: {},
        };
        await expect(handler().parse(oversized)).resolves.toMatchObject({
          kind: 'rejected',
          code: 'NOTIFICATION_TOO_LARGE',
        });
      });

      it.each([
        ['nested XML', (n: number) => `${'<a>'.repeat(n)}${'</a>'.repeat(n)}`, 7],
        ['nested JSON', (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`, 6],
        ['nested JSON arrays', (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`, 2],
        ['a form of empty fields', (n: number) => '&'.repeat(n), 1],
      ] as const)('refuses %s within its limit without throwing', async (_shape, body, bytesPerLevel) => {
        const levels = Math.floor(((handler().maxBodyBytes ?? 0) - 1) / bytesPerLevel);
        const hostile: InboundNotification = { rawBody: Buffer.from(body(levels)), contentType: null, headers: {} };
        expect(hostile.rawBody.length).toBeLessThanOrEqual(handler().maxBodyBytes ?? 0);
        await expect(handler().parse(hostile)).resolves.toMatchObject({ kind: 'rejected' });
      });

      it('reads a replayed notification as the same one: the core makes a replay change nothing', async () => {
        const notification = notifications().genuine(h.request(), 'success');
        const first = await handler().parse(notification);
        const second = await handler().parse(notification);
        expect(second).toEqual(first);
      });

      it('acknowledges an applied notification, and only that', async () => {
        const parsed = await handler().parse(notifications().genuine(h.request(), 'success'));
        if (parsed.kind !== 'verified') throw new Error('a genuine notification must verify');
        expect(
          notifications().isAcknowledgement(await handler().answer({ disposition: 'applied', notification: parsed })),
        ).toBe(true);
        for (const disposition of ['rejected', 'unknown_refund', 'error'] as const) {
          expect(notifications().isAcknowledgement(await handler().answer({ disposition }))).toBe(false);
        }
      });
    });
  });
}
