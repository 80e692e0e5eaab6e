import { Injectable, Logger } from '@nestjs/common';
import { escapeForLog } from '@refundhub/core';
import axios, { AxiosError, AxiosHeaders, type AxiosInstance, type AxiosResponse } from 'axios';

import { GatewayTransport, type TransportRequest, type TransportResult } from './gateway-transport';

/** Error codes and names that mean "the deadline passed", whichever layer noticed first. */
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  AxiosError.ECONNABORTED,
  AxiosError.ETIMEDOUT,
  AxiosError.ERR_CANCELED,
]);
const TIMEOUT_NAMES: ReadonlySet<string> = new Set(['AbortError', 'TimeoutError', 'CanceledError']);

/**
 * The default {@link GatewayTransport}: axios itself rather than `@nestjs/axios`, so there is no
 * Observable, no shared `HttpService` defaults leaking in, and nothing that may throw.
 *
 * Bodies are read as text and never transformed (signatures cover the exact bytes), every status is
 * an answer, redirects are not followed (a gateway that redirects a signed POST is misconfigured),
 * and an abort signal bounds the whole call, since a socket timeout alone lets a server that trickles
 * bytes hold a call forever. Logs only at debug level, and never bodies or headers.
 */
@Injectable()
export class AxiosGatewayTransport extends GatewayTransport {
  private readonly logger = new Logger(AxiosGatewayTransport.name);
  private readonly http: AxiosInstance = axios.create();

  async post(request: TransportRequest): Promise<TransportResult> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), request.timeoutMs);
    try {
      const response = await this.http.request<unknown>({
        method: 'POST',
        url: request.url,
        data: request.body,
        headers: { ...request.headers },
        timeout: request.timeoutMs,
        signal: deadline.signal,
        responseType: 'text',
        responseEncoding: 'utf8',
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
        maxRedirects: 0,
      });
      return {
        kind: 'answer',
        status: response.status,
        body: bodyText(response.data),
        headers: flatHeaders(response),
      };
    } catch (error) {
      const failure = describeFailure(error, {
        deadlinePassed: deadline.signal.aborted,
        timeoutMs: request.timeoutMs,
      });
      this.logger.debug(escapeForLog(`POST ${hostOf(request.url)} got no answer: ${failure.detail}`));
      return failure;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Classifies a thrown error: only the deadline is a timeout, anything else is a connection failure. */
export function describeFailure(
  error: unknown,
  context: { deadlinePassed: boolean; timeoutMs: number },
): Extract<TransportResult, { kind: 'failure' }> {
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
