import type { GatewayQueryOutcome, UnknownReason } from '../gateway/refund-gateway.port';
import type { NotificationResult } from '../refund/notification-reply';
import type { ResolvedStatus } from '../refund/resolve-refund.command';

/** The two calls the core makes through the gateway port. */
export type GatewayOperation = 'submit' | 'query';

/** What a gateway call came to, as the port's outcome kind (`not_found` from a query only). */
export type GatewayOutcomeKind = GatewayQueryOutcome['kind'];

export interface GatewayCallObservation {
  gateway: string;
  operation: GatewayOperation;
  /** From the call to its answer (or its deadline), on a monotonic clock. */
  durationMs: number;
  outcome: GatewayOutcomeKind;
}

export interface UnknownOutcomeObservation {
  gateway: string;
  operation: GatewayOperation;
  reason: UnknownReason;
}

export interface RejectionObservation {
  gateway: string;
  operation: GatewayOperation;
  /** The gateway's own code for a definite refusal (one its module lists by name). */
  code: string;
}

export interface NotificationObservation {
  gateway: string;
  result: NotificationResult;
}

export interface SyncAttemptObservation {
  gateway: string;
}

export interface SyncRoundObservation {
  /** Refunds claimed by the round. */
  claimed: number;
  /** Of those, held back by their merchant's rate limit. */
  limited: number;
  /** Of those, final after the round. */
  finished: number;
  /** Syncs that threw. */
  errors: number;
}

export interface ManualResolutionObservation {
  gateway: string;
  status: ResolvedStatus;
}

/** What one webhook attempt came to: delivered, due again on its schedule, or given up. */
export type WebhookAttemptResult = 'delivered' | 'retrying' | 'given_up';

export interface WebhookAttemptObservation {
  result: WebhookAttemptResult;
}

export interface OutboxSetAsideObservation {
  /** The event key (`refund.succeeded`). */
  event: string;
}

/**
 * What the core tells a host as things happen, for metrics or tracing: the core knows no metrics
 * library, the host implements this port (`RefundModule.forRoot({ observer })`). Every method is
 * called after the fact, never awaited; a throw is caught and logged, so an observer can slow a
 * refund down but never break one. Labels the host derives from these carry the gateway, never a
 * merchant or a refund.
 */
export interface RefundObserver {
  /** A submit or query through the gateway port answered (or ran out of time). */
  gatewayCall(observation: GatewayCallObservation): void;
  /** Such a call left the outcome unknown. */
  unknownOutcome(observation: UnknownOutcomeObservation): void;
  /** Such a call brought a definite refusal. */
  rejection(observation: RejectionObservation): void;
  /** A gateway's notification was handled. */
  notification(observation: NotificationObservation): void;
  /** The sync loop took a claimed refund to its gateway (a query, or a resubmission). */
  syncAttempt(observation: SyncAttemptObservation): void;
  /** A sync round ended. */
  syncRound(observation: SyncRoundObservation): void;
  /** A person settled a refund by hand. */
  manualResolution(observation: ManualResolutionObservation): void;
  /** A webhook attempt was recorded. */
  webhookAttempt(observation: WebhookAttemptObservation): void;
  /** The outbox set an event aside after its listeners failed too often. */
  outboxEventSetAside(observation: OutboxSetAsideObservation): void;
}

/** Injects the core's observer (always safe to call: see {@link RefundObserver}). */
export const REFUND_OBSERVER = Symbol('REFUND_OBSERVER');

/** Observes nothing: the default, and a base for an observer that cares about a few methods only. */
export class NoopRefundObserver implements RefundObserver {
  gatewayCall(_observation: GatewayCallObservation): void {}
  unknownOutcome(_observation: UnknownOutcomeObservation): void {}
  rejection(_observation: RejectionObservation): void {}
  notification(_observation: NotificationObservation): void {}
  syncAttempt(_observation: SyncAttemptObservation): void {}
  syncRound(_observation: SyncRoundObservation): void {}
  manualResolution(_observation: ManualResolutionObservation): void {}
  webhookAttempt(_observation: WebhookAttemptObservation): void {}
  outboxEventSetAside(_observation: OutboxSetAsideObservation): void {}
}
