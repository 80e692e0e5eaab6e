import { type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { escapeForLog } from '@refundhub/core';

import { createGatewayAgents, destroyGatewayAgents, type GatewayAgents } from './gateway-agents';
import { GatewayTransport, type TransportRequest, type TransportResult } from './gateway-transport';
import { describeFailure, hostOf } from './transport-failure';

/**
 * Headers sent unless the adapter gives its own. The Content-Type is the one axios defaulted a POST
 * to, so no gateway sees a change; no Accept-Encoding, so answers come uncompressed (they are a few
 * hundred bytes, and compressing them costs both ends more than it saves).
 */
const DEFAULT_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/x-www-form-urlencoded',
  accept: 'application/json, text/plain, */*',
  'user-agent': 'refundhub-gateway-kit',
};

/**
 * A {@link GatewayTransport} on node:http/https directly: the same contract as
 * {@link AxiosGatewayTransport} (never throws, bodies as exact text, every status an answer, no
 * redirects, lowercase headers, one deadline over the whole call) at about half its CPU per call,
 * since axios's config merging, header objects and promise chain cost more than the request itself
 * on a loopback-fast gateway. Keep-alive sockets live in agents this transport owns and closes on
 * application shutdown.
 */
@Injectable()
export class NodeHttpGatewayTransport extends GatewayTransport implements OnApplicationShutdown {
  private readonly logger = new Logger(NodeHttpGatewayTransport.name);
  private readonly agents: GatewayAgents = createGatewayAgents();

  post(request: TransportRequest): Promise<TransportResult> {
    return new Promise<TransportResult>((resolve) => {
      let sent: ClientRequest | undefined;
      let settled = false;
      const settle = (result: TransportResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (result.kind === 'failure') {
          sent?.destroy();
          this.logger.debug(escapeForLog(`POST ${hostOf(request.url)} got no answer: ${result.detail}`));
        }
        resolve(result);
      };
      const fail = (error: unknown): void =>
        settle(describeFailure(error, { deadlinePassed: false, timeoutMs: request.timeoutMs }));
      const timer = setTimeout(
        () => settle(describeFailure(null, { deadlinePassed: true, timeoutMs: request.timeoutMs })),
        request.timeoutMs,
      );
      try {
        sent = this.send(request, (response) => readAnswer(response, settle, fail));
        sent.on('error', fail);
      } catch (error) {
        // An unparsable URL or an invalid header throws synchronously from node:http.
        fail(error);
      }
    });
  }

  onApplicationShutdown(): void {
    destroyGatewayAgents(this.agents);
  }

  private send(request: TransportRequest, onResponse: (response: IncomingMessage) => void): ClientRequest {
    const url = new URL(request.url);
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') throw new Error(`unsupported protocol ${url.protocol}`);
    const headers: Record<string, string> = { ...DEFAULT_HEADERS };
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
    headers['content-length'] = String(Buffer.byteLength(request.body));
    const options = {
      method: 'POST',
      protocol: url.protocol,
      // URL keeps IPv6 literals bracketed; node:http wants them bare.
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      headers,
    };
    const sent = secure
      ? httpsRequest({ ...options, agent: this.agents.https }, onResponse)
      : httpRequest({ ...options, agent: this.agents.http }, onResponse);
    sent.end(request.body);
    return sent;
  }
}

/** Collects the answer's bytes; an answer cut short is a connection failure, not a shorter body. */
function readAnswer(
  response: IncomingMessage,
  settle: (result: TransportResult) => void,
  fail: (error: unknown) => void,
): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('error', fail);
  response.on('close', () => {
    if (!response.complete) fail(new Error('the connection closed before the answer was complete'));
  });
  response.on('end', () => {
    try {
      const body = decodeBody(Buffer.concat(chunks), response.headers['content-encoding']);
      settle({ kind: 'answer', status: response.statusCode ?? 0, body, headers: flatHeaders(response.headers) });
    } catch (error) {
      fail(error);
    }
  });
}

/**
 * UTF-8 text of the body, without a byte order mark (as axios read it, so parsers see the same text).
 * We ask for no compression; a gateway that compresses anyway is still read.
 */
function decodeBody(bytes: Buffer, encoding: string | undefined): string {
  const plain =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? gunzipSync(bytes)
      : encoding === 'deflate'
        ? inflateSync(bytes)
        : encoding === 'br'
          ? brotliDecompressSync(bytes)
          : bytes;
  const text = plain.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** node:http already lowercases names; repeated headers it keeps as a list are joined with `, `. */
function flatHeaders(raw: IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
