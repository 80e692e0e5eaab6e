import { Transform, type Readable } from 'node:stream';

import { Logger, PayloadTooLargeException } from '@nestjs/common';
import { textForLog } from '@refundhub/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Route config flag (`@RouteConfig({ [RAW_BODY]: true })`) for routes whose handler must see the
 * request body exactly as sent.
 */
export const RAW_BODY = 'refundhubRawBody';

/** Private media type that only the raw-body parser answers to. */
const RAW_MEDIA_TYPE = 'application/x-refundhub-raw';

/** A request on a raw-body route: `body` is the exact bytes (empty when none were sent). */
export type RawBodyRequest = FastifyRequest & { body: Buffer | undefined };

/** The largest body, in bytes, a request on a raw-body route may send (it may depend on the route's params). */
export type RawBodyLimit = (request: FastifyRequest) => number;

export interface RawBodyOptions {
  /** Default: the Fastify instance's own `bodyLimit`, the same for every request. */
  limit?: RawBodyLimit;
}

/**
 * The answer to a body over its limit: 413 `BODY_TOO_LARGE` in the API's error shape (the app's error
 * filter answers it; `statusCode` is there too for Fastify, which reads it off a failed body stream).
 */
class BodyTooLargeException extends PayloadTooLargeException {
  readonly statusCode = 413;
  constructor(limit: number) {
    super({
      statusCode: 413,
      error: 'Payload Too Large',
      code: 'BODY_TOO_LARGE',
      message: `The body is over this route's limit of ${limit} bytes`,
    });
  }
}

const logger = new Logger('RawBody');

/**
 * Gives routes flagged with {@link RAW_BODY} the request body as the exact bytes sent, whatever
 * the Content-Type, and leaves every other route's parsing untouched.
 *
 * Gateway notifications are signed over their bytes and arrive as XML with odd content types,
 * GBK or UTF-8 forms, JSON, or with no content type at all. Re-encoding a parsed body (or even
 * decoding text/plain as UTF-8) can break a valid signature, and a body that fails to parse
 * must still reach the gateway adapter, which owns the answer the gateway expects. Fastify
 * picks a parser by Content-Type only, so an `onRequest` hook points flagged routes at one
 * private media type whose parser keeps the Buffer. The hook sets `request.headers` (Fastify's
 * documented overlay); the original headers stay in `request.raw.headers`, which is what the
 * route must read. JSON and form parsing for the other routes (Nest's own, registered at init,
 * with or without `rawBody: true`) is not touched.
 *
 * These routes are open to anyone, so their bodies are capped by `options.limit`, per request: a
 * declared length over it is refused (413 `BODY_TOO_LARGE`, and the connection closed) before a
 * byte of the body is read, and a body sent without a length is refused as soon as it passes the
 * limit. The refusal is logged, without the body.
 *
 * Call once on the app's Fastify instance before `app.listen()` / `instance.ready()`.
 */
export function registerRawBodyParsers(fastify: FastifyInstance, options: RawBodyOptions = {}): void {
  if (fastify.hasContentTypeParser(RAW_MEDIA_TYPE)) return;
  const limitOf: RawBodyLimit = options.limit ?? (() => fastify.initialConfig.bodyLimit ?? 1024 * 1024);

  fastify.addContentTypeParser(RAW_MEDIA_TYPE, { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body);
  });

  // Callback hooks, not async ones: they run on every request, and an async hook costs Fastify a promise each time.
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (isRawBodyRoute(request)) request.headers = { 'content-type': RAW_MEDIA_TYPE };
    done();
  });

  fastify.addHook('preParsing', (request, reply, payload, done) => {
    if (!isRawBodyRoute(request)) return done(null, payload);
    const limit = limitOf(request);
    const declared = Number(request.raw.headers['content-length']);
    if (declared > limit) return done(refuse(request, reply, { limit, received: `declared ${declared} bytes` }));
    done(
      null,
      capped(payload, limit, () => refuse(request, reply, { limit, received: `more than ${limit} bytes sent` })),
    );
  });
}

function isRawBodyRoute(request: FastifyRequest): boolean {
  const config: object | undefined = request.routeOptions.config;
  return !!config && (config as Record<string, unknown>)[RAW_BODY] === true;
}

/** Logs the refusal (never the body) and closes the connection after the answer: the rest is not read. */
function refuse(
  request: FastifyRequest,
  reply: FastifyReply,
  input: { limit: number; received: string },
): BodyTooLargeException {
  logger.warn(
    `Refused the body of ${request.method} ${textForLog(request.url, 256)}: ${input.received}, ` +
      `over its limit of ${input.limit}`,
  );
  void reply.header('connection', 'close');
  return new BodyTooLargeException(input.limit);
}

/** `payload` passed through as it is, failing with `tooLarge()` once more than `limit` bytes went by. */
function capped(payload: Readable, limit: number, tooLarge: () => Error): Readable {
  let received = 0;
  const gate = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > limit) callback(tooLarge());
      else callback(null, chunk);
    },
  });
  payload.on('error', (error) => gate.destroy(error));
  return payload.pipe(gate);
}
