// `@refundhub/chaoying`: the module and what configures it. The simulator is `@refundhub/chaoying/sandbox`.
export * from './chaoying.module';
export * from './chaoying.module-definition';
export * from './chaoying.options';
export * from './chaoying.config';
export * from './chaoying.definition';
export * from './chaoying.gateway';
export * from './chaoying.types';
export * from './chaoying.signer';
export * from './chaoying.codec';
export { CHAOYING_GATEWAY_ID } from './chaoying.credentials';
export { CHAOYING_MAX_AMOUNT } from './chaoying.validation';
