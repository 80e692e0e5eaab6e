import { createHash, timingSafeEqual } from 'node:crypto';

import { CanActivate, ExecutionContext, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { API_KEYS, ApiKeyRecord } from './api-keys';
import type { AuthenticatedRequest } from './caller.decorator';
import { IS_PUBLIC_ROUTE } from './public.decorator';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
/** The scheme with nothing after it: the key is missing, not in another scheme. */
const BEARER_ALONE = /^Bearer[ \t]*$/i;

interface KnownKey {
  digest: Buffer;
  record: ApiKeyRecord;
}

/**
 * `Authorization: Bearer <key>` on every route not marked {@link Public}. The key is hashed and
 * compared with the configured SHA-256 digests; the key itself is never stored or logged. On a
 * public route a valid key still names the caller (`/health` tells it more), and anything else is
 * ignored there.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly logger = new Logger(ApiKeyGuard.name);
  private readonly keys: KnownKey[];

  constructor(
    @Inject(API_KEYS) records: readonly ApiKeyRecord[],
    private readonly reflector: Reflector,
  ) {
    this.keys = records.map((record) => {
      const hex = record.sha256.toLowerCase();
      // A typo in a digest would silently lock a client out: fail the boot instead.
      if (!SHA256_HEX.test(hex)) throw new Error(`API key '${record.name}': sha256 must be 64 hex characters`);
      return { digest: Buffer.from(hex, 'hex'), record };
    });
    if (this.keys.length === 0) this.logger.warn('No API keys configured: every protected route answers 401');
  }

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const header = request.headers.authorization;
    if (isPublic) {
      const key = header ? BEARER.exec(header)?.[1] : undefined;
      const record = key ? this.find(key) : undefined;
      if (record) (request as AuthenticatedRequest).caller = record;
      return true;
    }

    const reply = http.getResponse<FastifyReply>();
    if (!header || BEARER_ALONE.test(header)) {
      return this.reject(reply, 'Missing API key: send Authorization: Bearer <key>', false);
    }
    const match = BEARER.exec(header);
    if (!match) return this.reject(reply, 'Authorization must use the Bearer scheme', true);

    const record = this.find(match[1]);
    if (!record) return this.reject(reply, 'Invalid API key', true);

    (request as AuthenticatedRequest).caller = record;
    return true;
  }

  private find(key: string): ApiKeyRecord | undefined {
    const digest = createHash('sha256').update(key, 'utf8').digest();
    let found: ApiKeyRecord | undefined;
    // No early exit: the time taken should not tell which configured key came closest.
    for (const known of this.keys) {
      if (timingSafeEqual(known.digest, digest) && !found) found = known.record;
    }
    return found;
  }

  private reject(reply: FastifyReply, message: string, invalidToken: boolean): never {
    // RFC 6750 §3: say which scheme we want, and flag a presented-but-bad credential.
    reply.header(
      'WWW-Authenticate',
      invalidToken ? 'Bearer realm="refundhub", error="invalid_token"' : 'Bearer realm="refundhub"',
    );
    throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', code: 'UNAUTHORIZED', message });
  }
}
