import type { FastifyInstance } from 'fastify';

/**
 * Once shutdown has begun, every answer closes its connection. The server stops accepting at once,
 * but a keep-alive connection whose request was in flight would otherwise stay open after its answer
 * for the whole keep-alive timeout, and the process with it.
 */
export function closeConnectionsWhenStopping(fastify: FastifyInstance, isStopping: () => boolean): void {
  // A callback hook: it runs on every answer, and an async one costs Fastify a promise each time.
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (isStopping()) void reply.header('connection', 'close');
    done(null, payload);
  });
}
