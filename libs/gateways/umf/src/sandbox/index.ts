// `@refundhub/umf/sandbox`: the simulator, apart from the module so that a host embedding UmfModule never loads fastify.
export * from './umf.sandbox';
export * from './umf-sandbox.types';
export { UMF_SANDBOX_ERRORS, UMF_SANDBOX_MESSAGES, UMF_SANDBOX_PROCESSING } from './umf-sandbox.ledger';
export { checkUmfAck, createUmfSandboxNotification } from './umf-sandbox.notification';
export type { UmfSandboxNotificationFields, UmfSandboxNotificationInput } from './umf-sandbox.notification';
export { UMF_NOTIFY_DELAYS_MS } from './umf-sandbox.notifier';
export { UMF_SANDBOX_MODULE_OPTIONS, startUmfSandbox } from './umf-sandbox.starter';
