import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { AuthenticatedRequest } from '../caller.decorator';
import { HTTP_API_OPTIONS, HttpApiModuleOptions } from '../http-api.module-definition';

/**
 * `/metrics` is marked public, so the API key guard only names a caller whose key is valid; this guard
 * then lets anyone through when `api.metrics.public` is set, and otherwise only such a caller, with
 * the same 401 as every other protected route.
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  constructor(@Inject(HTTP_API_OPTIONS) private readonly options: HttpApiModuleOptions) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.options.metrics?.public) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & Partial<AuthenticatedRequest>>();
    if (request.caller) return true;
    const presented = Boolean(request.headers.authorization?.trim().replace(/^Bearer\s*/i, ''));
    http
      .getResponse<FastifyReply>()
      .header(
        'WWW-Authenticate',
        presented ? 'Bearer realm="refundhub", error="invalid_token"' : 'Bearer realm="refundhub"',
      );
    throw new UnauthorizedException({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'UNAUTHORIZED',
      message: presented
        ? 'Invalid API key (or api.metrics.public: true to open /metrics to anyone)'
        : 'Missing API key: send Authorization: Bearer <key>',
    });
  }
}
