export { WebhookService } from './webhook.service';
export { WebhookSender } from './webhook-sender';
export type { WebhookRoundResult } from './webhook-sender';
export type { WebhookBody } from './webhook-body';
export type { WebhookAttemptView, WebhookDeliveryView } from './webhook-delivery.view';
export {
  WebhookAlreadyDeliveredError,
  WebhookDeliveryInFlightError,
  WebhookDeliveryNotFoundError,
} from './webhook-errors';
export { WebhookTransport } from './webhook-transport';
export type { WebhookHttpRequest, WebhookHttpResponse } from './webhook-transport';
export { HttpWebhookTransport } from './http-webhook-transport';
export { WebhookHostResolver, SystemWebhookHostResolver } from './webhook-host-resolver';
export type { ResolvedAddress } from './webhook-host-resolver';
export { DEFAULT_WEBHOOK_BACKOFF_MS } from './webhook-settings';
export {
  WEBHOOK_SECRET_MIN_BYTES,
  WEBHOOK_SECRET_PREFIX,
  signWebhook,
  webhookSecretKey,
  webhookSecretProblem,
} from './webhook-signature';
export { nonPublicRangeOf } from './private-address';
