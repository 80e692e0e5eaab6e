export * from './config';
export { RefundHostModule, SUPPORTED_GATEWAYS } from './refund-host.module';
export type { RefundHostOptions } from './refund-host.module';
export { GatewaySandboxes } from './sandbox/gateway-sandboxes';
export { RefundSyncLoop } from './sync/refund-sync.loop';
export type { SyncLoopOptions } from './sync/refund-sync.loop';
export { loadOperatorConfigOrExit } from './load-config-or-exit';
