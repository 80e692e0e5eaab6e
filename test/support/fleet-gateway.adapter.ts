import { Inject, Injectable } from '@nestjs/common';
import {
  RefundGatewayProvider,
  type GatewayOutcome,
  type GatewayQueryOutcome,
  type GatewayRefundQuery,
  type GatewayValidation,
  type RefundGateway,
} from '@refundhub/core';
import { AxiosGatewayTransport, GatewayHttp, answerMismatch, unknownOutcome } from '@refundhub/gateway-kit';

export const FLEET_GATEWAY_ID = 'fleet';

/** Injection token of {@link FleetGatewayOptions}. */
export const FLEET_GATEWAY_OPTIONS = Symbol('FLEET_GATEWAY_OPTIONS');

export interface FleetGatewayOptions {
  /** Where the fleet gateway (`bench/lib/fleet-gateway.js`) listens. */
  baseUrl: string;
  /** Sent as `x-fleet-caller`, so that the gateway counts each process's queries. */
  caller: string;
  /**
   * Deadline of one call. Default 25 s, under the core's own 30 s: on a loaded machine a process on a
   * shared SQLite file can hold its event loop in a busy wait for seconds, and a query that timed out
   * would be asked again, which the fleet's exact counts rightly refuse.
   */
  timeoutMs?: number;
}

/** A JSON answer of the fleet gateway, read defensively: any field may be missing. */
interface Answer {
  result: string;
  [field: string]: unknown;
}

/**
 * {@link RefundGateway} for the fleet gateway: queries only. Its refunds are seeded there already
 * accepted, and the scheduler fleet only queries them; a submission would be a fault of the core, so
 * it answers `unknown` and the gateway never sees it. Calls go through the kit's {@link GatewayHttp}
 * over axios, as the real adapters' do.
 */
@RefundGatewayProvider()
@Injectable()
export class FleetGatewayAdapter implements RefundGateway {
  readonly id = FLEET_GATEWAY_ID;
  private readonly http = new GatewayHttp({ gateway: 'Fleet', transport: new AxiosGatewayTransport() });
  private readonly baseUrl: string;

  constructor(@Inject(FLEET_GATEWAY_OPTIONS) private readonly options: FleetGatewayOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  validate(): GatewayValidation {
    return { problems: [], refusals: [] };
  }

  async submit(): Promise<GatewayOutcome> {
    return unknownOutcome('unrecognized', 'the fleet gateway takes no submissions: its refunds are seeded');
  }

  async query(query: GatewayRefundQuery): Promise<GatewayQueryOutcome> {
    const what = `query ${query.merchantId}/${query.refundNo}`;
    const answer = await this.http.exchange({
      url: `${this.baseUrl}/query`,
      body: JSON.stringify({ merchantId: query.merchantId, refundNo: query.refundNo, amount: query.amount }),
      headers: { 'content-type': 'application/json', 'x-fleet-caller': this.options.caller },
      timeoutMs: this.options.timeoutMs ?? 25_000,
      what,
      parse: parseAnswer,
    });
    if (answer.kind === 'unknown') return answer;
    const value = answer.fields;
    if (value.result === 'NOT_FOUND') {
      return { kind: 'not_found', code: 'NOT_FOUND', message: String(value.message ?? 'no such refund') };
    }
    if (value.result !== 'FOUND') {
      return unknownOutcome('unrecognized', `Fleet answered result '${value.result}' to a query`);
    }
    const mismatch = answerMismatch({
      gateway: 'Fleet',
      expected: { refundNo: query.refundNo, amount: query.amount },
      answered: {
        refundNo: typeof value.refundNo === 'string' ? value.refundNo : undefined,
        amount: typeof value.amount === 'number' ? value.amount : undefined,
      },
      rawStatus: String(value.status),
    });
    if (mismatch) return mismatch;
    const gatewayRefundNo = typeof value.gatewayRefundNo === 'string' ? value.gatewayRefundNo : undefined;
    if (value.status === 'PROCESSING') return { kind: 'processing', rawStatus: 'PROCESSING', gatewayRefundNo };
    if (value.status === 'SUCCEEDED') return { kind: 'succeeded', rawStatus: 'SUCCEEDED', gatewayRefundNo };
    return unknownOutcome('unrecognized', `Fleet answered status '${String(value.status)}' to a query`, {
      rawStatus: String(value.status),
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
