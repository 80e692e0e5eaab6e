import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';

import { Clock } from '../domain/clock';
import { escapeForLog } from '../domain/text';
import { describeError, errorFrames } from '../logging/error-summary';
import { runWithLogContext } from '../logging/log-context';
import { REFUND_OBSERVER, type RefundObserver } from '../observability/refund-observer';
import type { WebhookDelivery } from '../entities/webhook-delivery.entity';
import { runWithConcurrency } from '../sync/run-with-concurrency';
import { AttemptRecord, ClaimedDelivery, WebhookDeliveries } from './webhook-deliveries';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookSettings } from './webhook-settings';
import { signWebhook } from './webhook-signature';
import { WebhookTargetPolicy } from './webhook-target-policy';
import { WebhookTransport } from './webhook-transport';

export interface WebhookRoundResult {
  /** Deliveries that were due and taken this round. */
  taken: number;
  delivered: number;
  /** Failed this time, due again on their schedule. */
  retrying: number;
  /** Failed for good: the schedule ran out, the target is refused, or nothing can sign them. */
  givenUp: number;
}

type AttemptOutcome = Omit<AttemptRecord, 'attemptedAt' | 'durationMs'>;

/**
 * Sends webhooks. A round takes the due deliveries (leased, so any number of processes share the
 * work and none sends a delivery another holds) and attempts each: signed per Standard Webhooks,
 * POSTed to the checked addresses of its URL with a timeout, recorded. A new delivery is attempted
 * at once (`deliverSoon`), without waiting for the next round.
 */
@Injectable()
export class WebhookSender implements OnApplicationShutdown {
  private readonly logger = new Logger(WebhookSender.name);
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly deliveries: WebhookDeliveries,
    private readonly policy: WebhookTargetPolicy,
    private readonly secrets: WebhookSecrets,
    private readonly transport: WebhookTransport,
    private readonly clock: Clock,
    private readonly settings: WebhookSettings,
    @Inject(REFUND_OBSERVER) private readonly observer: RefundObserver,
  ) {}

  /** One round over the due deliveries. */
  async runOnce(): Promise<WebhookRoundResult> {
    const claimed = await this.deliveries.claimDue(this.settings.batchSize);
    const result: WebhookRoundResult = { taken: claimed.length, delivered: 0, retrying: 0, givenUp: 0 };
    await runWithConcurrency(claimed, this.settings.concurrency, async (one) => {
      const status = await this.attempt(one);
      if (status === 'delivered') result.delivered += 1;
      else if (status === 'failed') result.givenUp += 1;
      else result.retrying += 1;
    });
    return result;
  }

  /**
   * Attempts one delivery now, in the background, if it is due and no one else holds it; the caller
   * (the events' listener, a manual retry) does not wait for the receiver.
   */
  deliverSoon(deliveryId: string): void {
    const done = (async () => {
      const claimed = await this.deliveries.claim(deliveryId);
      if (claimed) await this.attempt(claimed);
    })().catch((error: unknown) =>
      this.logger.error(
        `Webhook delivery ${deliveryId} failed; a delivery round will retry it: ${describeError(error)}`,
        errorFrames(error),
      ),
    );
    this.running.add(done);
    void done.finally(() => this.running.delete(done));
  }

  /** Resolves once every attempt started by `deliverSoon` so far has been recorded. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  onApplicationShutdown(): Promise<void> {
    return this.settled();
  }

  private attempt(claimed: ClaimedDelivery): Promise<WebhookDelivery['status']> {
    return runWithLogContext({ refundId: claimed.delivery.refundId }, () => this.attemptInContext(claimed));
  }

  private async attemptInContext(claimed: ClaimedDelivery): Promise<WebhookDelivery['status']> {
    const { delivery } = claimed;
    const attemptedAt = this.clock.now();
    const outcome = await this.send(delivery, attemptedAt);
    const durationMs = Math.max(0, this.clock.now().getTime() - attemptedAt.getTime());
    const status = await this.deliveries.finish(claimed, { ...outcome, attemptedAt, durationMs });
    this.observer.webhookAttempt({
      result: status === 'delivered' ? 'delivered' : status === 'failed' ? 'given_up' : 'retrying',
    });
    if (status !== 'delivered') {
      // The host only: a URL's path or query may carry the receiver's own token.
      const host = new URL(delivery.url).host;
      const what = outcome.httpStatus !== null ? `HTTP ${outcome.httpStatus}` : outcome.error;
      // The receiver's host and its error are the caller's and the receiver's words.
      this.logger.warn(
        escapeForLog(
          `Webhook ${delivery.eventType} of refund ${delivery.refundId} to ${host}: attempt ${delivery.attempts + 1} failed (${what})` +
            (status === 'failed' ? '; given up' : ''),
        ),
      );
    }
    return status;
  }

  private async send(delivery: WebhookDelivery, at: Date): Promise<AttemptOutcome> {
    const failed = (error: string, final: boolean): AttemptOutcome => ({
      httpStatus: null,
      error,
      delivered: false,
      final,
    });
    const keys = this.secrets.keysFor(delivery.requestedBy);
    // Never unsigned: a receiver could not tell it from a forgery.
    if (keys.length === 0) {
      return failed(
        `not sent: no webhook secret to sign it (none for ${delivery.requestedBy ? `requester "${delivery.requestedBy}"` : 'refunds without a requester'}, and no common one)`,
        true,
      );
    }
    const target = await this.policy.check(delivery.url);
    if (!target.allowed) return failed(target.reason, target.final);
    const timestamp = Math.floor(at.getTime() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'refundhub-webhooks',
      'webhook-id': delivery.eventId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook({ keys, id: delivery.eventId, timestamp, body: delivery.body }),
    };
    try {
      const { status } = await this.transport.post({
        url: delivery.url,
        headers,
        body: delivery.body,
        timeoutMs: this.settings.timeoutMs,
        addresses: target.addresses,
      });
      return { httpStatus: status, error: null, delivered: status >= 200 && status < 300, final: false };
    } catch (error) {
      return failed(error instanceof Error ? error.message : String(error), false);
    }
  }
}
