import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

import { validationFailed } from './validation.pipe';

/**
 * Fastify's answer to a request it cannot route (`frameworkErrors`), in the API's error shape.
 * Fastify's own answer quotes the path; this one never repeats what was sent.
 */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_BAD_URL') {
    // A percent-escape that does not decode to UTF-8 (`%ED%A0%80`, a lone surrogate; `%E0%A4%A`).
    void reply.code(400).send(validationFailed([{ field: 'path', message: 'is not valid percent-encoded UTF-8' }]));
    return;
  }
  void reply
    .code(400)
    .send({ statusCode: 400, error: 'Bad Request', code: 'BAD_REQUEST', message: 'The request could not be routed' });
}
