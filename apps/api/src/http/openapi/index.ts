export { ApiErrors, errorMediaType, errorSchemas } from './api-errors.decorator';
export type { ErrorMediaType } from './api-errors.decorator';
export { API_ERRORS } from './error-catalogue';
export type { ApiErrorName, DocumentedError } from './error-catalogue';
export {
  BalanceExceededErrorSchema,
  ErrorSchema,
  FieldProblemSchema,
  GatewayRuleRefusalErrorSchema,
  NotConfiguredErrorSchema,
  OrderConflictErrorSchema,
  OrderReferenceConflictErrorSchema,
  RefundAlreadyFinalErrorSchema,
  RefundConflictErrorSchema,
  ValidationErrorSchema,
} from './error.schema';
export { HealthSchema } from './health.schema';
export {
  API_KEY_SECURITY,
  OPENAPI_JSON_PATH,
  OPENAPI_UI_PATH,
  buildOpenApiDocument,
  renderOpenApiDocument,
  setupOpenApi,
} from './openapi-document';
export { OVERVIEW_EXAMPLE, OverviewSchema } from './overview.schema';
export { REFUND_EXCHANGE_PAGE_EXAMPLE, RefundExchangePageSchema, RefundExchangeSchema } from './refund-exchange.schema';
export {
  REFUND_HISTORY_PAGE_EXAMPLE,
  RefundHistoryEntrySchema,
  RefundHistoryPageSchema,
} from './refund-history.schema';
export {
  REFUND_EXAMPLE,
  RefundFailureSchema,
  RefundNeedsAttentionSchema,
  RefundOrderSchema,
  RefundPageSchema,
  RefundSchema,
} from './refund.schema';
export {
  WEBHOOK_DELIVERY_EXAMPLE,
  WebhookAttemptSchema,
  WebhookDeliveryPageSchema,
  WebhookDeliverySchema,
} from './webhook-delivery.schema';
