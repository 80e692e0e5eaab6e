import { ArgumentsHost, BadRequestException, HttpException, Logger, NotFoundException } from '@nestjs/common';
import {
  DuplicateGatewayError,
  GatewayRuleRefusalError,
  IllegalRefundTransitionError,
  NotificationsNotSupportedError,
  OrderConflictError,
  OrderReferenceConflictError,
  RefundConflictError,
  RefundExceedsBalanceError,
  RefundNotFoundError,
  RefundValidationError,
  UnknownGatewayError,
  UnknownMerchantError,
} from '@refundhub/core';

import { RefundErrorFilter } from './refund-error.filter';

interface Sent {
  status?: number;
  body?: unknown;
}

function host(sent: Sent): ArgumentsHost {
  const reply = {
    status: (code: number) => {
      sent.status = code;
      return reply;
    },
    send: (payload: unknown) => {
      sent.body = payload;
      return reply;
    },
  };
  const request = { method: 'POST', url: '/refunds', headers: { authorization: 'Bearer rk_secret_key' } };
  return { switchToHttp: () => ({ getResponse: () => reply, getRequest: () => request }) } as unknown as ArgumentsHost;
}

describe(RefundErrorFilter.name, () => {
  const sut = new RefundErrorFilter();
  let logged: jest.SpyInstance;

  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => logged.mockRestore());

  function render(exception: unknown): Sent {
    const sent: Sent = {};
    sut.catch(exception, host(sent));
    return sent;
  }

  it("REFUND_INVALID -> 400 with the core's field problems", () => {
    const problems = [{ field: 'refundNo', message: 'must be at most 32 characters for leshua' }];
    expect(render(new RefundValidationError(problems))).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        code: 'REFUND_INVALID',
        message: 'Validation failed',
        errors: problems,
      },
    });
  });

  it('GATEWAY_UNKNOWN -> 404 on the gateway field', () => {
    expect(render(new UnknownGatewayError('paypal'))).toEqual({
      status: 404,
      body: {
        statusCode: 404,
        error: 'Not Found',
        code: 'GATEWAY_UNKNOWN',
        message: "Unknown gateway 'paypal'",
        errors: [{ field: 'gateway', message: "'paypal' is not a configured gateway" }],
      },
    });
  });

  it('MERCHANT_UNKNOWN -> 404 on the merchantId field', () => {
    const { status, body } = render(new UnknownMerchantError('leshua', '999'));
    expect(status).toBe(404);
    expect(body).toMatchObject({
      statusCode: 404,
      code: 'MERCHANT_UNKNOWN',
      errors: [{ field: 'merchantId', message: "is not configured for gateway 'leshua'" }],
    });
  });

  it('REFUND_NOT_FOUND -> 404, repeating the id only when it is shaped like one', () => {
    const id = 'rf_01a22b44077a4b80b356de4fa432ca6e';
    expect(render(new RefundNotFoundError(id))).toEqual({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', code: 'REFUND_NOT_FOUND', message: `Refund '${id}' not found` },
    });
    expect(render(new RefundNotFoundError('rf_x<script>'))).toEqual({
      status: 404,
      body: {
        statusCode: 404,
        error: 'Not Found',
        code: 'REFUND_NOT_FOUND',
        message: 'Refund not found: no refund has this id',
      },
    });
  });

  it('GATEWAY_UNKNOWN -> 404 without repeating a name no gateway could have', () => {
    const { body } = render(new UnknownGatewayError('pay\npal<script>'));
    expect(body).toMatchObject({
      message: 'Unknown gateway',
      errors: [{ field: 'gateway', message: 'is not a configured gateway' }],
    });
  });

  it('REFUND_CONFLICT -> 409 with the differing fields', () => {
    const { status, body } = render(new RefundConflictError('rf_1', ['amount', 'reason']));
    expect(status).toBe(409);
    expect(body).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
      code: 'REFUND_CONFLICT',
      refundId: 'rf_1',
      differences: ['amount', 'reason'],
    });
  });

  it('ORDER_CONFLICT -> 409 with the recorded total', () => {
    const { status, body } = render(new OrderConflictError('T1', 300, 500));
    expect(status).toBe(409);
    expect(body).toMatchObject({ statusCode: 409, code: 'ORDER_CONFLICT', recordedTotalAmount: 300 });
  });

  it('ORDER_REFERENCE_CONFLICT -> 409 naming each reference and the recorded order it belongs to', () => {
    const references = [
      {
        field: 'order.merchantOrderNo' as const,
        value: 'T1',
        order: { merchantOrderNo: 'T1', gatewayOrderNo: 'G1', totalAmount: 300 },
      },
      {
        field: 'order.gatewayOrderNo' as const,
        value: 'G2',
        order: { merchantOrderNo: 'T2', gatewayOrderNo: 'G2', totalAmount: 500 },
      },
    ];
    expect(render(new OrderReferenceConflictError(references))).toEqual({
      status: 409,
      body: {
        statusCode: 409,
        error: 'Conflict',
        code: 'ORDER_REFERENCE_CONFLICT',
        message:
          "order.merchantOrderNo 'T1' and order.gatewayOrderNo 'G2' belong to different recorded orders: " +
          "'T1' to the order recorded as merchant order T1 / gateway order G1 (300 fen); " +
          "'G2' to the order recorded as merchant order T2 / gateway order G2 (500 fen)",
        references,
      },
    });
  });

  it('REFUND_EXCEEDS_BALANCE -> 422 with refundableAmount and how much is left', () => {
    expect(render(new RefundExceedsBalanceError(250, 200))).toEqual({
      status: 422,
      body: {
        statusCode: 422,
        error: 'Unprocessable Entity',
        code: 'REFUND_EXCEEDS_BALANCE',
        message: "Refund of 250 fen exceeds the order's refundable balance: 200 fen can still be refunded",
        requestedAmount: 250,
        refundableAmount: 200,
      },
    });
  });

  it("a gateway's business rule -> 422 with the rule's own code, its details, and every refusal", () => {
    const window = {
      code: 'REFUND_WINDOW_CLOSED',
      message: 'UMF refunds orders for 90 days after payment',
      details: { gateway: 'umf', paidAt: '2025-01-01T04:00:00.000Z', windowDays: 90 },
    };
    expect(render(new GatewayRuleRefusalError('umf', [window]))).toEqual({
      status: 422,
      body: {
        statusCode: 422,
        error: 'Unprocessable Entity',
        code: 'REFUND_WINDOW_CLOSED',
        message: 'UMF refunds orders for 90 days after payment',
        gateway: 'umf',
        paidAt: '2025-01-01T04:00:00.000Z',
        windowDays: 90,
        refusals: [window],
      },
    });
  });

  it('GATEWAY_NOTIFICATIONS_UNSUPPORTED -> 404', () => {
    const { status, body } = render(new NotificationsNotSupportedError('chaoying'));
    expect(status).toBe(404);
    expect(body).toMatchObject({
      code: 'GATEWAY_NOTIFICATIONS_UNSUPPORTED',
      message: "Gateway 'chaoying' sends no refund notifications",
    });
  });

  it('REFUND_ILLEGAL_TRANSITION -> 409', () => {
    const { status, body } = render(new IllegalRefundTransitionError('SUCCEEDED', 'FAILED'));
    expect(status).toBe(409);
    expect(body).toMatchObject({ statusCode: 409, code: 'REFUND_ILLEGAL_TRANSITION' });
  });

  it('any other core error -> 500 with its code, a generic message, and a log line', () => {
    expect(render(new DuplicateGatewayError('leshua'))).toEqual({
      status: 500,
      body: {
        statusCode: 500,
        error: 'Internal Server Error',
        code: 'GATEWAY_DUPLICATE',
        message: 'Internal server error',
      },
    });
    expect(logged).toHaveBeenCalledTimes(1);
  });

  it('an unexpected error -> 500 without its details, logged with its frames but not the request headers', () => {
    const error = new Error('connection refused to postgres://user:pw@db');
    expect(render(error)).toEqual({
      status: 500,
      body: {
        statusCode: 500,
        error: 'Internal Server Error',
        code: 'INTERNAL_ERROR',
        message: 'Internal server error',
      },
    });
    expect(logged).toHaveBeenCalledWith(
      'POST /refunds failed: Error: connection refused to postgres://***@db',
      expect.stringMatching(/^ {4}at .*refund-error\.filter\.spec\.ts:\d+:\d+\)$/m),
    );
    expect(JSON.stringify(logged.mock.calls)).not.toContain('rk_secret_key');
    expect(JSON.stringify(logged.mock.calls)).not.toContain('user:pw');
  });

  it('logs a database error by its class and code, without the statement, its values or the query string', () => {
    const error = Object.assign(new Error(`insert into "refund" ("reason") values ('CUSTOMER-DATA')`), {
      code: '22P05',
      severity: 'ERROR',
    });
    render(error);
    const [line, frames] = logged.mock.calls[0] as [string, string];
    expect(line).toBe(
      'POST /refunds failed: Error [22P05] on insert of table refund (statement and values not logged)',
    );
    expect(frames).not.toContain('CUSTOMER-DATA');
  });

  it('answers 415 with the type it expects', () => {
    expect(render(new HttpException('Unsupported Media Type: undefined', 415))).toEqual({
      status: 415,
      body: {
        statusCode: 415,
        error: 'Unsupported Media Type',
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'The body must be JSON, sent with Content-Type: application/json',
      },
    });
  });

  it('keeps the body of Nest exceptions and adds a code', () => {
    expect(render(new NotFoundException('Cannot GET /nope'))).toEqual({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', code: 'NOT_FOUND', message: 'Cannot GET /nope' },
    });
    const validation = {
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
      message: 'Validation failed',
      errors: [],
    };
    expect(render(new BadRequestException(validation))).toEqual({ status: 400, body: validation });
    expect(logged).not.toHaveBeenCalled();
  });
});
