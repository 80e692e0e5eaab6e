// `@refundhub/baofoo`: the module and what configures it. The simulator is `@refundhub/baofoo/sandbox`.
export * from './baofoo.module';
export * from './baofoo.module-definition';
export * from './baofoo.options';
export * from './baofoo.config';
export * from './baofoo.definition';
export * from './baofoo.gateway';
export * from './baofoo.notify';
export * from './baofoo.types';
export * from './baofoo.signer';
export * from './baofoo.codec';
export type { BaofooRefundExtras } from './baofoo.refund-options';
export { BAOFOO_GATEWAY_ID } from './baofoo.credentials';
export { BAOFOO_MAX_AMOUNT } from './baofoo.validation';
