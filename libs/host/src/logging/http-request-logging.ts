import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Logger as Pino } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';

import { REQUEST_ID_HEADER, RequestIdSource, requestIdFor } from './request-id';

/** What the line at the end of each request says: nothing of its headers, body or query string. */
export interface RequestSummary {
  method: string;
  /** The URL's path; the query string is left out, since filters name customers' orders. */
  path: string;
  statusCode: number;
  /** Milliseconds from the request's arrival to the end of the answer. */
  responseTime: number;
}

type Request = IncomingMessage & { originalUrl?: string };

/**
 * pino-http for the API: each request gets an id (the caller's sane `X-Request-Id`, otherwise a new
 * one), answered in `X-Request-Id` and bound as `reqId` to every line logged while it is served; one
 * line when it ends, at `info` (`error` for a 5xx), holding only a {@link RequestSummary}.
 */
export function httpRequestLogging(root: Pino, ids: RequestIdSource): PinoHttpOptions<Request, ServerResponse> {
  const summary = (req: Request, res: ServerResponse, responseTime: number): RequestSummary => ({
    method: req.method ?? '',
    path: pathOf(req.originalUrl ?? req.url ?? ''),
    statusCode: res.statusCode,
    responseTime,
  });
  return {
    logger: root,
    genReqId: (req, res) => {
      const id = requestIdFor(req.headers[REQUEST_ID_HEADER], ids);
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    // Lines logged while serving carry the request id only, not the request itself.
    quietReqLogger: true,
    quietResLogger: true,
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (req, res, value: { responseTime: number }) => summary(req, res, value.responseTime),
    // The failure was logged by whoever answered 500; this line says only which request it was.
    customErrorObject: (req, res, _error, value: { responseTime: number }) => summary(req, res, value.responseTime),
  };
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
