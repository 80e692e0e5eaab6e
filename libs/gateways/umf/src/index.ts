// `@refundhub/umf`: the module and what configures it. The simulator is `@refundhub/umf/sandbox`.
export * from './umf.module';
export * from './umf.module-definition';
export * from './umf.options';
export * from './umf.config';
export * from './umf.definition';
export * from './umf.gateway';
export * from './umf.notify';
export * from './umf.types';
export * from './umf.signer';
export * from './umf.codec';
export { UMF_GATEWAY_ID } from './umf.credentials';
export { umfPayTypeOf } from './umf.pay-type';
export { umfNotifyUrl } from './umf.notify-url';
export { UMF_MAX_AMOUNT, UMF_REFUND_WINDOW_DAYS } from './umf.validation';
