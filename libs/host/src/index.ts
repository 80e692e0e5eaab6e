export * from './config';
export { RefundHostModule } from './refund-host.module';
export { INSTALLED_GATEWAYS, installedGatewayIds } from './gateways/installed-gateways';
export type { RefundHostOptions } from './refund-host.module';
export { GatewaySandboxes } from './sandbox/gateway-sandboxes';
export { RefundSyncLoop } from './sync/refund-sync.loop';
export type { SyncLoopOptions } from './sync/refund-sync.loop';
export { loadOperatorConfigOrExit } from './load-config-or-exit';
export { resetDemoDatabase } from './demo-database';
