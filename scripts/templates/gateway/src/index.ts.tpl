// `@refundhub/__ID__`: the module and what configures it. The simulator is `@refundhub/__ID__/sandbox`.
export * from './__ID__.module';
export * from './__ID__.module-definition';
export * from './__ID__.options';
export * from './__ID__.config';
export * from './__ID__.definition';
export * from './__ID__.gateway';
export * from './__ID__.types';
export * from './__ID__.signer';
export * from './__ID__.codec';
export { __ID_UPPER___GATEWAY_ID } from './__ID__.credentials';
export { __ID_UPPER___MAX_AMOUNT } from './__ID__.validation';
