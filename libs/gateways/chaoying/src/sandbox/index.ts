// `@refundhub/chaoying/sandbox`: the simulator, apart from the module so that a host embedding ChaoyingModule never loads fastify.
export * from './chaoying.sandbox';
export * from './chaoying-sandbox.types';
export { CHAOYING_SANDBOX_ERRORS, CHAOYING_SANDBOX_MESSAGES } from './chaoying-sandbox.ledger';
export { CHAOYING_SANDBOX_MODULE_OPTIONS, startChaoyingSandbox } from './chaoying-sandbox.starter';
