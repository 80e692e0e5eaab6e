// `@refundhub/leshua`: the module and what configures it. The simulator is `@refundhub/leshua/sandbox`.
export * from './leshua.module';
export * from './leshua.module-definition';
export * from './leshua.options';
export * from './leshua.config';
export * from './leshua.definition';
export * from './leshua.gateway';
export * from './leshua.types';
export * from './leshua.signer';
export * from './leshua.codec';
export { encodeLeshuaNotifyUrl } from './leshua.mapper';
export { LESHUA_NOTIFICATION_ACK, LeshuaNotifications } from './leshua.notify';
export { LESHUA_GATEWAY_ID } from './leshua.credentials';
export { LESHUA_MAX_AMOUNT } from './leshua.validation';
