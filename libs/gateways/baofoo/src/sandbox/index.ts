// `@refundhub/baofoo/sandbox`: the simulator, apart from the module so that a host embedding BaofooModule never loads fastify.
export * from './baofoo.sandbox';
export { BAOFOO_SANDBOX_MODULE_OPTIONS, startBaofooSandbox } from './baofoo-sandbox.starter';
