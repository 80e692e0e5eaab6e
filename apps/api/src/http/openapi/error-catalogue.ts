import type { Type } from '@nestjs/common';

import type { ErrorBody } from '../refund-error.filter';
import {
  BalanceExceededErrorSchema,
  ErrorSchema,
  GatewayRuleRefusalErrorSchema,
  NotConfiguredErrorSchema,
  OrderConflictErrorSchema,
  OrderReferenceConflictErrorSchema,
  RateLimitedErrorSchema,
  RefundAlreadyFinalErrorSchema,
  RefundConflictErrorSchema,
  ValidationErrorSchema,
} from './error.schema';
import { REFUND_EXAMPLE } from './refund.schema';

/** One error a route can answer: its status, the schema of its body, and a body it really sends. */
export interface DocumentedError {
  status: number;
  schema: Type<ErrorSchema>;
  summary: string;
  example: ErrorBody;
}

const REFUND_ID = REFUND_EXAMPLE.id;

function error(status: number, reason: string, code: string, message: string, details: object = {}): ErrorBody {
  return { statusCode: status, error: reason, code, message, ...details };
}

/**
 * Every error the API answers, by a name of its own (two answers can share a code: a missing key and
 * a wrong one). The examples are the exact bodies the API sends for the requests their summaries
 * describe: test/openapi.e2e-spec.ts asks the running API for several of them.
 */
