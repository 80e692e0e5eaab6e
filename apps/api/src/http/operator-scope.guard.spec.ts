import { ExecutionContext, ForbiddenException } from '@nestjs/common';

import type { ApiKeyRecord } from './api-keys';
import { OperatorScopeGuard } from './operator-scope.guard';

function contextOf(caller: ApiKeyRecord | undefined): ExecutionContext {
  return { switchToHttp: () => ({ getRequest: () => ({ caller }) }) } as unknown as ExecutionContext;
}

const key = (scopes?: ApiKeyRecord['scopes']): ApiKeyRecord => ({
  name: 'k',
  sha256: 'a'.repeat(64),
  scope: '*',
  scopes,
});

describe(OperatorScopeGuard.name, () => {
  const sut = new OperatorScopeGuard();

  it('lets a key with the operator scope through', () => {
    expect(sut.canActivate(contextOf(key(['operator'])))).toBe(true);
  });

  it.each([
    ['no scopes', key()],
    ['empty scopes', key([])],
    ['no caller', undefined],
  ])('refuses %s with 403 OPERATOR_SCOPE_REQUIRED', (_what, caller) => {
    expect(() => sut.canActivate(contextOf(caller))).toThrow(ForbiddenException);
    try {
      sut.canActivate(contextOf(caller));
    } catch (error) {
      expect((error as ForbiddenException).getResponse()).toMatchObject({ code: 'OPERATOR_SCOPE_REQUIRED' });
    }
  });
});
