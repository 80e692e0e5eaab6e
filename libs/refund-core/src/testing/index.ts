// Test doubles for refund-core and the apps that embed it (re-exported by @refundhub/gateway-kit/testing).
export { FakeGateway } from './fake-gateway';
export type { FakeGatewayOptions, FakeNotification, Scripted } from './fake-gateway';
export { FakeClock } from './fake-clock';
export { FakeWebhookTransport } from './fake-webhook-transport';
export type { FakeWebhookAnswer } from './fake-webhook-transport';
export { waitUntil } from './wait-until';
