import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';

import type { AuthenticatedRequest } from './caller.decorator';

/**
 * Lets through only a key with the `operator` scope (`api.keys[].scopes`). It runs after the API key
 * guard and before the body is read, so a key without the scope hears 403 whatever it sent.
 */
@Injectable()
export class OperatorScopeGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const { caller } = context.switchToHttp().getRequest<Partial<AuthenticatedRequest>>();
    if (caller?.scopes?.includes('operator')) return true;
    throw new ForbiddenException({
      statusCode: 403,
      error: 'Forbidden',
      code: 'OPERATOR_SCOPE_REQUIRED',
      message: "This API key may not settle refunds: it needs the 'operator' scope (api.keys[].scopes)",
    });
  }
}
