import { CanActivate, ExecutionContext, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { ApiKeyDirectory } from './api-key-directory';
import { API_KEYS, ApiKeyRecord } from './api-keys';
import type { AuthenticatedRequest } from './caller.decorator';
import { IS_PUBLIC_ROUTE } from './public.decorator';

/** The scheme with nothing after it: the key is missing, not in another scheme. */
const BEARER_ALONE = /^Bearer[ \t]*$/i;

/**
 * `Authorization: Bearer <key>` on every route not marked {@link Public}. The key is hashed and
 * compared with the configured SHA-256 digests; the key itself is never stored or logged. On a
 * public route a valid key still names the caller (`/health` tells it more), and anything else is
 * ignored there.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly logger = new Logger(ApiKeyGuard.name);
  private readonly keys: ApiKeyDirectory;

  constructor(
    @Inject(API_KEYS) records: readonly ApiKeyRecord[],
    private readonly reflector: Reflector,
  ) {
    this.keys = new ApiKeyDirectory(records);
    if (this.keys.size === 0) this.logger.warn('No API keys configured: every protected route answers 401');
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
      const record = this.keys.fromHeader(header);
      if (record) (request as AuthenticatedRequest).caller = record;
      return true;
    }

    const reply = http.getResponse<FastifyReply>();
    if (!header || BEARER_ALONE.test(header)) {
      return this.reject(reply, 'Missing API key: send Authorization: Bearer <key>', false);
    }
    const key = ApiKeyDirectory.bearerToken(header);
    if (!key) return this.reject(reply, 'Authorization must use the Bearer scheme', true);

    const record = this.keys.find(key);
    if (!record) return this.reject(reply, 'Invalid API key', true);

    (request as AuthenticatedRequest).caller = record;
    return true;
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
