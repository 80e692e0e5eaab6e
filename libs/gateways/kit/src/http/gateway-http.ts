import { Logger } from '@nestjs/common';
import { escapeForLog, type UnknownOutcome } from '@refundhub/core';

import { unknownOutcome } from '../mapping/unknown-outcome';
import type { GatewayTransport, TransportRequest, TransportResult } from './gateway-transport';

/** A 2xx answer whose body the adapter may now parse and verify. */
export interface AnswerBody {
  kind: 'body';
  text: string;
  status: number;
  headers: Record<string, string>;
}

/** A body the adapter's parser could read. */
export interface ParsedAnswer<T> {
  kind: 'parsed';
  value: T;
}

/**
 * Turns what the transport returned into a body to read, or the {@link UnknownOutcome} it already is:
 * no answer (`timeout`, `connection`) or an answer that is not a 2xx (`http_5xx`, whatever the status:
 * a gateway that answered 4xx or 3xx to a signed request still did not tell us the refund's state).
 *
 * @param gateway display name used in the outcome's detail, e.g. `Leshua`.
 */
export function classifyAnswer(input: { gateway: string; result: TransportResult }): AnswerBody | UnknownOutcome {
  const { gateway, result } = input;
  if (result.kind === 'failure') return unknownOutcome(result.reason, `${gateway}: ${result.detail}`);
  if (result.status < 200 || result.status > 299) {
    return unknownOutcome('http_5xx', `${gateway} answered HTTP ${result.status}`);
  }
  return { kind: 'body', text: result.body, status: result.status, headers: result.headers };
}

/**
 * Runs the adapter's parser; a throw means the body is not the gateway's format (`malformed`), which
 * must end as an unknown outcome rather than an adapter error. Any throw counts: parsers of XML, JSON
 * and nested JSON strings fail in too many ways to list.
 */
export function parseOrUnknown<T>(input: {
  gateway: string;
  text: string;
  parse: (text: string) => T;
}): ParsedAnswer<T> | UnknownOutcome {
  try {
    return { kind: 'parsed', value: input.parse(input.text) };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return unknownOutcome('malformed', `${input.gateway} answered an unreadable body: ${why}`);
  }
}

/**
 * The HTTP step of an adapter: post through the {@link GatewayTransport}, classify, parse, and log each
 * step at debug level. Logs carry the operation and sizes, never bodies, headers or keys. Not
 * injectable itself: a gateway module provides one per gateway with a factory.
 *
 * @example
 * ```ts
 * { provide: GatewayHttp, useFactory: (t: GatewayTransport) => new GatewayHttp({ gateway: 'Leshua', transport: t }), inject: [GatewayTransport] }
 * ```
 */
export class GatewayHttp {
  readonly gateway: string;
  private readonly transport: GatewayTransport;
  private readonly logger: Logger;

  constructor(options: { gateway: string; transport: GatewayTransport }) {
    this.gateway = options.gateway;
    this.transport = options.transport;
    this.logger = new Logger(`${options.gateway}Http`);
  }

  /** @param request.what what the call is, for logs only: `unified_refund for merchant 0000000018`. */
  async post(request: TransportRequest & { what: string }): Promise<AnswerBody | UnknownOutcome> {
    const { what, ...call } = request;
    const answer = classifyAnswer({ gateway: this.gateway, result: await this.transport.post(call) });
    if (answer.kind === 'body') {
      this.logger.debug(
        escapeForLog(`${what}: answered HTTP ${answer.status} (${Buffer.byteLength(answer.text)} bytes)`),
      );
    } else {
      this.logger.debug(escapeForLog(`${what}: ${answer.detail}`));
    }
    return answer;
  }

  /**
   * One call: post, classify, and parse a 2xx body with `parse`. Whatever prevents reading an answer is
   * the {@link UnknownOutcome} it already is; verifying and mapping what was read is the adapter's.
   */
  async exchange<T>(
    request: TransportRequest & { what: string; parse: (text: string) => T },
  ): Promise<{ kind: 'answer'; fields: T } | UnknownOutcome> {
    const { parse, ...call } = request;
    const answer = await this.post(call);
    if (answer.kind !== 'body') return answer;
    const parsed = this.parse({ text: answer.text, parse, what: request.what });
    return parsed.kind === 'parsed' ? { kind: 'answer', fields: parsed.value } : parsed;
  }

  /** {@link parseOrUnknown} with this gateway's name, logging an unreadable body at debug level. */
  parse<T>(input: { text: string; parse: (text: string) => T; what: string }): ParsedAnswer<T> | UnknownOutcome {
    const parsed = parseOrUnknown({ gateway: this.gateway, text: input.text, parse: input.parse });
    if (parsed.kind === 'unknown') this.logger.debug(escapeForLog(`${input.what}: ${parsed.detail}`));
    return parsed;
  }
}
