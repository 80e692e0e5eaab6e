import { createParamDecorator, ExecutionContext, InternalServerErrorException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import type { ApiKeyRecord } from './api-keys';

/** A request that passed {@link ApiKeyGuard}: `caller` is the matching key's record. */
export type AuthenticatedRequest = FastifyRequest & { caller: ApiKeyRecord };

/** The API key record of the caller, as attached by {@link ApiKeyGuard}. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): ApiKeyRecord => {
  const request = context.switchToHttp().getRequest<Partial<AuthenticatedRequest>>();
  // Only a @Public() route can get here without a caller: a programming error, not a 401.
  if (!request.caller) throw new InternalServerErrorException('No authenticated caller on this route');
  return request.caller;
});
