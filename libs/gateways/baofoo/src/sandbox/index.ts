// `@refundhub/baofoo/sandbox`: the simulator, apart from the module so that a host embedding BaofooModule never loads fastify.
export * from './baofoo.sandbox';
export * from './baofoo-sandbox.types';
export {
  BAOFOO_SANDBOX_ERRORS,
  BAOFOO_SANDBOX_MESSAGES,
  BAOFOO_SANDBOX_REFUND_WINDOW_DAYS,
} from './baofoo-sandbox.ledger';
export * from './baofoo-sandbox.notification';
export { generateBaofooSandboxKeyPair } from './baofoo-sandbox.keys';
export { BAOFOO_SANDBOX_MODULE_OPTIONS, startBaofooSandbox } from './baofoo-sandbox.starter';
