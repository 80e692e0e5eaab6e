export * from './config';
export { RefundHostModule } from './refund-host.module';
export { INSTALLED_GATEWAYS, installedGatewayIds } from './gateways/installed-gateways';
export type { RefundHostOptions } from './refund-host.module';
export { GatewaySandboxes } from './sandbox/gateway-sandboxes';
export { RefundSyncLoop } from './sync/refund-sync.loop';
export { GracefulShutdown } from './loops/graceful-shutdown';
export { OutboxRelayLoop } from './loops/outbox-relay.loop';
export type { LoopHeartbeat } from './loops/repeating-round';
export { WebhookDeliveryLoop } from './loops/webhook-delivery.loop';
export type { SyncLoopOptions } from './sync/refund-sync.loop';
export { loadOperatorConfigOrExit } from './load-config-or-exit';
export {
  credentialsOf,
  gatewayCallTimeoutOf,
  refundModuleOptionsOf,
  syncOptionsOf,
  webhookOptionsOf,
} from './refund-options';
export { resetDemoDatabase } from './demo-database';
export * from './logging';
export * from './metrics';
