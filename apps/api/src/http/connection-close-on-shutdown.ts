import type { FastifyInstance } from 'fastify';

/**
 * Once shutdown has begun, every answer closes its connection. The server stops accepting at once,
 * but a keep-alive connection whose request was in flight would otherwise stay open after its answer
 * for the whole keep-alive timeout, and the process with it.
 */
export function closeConnectionsWhenStopping(fastify: FastifyInstance, isStopping: () => boolean): void {
  fastify.addHook('onSend', async (_request, reply, payload) => {
    if (isStopping()) void reply.header('connection', 'close');
    return payload;
  });
}
