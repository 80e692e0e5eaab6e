export * from './leshua.sandbox';
export * from './leshua-sandbox.types';
export { LESHUA_SANDBOX_ERRORS } from './leshua-sandbox.ledger';
export * from './leshua-sandbox.notification';
