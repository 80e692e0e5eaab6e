import type { WebhookAttempt } from '../entities/webhook-attempt.entity';
import type { WebhookDelivery, WebhookDeliveryStatus } from '../entities/webhook-delivery.entity';

/** One attempt of a delivery, as the API shows it. */
export interface WebhookAttemptView {
  at: string;
  durationMs: number;
  /** The receiver's status; null when it never answered (then `error` says why). */
  httpStatus: number | null;
  /** What went wrong without an answer: a timeout, a refused target, no secret to sign with. */
  error: string | null;
}

/** One webhook of a refund (an event to its notify URL) with its attempts, oldest first. */
export interface WebhookDeliveryView {
  id: string;
  /** Sent as `webhook-id`. */
  eventId: string;
  /** The event key, the body's `type`. */
  type: string;
  url: string;
  /** `pending` (due at `nextAttemptAt`), `delivered`, or `failed` (given up). */
  status: WebhookDeliveryStatus;
  nextAttemptAt: string | null;
  createdAt: string;
  /** When it was delivered or given up. */
  finishedAt: string | null;
  attempts: WebhookAttemptView[];
}

export function toWebhookDeliveryView(
  delivery: WebhookDelivery,
  attempts: readonly WebhookAttempt[],
): WebhookDeliveryView {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    type: delivery.eventType,
    url: delivery.url,
    status: delivery.status,
    nextAttemptAt: delivery.nextAttemptAt ? delivery.nextAttemptAt.toISOString() : null,
    createdAt: delivery.createdAt.toISOString(),
    finishedAt: delivery.finishedAt ? delivery.finishedAt.toISOString() : null,
    attempts: attempts.map((attempt) => ({
      at: attempt.attemptedAt.toISOString(),
      durationMs: attempt.durationMs,
      httpStatus: attempt.httpStatus,
      error: attempt.error,
    })),
  };
}
