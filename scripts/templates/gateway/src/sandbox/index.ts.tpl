// `@refundhub/__ID__/sandbox`: the simulator, apart from the module so that a host embedding __Id__Module never loads fastify.
export * from './__ID__.sandbox';
export { __ID_UPPER___SANDBOX_MODULE_OPTIONS, start__Id__Sandbox } from './__ID__-sandbox.starter';
