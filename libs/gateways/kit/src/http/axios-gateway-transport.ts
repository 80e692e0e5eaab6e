import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { escapeForLog } from '@refundhub/core';
import axios, { AxiosError, AxiosHeaders, type AxiosInstance, type AxiosResponse } from 'axios';

import { createGatewayAgents, destroyGatewayAgents, type GatewayAgents } from './gateway-agents';
import { GatewayTransport, type TransportRequest, type TransportResult } from './gateway-transport';

/** Error codes and names that mean "the deadline passed", whichever layer noticed first. */
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  AxiosError.ECONNABORTED,
  AxiosError.ETIMEDOUT,
  AxiosError.ERR_CANCELED,
]);
const TIMEOUT_NAMES: ReadonlySet<string> = new Set(['AbortError', 'TimeoutError', 'CanceledError']);

type Failure = Extract<TransportResult, { kind: 'failure' }>;

/**
 * The default {@link GatewayTransport}: axios itself rather than `@nestjs/axios`, so there is no
 * Observable, no shared `HttpService` defaults leaking in, and nothing that may throw.
 *
 * Bodies are read as text and never transformed (signatures cover the exact bytes), every status is
 * an answer, redirects are not followed (a gateway that redirects a signed POST is misconfigured).
 * Sockets are kept alive in agents this transport owns and closes on application shutdown, so a
 * process ends without waiting for idle sockets. A single timer bounds the whole call, since a
 * socket timeout alone lets a server that trickles bytes hold a call forever. Logs only at debug
 * level, and never bodies or headers.
 */
@Injectable()
export class AxiosGatewayTransport extends GatewayTransport implements OnApplicationShutdown {
  private readonly logger = new Logger(AxiosGatewayTransport.name);
  private readonly agents: GatewayAgents = createGatewayAgents();
  // Per-call config stays small: everything that never changes is an instance default.
  private readonly http: AxiosInstance = axios.create({
    httpAgent: this.agents.http,
    httpsAgent: this.agents.https,
    responseType: 'text',
    responseEncoding: 'utf8',
    transformRequest: [(data: unknown) => data],
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    maxRedirects: 0,
  });

  post(request: TransportRequest): Promise<TransportResult> {
    return new Promise<TransportResult>((resolve) => {
      let settled = false;
      let sent: ClientRequest | undefined;
      const settle = (result: TransportResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (result.kind === 'failure') {
          this.logger.debug(escapeForLog(`POST ${hostOf(request.url)} got no answer: ${result.detail}`));
        }
        resolve(result);
      };
      // The deadline answers by itself rather than through axios: whatever axios does with the
      // destroyed request afterwards, the call has ended at timeoutMs.
      const timer = setTimeout(() => {
        sent?.destroy();
        settle(describeFailure(null, { deadlinePassed: true, timeoutMs: request.timeoutMs }));
      }, request.timeoutMs);
      const transport = {
        request: (options: RequestOptions, onResponse: (response: IncomingMessage) => void): ClientRequest => {
          sent = (options.protocol === 'https:' ? httpsRequest : httpRequest)(options, onResponse);
          if (settled) sent.destroy();
          return sent;
        },
      };
      this.http
        .request<unknown>({
          method: 'POST',
          url: request.url,
          data: request.body,
          headers: { ...request.headers },
          transport,
        })
        .then(
          (response) =>
            settle({
              kind: 'answer',
              status: response.status,
              body: bodyText(response.data),
              headers: flatHeaders(response),
            }),
          (error: unknown) => settle(describeFailure(error, { deadlinePassed: false, timeoutMs: request.timeoutMs })),
        );
    });
  }

  onApplicationShutdown(): void {
    destroyGatewayAgents(this.agents);
  }
}

/** Classifies a thrown error: only the deadline is a timeout, anything else is a connection failure. */
export function describeFailure(error: unknown, context: { deadlinePassed: boolean; timeoutMs: number }): Failure {
  if (context.deadlinePassed || isTimeout(error)) {
    return { kind: 'failure', reason: 'timeout', detail: `no answer within ${context.timeoutMs} ms` };
  }
  return { kind: 'failure', reason: 'connection', detail: `connection error (${errorLabel(error)})` };
}

function isTimeout(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && TIMEOUT_CODES.has(code)) || TIMEOUT_NAMES.has(error.name);
}

function errorLabel(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && code !== '' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

function bodyText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return data === undefined || data === null ? '' : String(data);
}

/** Header names in lower case; repeated headers joined with `, ` as HTTP allows. */
function flatHeaders(response: AxiosResponse): Record<string, string> {
  const headers: Record<string, string> = {};
  const raw = AxiosHeaders.from(response.headers as AxiosHeaders).toJSON(true);
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
  }
  return headers;
}

/** Logs name the host only: paths and query strings of some gateways carry merchant data. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}
