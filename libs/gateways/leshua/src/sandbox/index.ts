// `@refundhub/leshua/sandbox`: the simulator, apart from the module so that a host embedding LeshuaModule never loads fastify.
export * from './leshua.sandbox';
export * from './leshua-sandbox.types';
export { LESHUA_SANDBOX_ERRORS } from './leshua-sandbox.ledger';
export * from './leshua-sandbox.notification';
export { LESHUA_SANDBOX_MODULE_OPTIONS, startLeshuaSandbox } from './leshua-sandbox.starter';
