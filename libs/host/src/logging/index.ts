export { RefundhubLoggingModule } from './refundhub-logging.module';
export type { LoggingSetupOptions } from './refundhub-logging.module';
export { NestPinoLogger } from './nest-pino-logger';
export type { LogDestination } from './log-destination';
export { createLogRoot } from './log-root';
export { REDACTED, REDACTED_PATHS } from './log-redaction';
export { REQUEST_ID_HEADER, randomRequestIds, requestIdFor } from './request-id';
export type { RequestIdSource } from './request-id';
export type { RequestSummary } from './http-request-logging';
