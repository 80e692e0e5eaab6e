export { FaultQueue } from './fault-queue';
export type { Fault, FaultMode, FaultOptions } from './fault-queue';
export { NotificationCourier } from './notification-courier';
export type { CourierAnswer, CourierDelivery, CourierResponse, DeliveryRecord } from './notification-courier';
export { SandboxServer, formFields } from './sandbox-server';
export type { GenericFault, SandboxServerOptions } from './sandbox-server';
