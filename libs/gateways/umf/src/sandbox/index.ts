// `@refundhub/umf/sandbox`: the simulator, apart from the module so that a host embedding UmfModule never loads fastify.
export * from './umf.sandbox';
export { UMF_SANDBOX_MODULE_OPTIONS, startUmfSandbox } from './umf-sandbox.starter';
