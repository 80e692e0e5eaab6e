import { Counter, Histogram, Registry } from 'prom-client';

import type {
  GatewayCallObservation,
  ManualResolutionObservation,
  NotificationObservation,
  OutboxSetAsideObservation,
  RefundObserver,
  RejectionObservation,
  SyncAttemptObservation,
  SyncRoundObservation,
  UnknownOutcomeObservation,
  WebhookAttemptObservation,
} from '@refundhub/core';

/** Gateway calls range from a few milliseconds (a sandbox) to the 30 s port timeout. */
const GATEWAY_CALL_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The core's observations as Prometheus counters and histograms, on the registry of one application
 * (several applications may share a process). Labels carry the gateway, never a merchant or a refund.
 */
export class PrometheusRefundObserver implements RefundObserver {
  private readonly gatewayCalls: Histogram<'gateway' | 'operation' | 'outcome'>;
  private readonly unknownOutcomes: Counter<'gateway' | 'reason'>;
  private readonly rejections: Counter<'gateway' | 'code'>;
  private readonly notifications: Counter<'gateway' | 'result'>;
  private readonly syncAttempts: Counter<'gateway'>;
  private readonly syncRounds: Counter;
  private readonly syncClaimed: Counter;
  private readonly syncRateLimited: Counter;
  private readonly syncErrors: Counter;
  private readonly resolutions: Counter<'gateway' | 'status'>;
  private readonly webhookAttempts: Counter<'result'>;
  private readonly outboxSetAside: Counter<'event'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.gatewayCalls = new Histogram({
      name: 'refundhub_gateway_call_duration_seconds',
      help: 'Calls through the gateway port (submit, query) by what they came to, from the call to the answer or the deadline.',
      labelNames: ['gateway', 'operation', 'outcome'],
      buckets: GATEWAY_CALL_BUCKETS_SECONDS,
      registers,
    });
    this.unknownOutcomes = new Counter({
      name: 'refundhub_gateway_unknown_outcomes_total',
      help: 'Gateway calls whose outcome stayed unknown, by reason (timeout, connection, http_5xx, malformed, bad_signature, mismatch, gateway_busy, unrecognized, adapter_error).',
      labelNames: ['gateway', 'reason'],
      registers,
    });
    this.rejections = new Counter({
      name: 'refundhub_gateway_rejections_total',
      help: "Definite refusals in gateway answers, by the gateway's code.",
      labelNames: ['gateway', 'code'],
      registers,
    });
    this.notifications = new Counter({
      name: 'refundhub_notifications_total',
      help: 'Gateway notifications received, by what became of them (applied, unchanged, recorded, repeated, rejected, ...).',
      labelNames: ['gateway', 'result'],
      registers,
    });
    this.syncAttempts = new Counter({
      name: 'refundhub_sync_attempts_total',
      help: 'Refunds the sync loop took to their gateway (a query, or a resubmission).',
      labelNames: ['gateway'],
      registers,
    });
    this.syncRounds = new Counter({ name: 'refundhub_sync_rounds_total', help: 'Sync rounds run.', registers });
    this.syncClaimed = new Counter({
      name: 'refundhub_sync_claimed_refunds_total',
      help: 'Refunds claimed by sync rounds.',
      registers,
    });
    this.syncRateLimited = new Counter({
      name: 'refundhub_sync_rate_limited_total',
      help: "Claimed refunds that waited for a later round because their merchant's rate limit was spent.",
      registers,
    });
    this.syncErrors = new Counter({
      name: 'refundhub_sync_errors_total',
      help: 'Syncs that threw (they are due again after their backoff).',
      registers,
    });
    this.resolutions = new Counter({
      name: 'refundhub_refunds_resolved_total',
      help: 'Refunds settled by hand (POST /refunds/:id/resolve), by the status they were given.',
      labelNames: ['gateway', 'status'],
      registers,
    });
    this.webhookAttempts = new Counter({
      name: 'refundhub_webhook_attempts_total',
      help: 'Webhook attempts, by result: delivered, retrying (due again on the schedule) or given_up.',
      labelNames: ['result'],
      registers,
    });
    this.outboxSetAside = new Counter({
      name: 'refundhub_outbox_events_set_aside_total',
      help: 'Outbox events set aside because a listener failed too often, by event.',
      labelNames: ['event'],
      registers,
    });
  }

  gatewayCall({ gateway, operation, durationMs, outcome }: GatewayCallObservation): void {
    this.gatewayCalls.observe({ gateway, operation, outcome }, durationMs / 1000);
  }

  unknownOutcome({ gateway, reason }: UnknownOutcomeObservation): void {
    this.unknownOutcomes.inc({ gateway, reason });
  }

  rejection({ gateway, code }: RejectionObservation): void {
    this.rejections.inc({ gateway, code });
  }

  notification({ gateway, result }: NotificationObservation): void {
    this.notifications.inc({ gateway, result: notificationLabel(result) });
  }

  syncAttempt({ gateway }: SyncAttemptObservation): void {
    this.syncAttempts.inc({ gateway });
  }

  syncRound({ claimed, limited, errors }: SyncRoundObservation): void {
    this.syncRounds.inc();
    this.syncClaimed.inc(claimed);
    this.syncRateLimited.inc(limited);
    this.syncErrors.inc(errors);
  }

  manualResolution({ gateway, status }: ManualResolutionObservation): void {
    this.resolutions.inc({ gateway, status });
  }

  webhookAttempt({ result }: WebhookAttemptObservation): void {
    this.webhookAttempts.inc({ result });
  }

  outboxEventSetAside({ event }: OutboxSetAsideObservation): void {
    this.outboxSetAside.inc({ event });
  }
}

/** `APPLIED` → `applied`, `NOTIFICATION_REJECTED` → `rejected`: the API header's codes as label values. */
export function notificationLabel(result: NotificationObservation['result']): string {
  return result.replace(/^NOTIFICATION_/, '').toLowerCase();
}
