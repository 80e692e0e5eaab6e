import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  RefundGatewayProvider,
  type GatewayCapabilities,
  type GatewayOutcome,
  type GatewayQueryOutcome,
  type GatewayRefundQuery,
  type GatewayRefundRequest,
  type GatewayValidation,
  type RefundGateway,
  type UnknownOutcome,
} from '@refundhub/core';
import {
  AxiosGatewayTransport,
  GatewayHttp,
  GatewayTransport,
  answerMismatch,
  unknownOutcome,
} from '@refundhub/gateway-kit';

export const SERIAL_GATEWAY_ID = 'serial';

/** Injection token of {@link SerialGatewayOptions}. */
export const SERIAL_GATEWAY_OPTIONS = Symbol('SERIAL_GATEWAY_OPTIONS');

export interface SerialGatewayOptions {
  /** Where the fake serial gateway listens: `http://127.0.0.1:<port>`. */
  baseUrl: string;
  /** Deadline of one call. Default 10 s. */
  timeoutMs?: number;
}

/** A JSON answer of the gateway (see `SerialGatewayAnswer`), read defensively: any field may be missing. */
interface Answer {
  result: string;
  [field: string]: unknown;
}

/**
 * {@link RefundGateway} for the fake serial gateway of `serial-gateway.server.ts`: one refund of an
 * order in flight at a time (`NOT_SUPPORT_CONCURRENT` otherwise, like Baofoo), no notifications.
 * Uses the kit's {@link GatewayHttp} over {@link AxiosGatewayTransport} unless a {@link GatewayTransport}
 * is provided.
 */
@RefundGatewayProvider()
@Injectable()
export class SerialGatewayAdapter implements RefundGateway {
  readonly id = SERIAL_GATEWAY_ID;
  readonly capabilities: Partial<GatewayCapabilities> = { oneRefundInFlightPerOrder: true };
  private readonly http: GatewayHttp;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(
    @Inject(SERIAL_GATEWAY_OPTIONS) options: SerialGatewayOptions,
    @Optional() @Inject(GatewayTransport) transport?: GatewayTransport,
  ) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.http = new GatewayHttp({ gateway: 'Serial', transport: transport ?? new AxiosGatewayTransport() });
  }

  validate(): GatewayValidation {
    return { problems: [], refusals: [] };
  }

  async submit(request: GatewayRefundRequest): Promise<GatewayOutcome> {
    const orderRef = request.order.merchantOrderNo ?? `gw:${request.order.gatewayOrderNo ?? ''}`;
    const answer = await this.call('/refund', `refund ${request.merchantId}/${request.refundNo}`, {
      merchantId: request.merchantId,
      orderRef,
      refundNo: request.refundNo,
      amount: request.amount,
    });
    if (answer.kind === 'unknown') return answer;
    const value = answer.value;
    switch (value.result) {
      case 'ACCEPTED':
        return (
          this.mismatch(request, value) ?? {
            kind: 'processing',
            rawStatus: String(value.status),
            gatewayRefundNo: optionalString(value.gatewayRefundNo),
          }
        );
      case 'NOT_SUPPORT_CONCURRENT':
        return {
          kind: 'deferred',
          code: 'NOT_SUPPORT_CONCURRENT',
          message: optionalString(value.message) ?? 'another refund of this order is in flight',
          rawStatus: 'NOT_SUPPORT_CONCURRENT',
        };
      default:
        return unknownOutcome('unrecognized', `Serial answered result '${value.result}' to a refund`, {
          code: value.result,
          message: optionalString(value.message),
        });
    }
  }

  async query(query: GatewayRefundQuery): Promise<GatewayQueryOutcome> {
    const answer = await this.call('/query', `query ${query.merchantId}/${query.refundNo}`, {
      merchantId: query.merchantId,
      refundNo: query.refundNo,
    });
    if (answer.kind === 'unknown') return answer;
    const value = answer.value;
    switch (value.result) {
      case 'FOUND': {
        const mismatch = this.mismatch(query, value);
        if (mismatch) return mismatch;
        const gatewayRefundNo = optionalString(value.gatewayRefundNo);
        if (value.status === 'PROCESSING') return { kind: 'processing', rawStatus: 'PROCESSING', gatewayRefundNo };
        if (value.status === 'SUCCEEDED') return { kind: 'succeeded', rawStatus: 'SUCCEEDED', gatewayRefundNo };
        return unknownOutcome('unrecognized', `Serial answered status '${String(value.status)}' to a query`, {
          rawStatus: String(value.status),
        });
      }
      case 'NOT_FOUND':
        return { kind: 'not_found', code: 'NOT_FOUND', message: optionalString(value.message) ?? 'no such refund' };
      default:
        return unknownOutcome('unrecognized', `Serial answered result '${value.result}' to a query`, {
          code: value.result,
          message: optionalString(value.message),
        });
    }
  }

  private async call(
    path: string,
    what: string,
    body: Record<string, unknown>,
  ): Promise<{ kind: 'parsed'; value: Answer } | UnknownOutcome> {
    const answer = await this.http.post({
      url: `${this.baseUrl}${path}`,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
      timeoutMs: this.timeoutMs,
      what,
    });
    if (answer.kind === 'unknown') return answer;
    return this.http.parse({ text: answer.text, parse: parseAnswer, what });
  }

  private mismatch(refund: { refundNo: string; amount: number }, value: Answer): UnknownOutcome | undefined {
    return answerMismatch({
      gateway: 'Serial',
      expected: { refundNo: refund.refundNo, amount: refund.amount },
      answered: {
        refundNo: optionalString(value.refundNo),
        amount: typeof value.amount === 'number' ? value.amount : undefined,
      },
      rawStatus: optionalString(value.status),
    });
  }
}

function parseAnswer(text: string): Answer {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || typeof (value as { result?: unknown }).result !== 'string') {
    throw new Error('no result field');
  }
  return value as Answer;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
