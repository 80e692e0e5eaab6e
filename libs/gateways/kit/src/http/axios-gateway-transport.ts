import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { escapeForLog } from '@refundhub/core';
import axios, { AxiosHeaders, type AxiosInstance, type AxiosResponse } from 'axios';

import { createGatewayAgents, destroyGatewayAgents, type GatewayAgents } from './gateway-agents';
import { GatewayTransport, type TransportRequest, type TransportResult } from './gateway-transport';
import { describeFailure, hostOf } from './transport-failure';

// Where it always was, for code that imported it from here.
export { describeFailure } from './transport-failure';

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
