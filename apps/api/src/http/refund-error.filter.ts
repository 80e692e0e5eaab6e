import { STATUS_CODES } from 'node:http';

import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import {
  GatewayRuleRefusalError,
  OrderConflictError,
  OrderReferenceConflictError,
  RefundAlreadyFinalError,
  RefundConflictError,
  RefundError,
  RefundExceedsBalanceError,
  RefundNotFoundError,
  RefundValidationError,
  UnknownGatewayError,
  UnknownMerchantError,
  describeError,
  errorFrames,
  escapeForLog,
} from '@refundhub/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Every error body the API sends: stable `code` for scripts, `message` for people. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  [detail: string]: unknown;
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  REFUND_INVALID: 400,
  GATEWAY_UNKNOWN: 404,
  MERCHANT_UNKNOWN: 404,
  REFUND_NOT_FOUND: 404,
  REFUND_CONFLICT: 409,
  ORDER_CONFLICT: 409,
  ORDER_REFERENCE_CONFLICT: 409,
  REFUND_ILLEGAL_TRANSITION: 409,
  REFUND_ALREADY_FINAL: 409,
  REFUND_BUSY: 409,
  DATABASE_BUSY: 503,
  REFUND_EXCEEDS_BALANCE: 422,
  GATEWAY_NOTIFICATIONS_UNSUPPORTED: 404,
  WEBHOOK_DELIVERY_NOT_FOUND: 404,
  WEBHOOK_ALREADY_DELIVERED: 409,
  WEBHOOK_DELIVERY_IN_FLIGHT: 409,
};

const GENERIC_500 = 'Internal server error';

/** A refund id as the API makes them: the only ids an answer repeats back. */
const REFUND_ID = /^rf_[0-9a-f]{32}$/;
/** A gateway id as configured: the only gateway names an answer repeats back. */
const GATEWAY_ID = /^[a-z][a-z0-9_-]{0,31}$/;

function reason(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

function body(status: number, code: string, message: string, details: Record<string, unknown> = {}): ErrorBody {
  return { statusCode: status, error: reason(status), code, message, ...details };
}

/** The HTTP answer for an error the core threw on purpose. */
export function refundErrorResponse(error: RefundError): ErrorResponse {
  if (error instanceof GatewayRuleRefusalError) {
    // The rule's own code (REFUND_WINDOW_CLOSED, ...) and details, first refusal first; all of them listed.
    const [first] = error.refusals;
    return {
      status: 422,
      body: body(422, error.code, error.message, { ...(first?.details ?? {}), refusals: error.refusals }),
    };
  }
  const status = STATUS_BY_CODE[error.code] ?? 500;
  if (status === 500) return { status, body: body(status, error.code, GENERIC_500) };

  if (error instanceof RefundValidationError) {
    return { status, body: body(status, error.code, 'Validation failed', { errors: error.problems }) };
  }
  if (error instanceof UnknownGatewayError) {
    // The name comes from the body or the path: repeated only when it could be a gateway's.
    const named = GATEWAY_ID.test(error.gateway);
    const message = named ? `'${error.gateway}' is not a configured gateway` : 'is not a configured gateway';
    return {
      status,
      body: body(status, error.code, named ? error.message : 'Unknown gateway', {
        errors: [{ field: 'gateway', message }],
      }),
    };
  }
  if (error instanceof RefundNotFoundError && !REFUND_ID.test(error.refundId)) {
    return { status, body: body(status, error.code, 'Refund not found: no refund has this id') };
  }
  if (error instanceof UnknownMerchantError) {
    const errors = [{ field: 'merchantId', message: `is not configured for gateway '${error.gateway}'` }];
    return { status, body: body(status, error.code, error.message, { errors }) };
  }
  if (error instanceof RefundExceedsBalanceError) {
    const message =
      `Refund of ${error.requested} fen exceeds the order's refundable balance: ` +
      `${error.refundable} fen can still be refunded`;
    return {
      status,
      body: body(status, error.code, message, { requestedAmount: error.requested, refundableAmount: error.refundable }),
    };
  }
  if (error instanceof RefundConflictError) {
    return {
      status,
      body: body(status, error.code, error.message, { refundId: error.refundId, differences: error.differences }),
    };
  }
  if (error instanceof OrderConflictError) {
    return { status, body: body(status, error.code, error.message, { recordedTotalAmount: error.recordedTotal }) };
  }
  if (error instanceof OrderReferenceConflictError) {
    // Both orders are the caller's own merchant's: the lookup never leaves (gateway, merchantId).
    return { status, body: body(status, error.code, error.message, { references: error.references }) };
  }
  if (error instanceof RefundAlreadyFinalError) {
    return {
      status,
      body: body(status, error.code, error.message, { refundId: error.refundId, status: error.status }),
    };
  }
  return { status, body: body(status, error.code, error.message) };
}

/** Nest's own exceptions (guards, pipes, unknown routes) in the same shape, keeping their details. */
export function httpExceptionResponse(exception: HttpException): ErrorResponse {
  const status = exception.getStatus();
  if (status === 415) {
    // Fastify's own message names the type sent ("undefined" when there was none).
    return {
      status,
      body: body(status, 'UNSUPPORTED_MEDIA_TYPE', 'The body must be JSON, sent with Content-Type: application/json'),
    };
  }
  const response = exception.getResponse();
  const code = reason(status)
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_');
  if (typeof response === 'string') return { status, body: body(status, code, response) };
  const details = response as Partial<ErrorBody>;
  const message = Array.isArray(details.message) ? details.message.join('; ') : (details.message ?? reason(status));
  return {
    status,
    body: {
      ...details,
      statusCode: status,
      error: details.error ?? reason(status),
      code: details.code ?? code,
      message,
    },
  };
}

/**
 * Turns whatever a route throws into the API's error body. Core errors map by their stable
 * `code`; anything unexpected is a 500 whose details stay in the log, never in the answer.
 */
@Catch()
export class RefundErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(RefundErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();

    let response: ErrorResponse;
    if (request.is404)
      response = { status: 404, body: body(404, 'NOT_FOUND', 'No route matches this method and path') };
    else if (exception instanceof RefundError) response = refundErrorResponse(exception);
    else if (exception instanceof HttpException) response = httpExceptionResponse(exception);
    else response = { status: 500, body: body(500, 'INTERNAL_ERROR', GENERIC_500) };

    if (response.status >= 500) {
      // Method and path only: headers carry the API key, bodies and queries customer data. The
      // error is described, never printed: a database error's message is its statement with values.
      const path = escapeForLog(request.url.split('?', 1)[0]);
      this.logger.error(`${request.method} ${path} failed: ${describeError(exception)}`, errorFrames(exception));
    }
    // Another process holds the database's write lock: a moment later it is usually free.
    if (response.body.code === 'DATABASE_BUSY') void reply.header('Retry-After', '1');
    void reply.status(response.status).send(response.body);
  }
}
