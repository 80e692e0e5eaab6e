export { NoopRefundObserver, REFUND_OBSERVER } from './refund-observer';
export type {
  GatewayCallObservation,
  GatewayOperation,
  GatewayOutcomeKind,
  ManualResolutionObservation,
  NotificationObservation,
  OutboxSetAsideObservation,
  RefundObserver,
  RejectionObservation,
  SyncAttemptObservation,
  SyncRoundObservation,
  UnknownOutcomeObservation,
  WebhookAttemptObservation,
  WebhookAttemptResult,
} from './refund-observer';
export { safeRefundObserver } from './safe-refund-observer';
