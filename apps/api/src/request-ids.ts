import type { FastifyInstance } from 'fastify';

import { REQUEST_ID_HEADER, RequestIdSource, requestIdFor } from '@refundhub/host';

/**
 * Fastify's request id is the one every log line of a request carries (nestjs-pino takes it as it
 * is): the caller's sane `X-Request-Id`, otherwise a new one.
 */
export function requestIdGenerator(ids: RequestIdSource): (req: { headers: Record<string, unknown> }) => string {
  return (req) => requestIdFor(req.headers[REQUEST_ID_HEADER] as string | string[] | undefined, ids);
}

/** Every answer names its request, so a caller can quote it when asking about one. */
export function echoRequestIds(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
}