export const API_ERRORS = {
  VALIDATION_FAILED: {
    status: 400,
    schema: ValidationErrorSchema,
    summary: 'Bad input: every problem, by field',
    example: error(400, 'Bad Request', 'VALIDATION_FAILED', 'Validation failed', {
      errors: [
        { field: 'amount', message: 'must be a JSON number of fen, not a string' },
        { field: 'order', message: 'needs merchantOrderNo or gatewayOrderNo' },
      ],
    }),
  },
  QUERY_INVALID: {
    status: 400,
    schema: ValidationErrorSchema,
    summary: 'A query parameter out of its range',
    example: error(400, 'Bad Request', 'VALIDATION_FAILED', 'Validation failed', {
      errors: [{ field: 'limit', message: 'must be an integer from 1 to 200' }],
    }),
  },
  CURSOR_INVALID: {
    status: 400,
    schema: ValidationErrorSchema,
    summary: 'A cursor this API did not make',
    example: error(400, 'Bad Request', 'REFUND_INVALID', 'Validation failed', {
      errors: [{ field: 'cursor', message: 'is not a cursor returned by this API' }],
    }),
  },
  RESOLVE_INVALID: {
    status: 400,
    schema: ValidationErrorSchema,
    summary: 'A status other than SUCCEEDED or FAILED, or no reason',
    example: error(400, 'Bad Request', 'VALIDATION_FAILED', 'Validation failed', {
      errors: [
        { field: 'status', message: 'must be one of SUCCEEDED, FAILED' },
        { field: 'reason', message: 'is required' },
      ],
    }),
  },
  PATH_INVALID: {
    status: 400,
    schema: ValidationErrorSchema,
    summary: 'A path that is not valid percent-encoded UTF-8',
    example: error(400, 'Bad Request', 'VALIDATION_FAILED', 'Validation failed', {
      errors: [{ field: 'path', message: 'is not valid percent-encoded UTF-8' }],
    }),
  },
  MISSING_API_KEY: {
    status: 401,
    schema: ErrorSchema,
    summary: 'No Authorization header (answered with WWW-Authenticate: Bearer)',
    example: error(401, 'Unauthorized', 'UNAUTHORIZED', 'Missing API key: send Authorization: Bearer <key>'),
  },
  INVALID_API_KEY: {
    status: 401,
    schema: ErrorSchema,
    summary: 'A key that is not configured',
    example: error(401, 'Unauthorized', 'UNAUTHORIZED', 'Invalid API key'),
  },
  RATE_LIMITED_KEY: {
    status: 429,
    schema: RateLimitedErrorSchema,
    summary: 'The key has spent its budget for the window (`api.rateLimit.perKey`), on all routes together',
    example: error(
      429,
      'Too Many Requests',
      'RATE_LIMITED',
      'Too many requests for this API key: at most 1200 every 60 s. Retry after 42 s',
      { retryAfterSeconds: 42 },
    ),
  },
  RATE_LIMITED_ADDRESS: {
    status: 429,
    schema: RateLimitedErrorSchema,
    summary: 'Requests without a valid key from one address over `api.rateLimit.perAddress` for the window',
    example: error(
      429,
      'Too Many Requests',
      'RATE_LIMITED',
      'Too many requests from this address: at most 3000 every 60 s. Retry after 42 s',
      { retryAfterSeconds: 42 },
    ),
  },
  FORBIDDEN_MERCHANT: {
    status: 403,
    schema: ErrorSchema,
    summary: "The key may not act for the body's merchant",
    example: error(
      403,
      'Forbidden',
      'FORBIDDEN_MERCHANT',
      "This API key may not act for merchant '0000000019' on gateway 'leshua'",
    ),
  },
  OPERATOR_SCOPE_REQUIRED: {
    status: 403,
    schema: ErrorSchema,
    summary: "The key lacks the 'operator' scope",
    example: error(
      403,
      'Forbidden',
      'OPERATOR_SCOPE_REQUIRED',
      "This API key may not settle refunds: it needs the 'operator' scope (api.keys[].scopes)",
    ),
  },
  GATEWAY_UNKNOWN: {
    status: 404,
    schema: NotConfiguredErrorSchema,
    summary: 'No such gateway is configured',
    example: error(404, 'Not Found', 'GATEWAY_UNKNOWN', "Unknown gateway 'paypal'", {
      errors: [{ field: 'gateway', message: "'paypal' is not a configured gateway" }],
    }),
  },
  MERCHANT_UNKNOWN: {
    status: 404,
    schema: NotConfiguredErrorSchema,
    summary: 'The merchant is not configured for the gateway',
    example: error(
      404,
      'Not Found',
      'MERCHANT_UNKNOWN',
      "Merchant '0000000099' is not configured for gateway 'leshua'",
      {
        errors: [{ field: 'merchantId', message: "is not configured for gateway 'leshua'" }],
      },
    ),
  },
  REFUND_NOT_FOUND: {
    status: 404,
    schema: ErrorSchema,
    summary: "No refund has this id (another merchant's refund reads the same)",
    example: error(404, 'Not Found', 'REFUND_NOT_FOUND', `Refund '${REFUND_ID}' not found`),
  },
  WEBHOOK_DELIVERY_NOT_FOUND: {
    status: 404,
    schema: ErrorSchema,
    summary: 'The refund has no such webhook delivery',
    example: error(
      404,
      'Not Found',
      'WEBHOOK_DELIVERY_NOT_FOUND',
      `Refund '${REFUND_ID}' has no webhook delivery 'wd_0192f4c1a7b3e5d6f8091a2b3c4d5e70'`,
    ),
  },
  GATEWAY_NOTIFICATIONS_UNSUPPORTED: {
    status: 404,
    schema: ErrorSchema,
    summary: 'The gateway sends no refund notifications (ChaoYing)',
    example: error(
      404,
      'Not Found',
      'GATEWAY_NOTIFICATIONS_UNSUPPORTED',
      "Gateway 'chaoying' sends no refund notifications",
    ),
  },
  NOTIFY_GATEWAY_UNKNOWN: {
    status: 404,
    schema: NotConfiguredErrorSchema,
    summary: 'No such gateway is configured',
    example: error(404, 'Not Found', 'GATEWAY_UNKNOWN', "Unknown gateway 'paypal'", {
      errors: [{ field: 'gateway', message: "'paypal' is not a configured gateway" }],
    }),
  },
  REFUND_CONFLICT: {
    status: 409,
    schema: RefundConflictErrorSchema,
    summary: 'The refund number was used with other parameters',
    example: error(
      409,
      'Conflict',
      'REFUND_CONFLICT',
      `Refund number already used with different amount (refund ${REFUND_ID})`,
      { refundId: REFUND_ID, differences: ['amount'] },
    ),
  },
  ORDER_CONFLICT: {
    status: 409,
    schema: OrderConflictErrorSchema,
    summary: 'The order is recorded with another total',
    example: error(
      409,
      'Conflict',
      'ORDER_CONFLICT',
      "Order 'T20250101000001' is recorded with totalAmount 300, not 500",
      {
        recordedTotalAmount: 300,
      },
    ),
  },
  ORDER_REFERENCE_CONFLICT: {
    status: 409,
    schema: OrderReferenceConflictErrorSchema,
    summary: 'The two order numbers belong to different recorded orders',
    example: error(
      409,
      'Conflict',
      'ORDER_REFERENCE_CONFLICT',
      "order.merchantOrderNo 'T20250101000001' and order.gatewayOrderNo '8001122165823199' belong to different " +
        "recorded orders: 'T20250101000001' to the order recorded as merchant order T20250101000001 / gateway order " +
        "8001122165823107 (300 fen); '8001122165823199' to the order recorded as merchant order T20250101000199 / gateway order 8001122165823199 (500 fen)",
      {
        references: [
          {
            field: 'order.merchantOrderNo',
            value: 'T20250101000001',
            order: { merchantOrderNo: 'T20250101000001', gatewayOrderNo: '8001122165823107', totalAmount: 300 },
          },
          {
            field: 'order.gatewayOrderNo',
            value: '8001122165823199',
            order: { merchantOrderNo: 'T20250101000199', gatewayOrderNo: '8001122165823199', totalAmount: 500 },
          },
        ],
      },
    ),
  },
  REFUND_ALREADY_FINAL: {
    status: 409,
    schema: RefundAlreadyFinalErrorSchema,
    summary: 'The refund is SUCCEEDED or FAILED already',
    example: error(
      409,
      'Conflict',
      'REFUND_ALREADY_FINAL',
      `Refund '${REFUND_ID}' is already SUCCEEDED; a final refund does not change`,
      { refundId: REFUND_ID, status: 'SUCCEEDED' },
    ),
  },
  DATABASE_BUSY: {
    status: 503,
    schema: ErrorSchema,
    summary:
      "Other processes held the SQLite file's write lock past `database.sqlite.busyTimeout`: nothing of this " +
      'request was written; retry after `Retry-After` seconds (a refund retried with its number never refunds twice)',
    example: error(
      503,
      'Service Unavailable',
      'DATABASE_BUSY',
      'The database stayed busy with other writers for 5003 ms; try again shortly',
    ),
  },
  REFUND_BUSY: {
    status: 409,
    schema: ErrorSchema,
    summary: 'A gateway call or a sync round still works on the refund: try again shortly',
    example: error(
      409,
      'Conflict',
      'REFUND_BUSY',
      `Refund '${REFUND_ID}' is being worked on (a gateway call or a sync round); try again shortly`,
    ),
  },
  WEBHOOK_ALREADY_DELIVERED: {
    status: 409,
    schema: ErrorSchema,
    summary: 'The receiver has this webhook already',
    example: error(
      409,
      'Conflict',
      'WEBHOOK_ALREADY_DELIVERED',
      "Webhook delivery 'wd_0192f4c1a7b3e5d6f8091a2b3c4d5e70' was delivered already",
    ),
  },
  WEBHOOK_DELIVERY_IN_FLIGHT: {
    status: 409,
    schema: ErrorSchema,
    summary: 'The webhook is being sent at this moment',
    example: error(
      409,
      'Conflict',
      'WEBHOOK_DELIVERY_IN_FLIGHT',
      "Webhook delivery 'wd_0192f4c1a7b3e5d6f8091a2b3c4d5e70' is being sent now; ask again once this attempt is recorded",
    ),
  },
  JSON_BODY_TOO_LARGE: {
    status: 413,
    schema: ErrorSchema,
    summary: 'A body over 1 MiB',
    example: error(413, 'Payload Too Large', 'PAYLOAD_TOO_LARGE', 'Request body is too large'),
  },
  NOTIFICATION_TOO_LARGE: {
    status: 413,
    schema: ErrorSchema,
    summary: 'A body over what the gateway can send (Leshua: 8 KiB), refused before it is read',
    example: error(413, 'Payload Too Large', 'BODY_TOO_LARGE', "The body is over this route's limit of 8192 bytes"),
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    schema: ErrorSchema,
    summary: 'A body that is not sent as application/json',
    example: error(
      415,
      'Unsupported Media Type',
      'UNSUPPORTED_MEDIA_TYPE',
      'The body must be JSON, sent with Content-Type: application/json',
    ),
  },
  REFUND_EXCEEDS_BALANCE: {
    status: 422,
    schema: BalanceExceededErrorSchema,
    summary: "More than the order's refundable balance; says what is left",
    example: error(
      422,
      'Unprocessable Entity',
      'REFUND_EXCEEDS_BALANCE',
      "Refund of 250 fen exceeds the order's refundable balance: 200 fen can still be refunded",
      { requestedAmount: 250, refundableAmount: 200 },
    ),
  },
  REFUND_WINDOW_CLOSED: {
    status: 422,
    schema: GatewayRuleRefusalErrorSchema,
    summary: "The order was paid before the gateway's refund window",
    example: error(
      422,
      'Unprocessable Entity',
      'REFUND_WINDOW_CLOSED',
      'umf refunds only orders paid within the last 90 days; this one was paid on 2025-01-01 08:00:00 China time, 120 days ago',
      {
        gateway: 'umf',
        paidAt: '2025-01-01T00:00:00.000Z',
        windowDays: 90,
        refusals: [
          {
            code: 'REFUND_WINDOW_CLOSED',
            message:
              'umf refunds only orders paid within the last 90 days; this one was paid on 2025-01-01 08:00:00 China time, 120 days ago',
            details: { gateway: 'umf', paidAt: '2025-01-01T00:00:00.000Z', windowDays: 90 },
          },
        ],
      },
    ),
  },
} satisfies Record<string, DocumentedError>;

export type ApiErrorName = keyof typeof API_ERRORS;
