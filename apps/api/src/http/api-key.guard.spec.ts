import { ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { ApiKeyGuard } from './api-key.guard';
import type { AuthenticatedRequest } from './caller.decorator';
import { Public } from './public.decorator';
import { ADMIN_KEY, SHOP_A_KEY, TEST_API_KEYS, sha256Hex } from './testing/http-test-app';

class Routes {
  protectedRoute(): void {}
  @Public()
  publicRoute(): void {}
}

@Public()
class PublicRoutes {
  anyRoute(): void {}
}

interface Exchange {
  context: ExecutionContext;
  request: { headers: Record<string, string>; caller?: AuthenticatedRequest['caller'] };
  replyHeaders: Record<string, string>;
}

function exchange(
  headers: Record<string, string>,
  handler: () => void = Routes.prototype.protectedRoute,
  cls: object = Routes,
): Exchange {
  const request: Exchange['request'] = { headers };
  const replyHeaders: Record<string, string> = {};
  const reply = {
    header: (name: string, value: string) => {
      replyHeaders[name] = value;
      return reply;
    },
  };
  const context = {
    getHandler: () => handler,
    getClass: () => cls,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ExecutionContext;
  return { context, request, replyHeaders };
}

function rejection(sut: ApiKeyGuard, ex: Exchange): { status: number; body: unknown } {
  try {
    sut.canActivate(ex.context);
  } catch (error) {
    if (!(error instanceof UnauthorizedException)) throw error;
    return { status: error.getStatus(), body: error.getResponse() };
  }
  throw new Error('expected the guard to reject');
}

describe(ApiKeyGuard.name, () => {
  const sut = new ApiKeyGuard(TEST_API_KEYS, new Reflector());

  it('rejects a request without Authorization with 401 and a Bearer challenge', () => {
    const ex = exchange({});
    expect(rejection(sut, ex)).toEqual({
      status: 401,
      body: expect.objectContaining({ code: 'UNAUTHORIZED', message: expect.stringContaining('Missing API key') }),
    });
    expect(ex.replyHeaders['WWW-Authenticate']).toBe('Bearer realm="refundhub"');
  });

  it.each(['Bearer', 'Bearer ', 'bearer \t'])(
    'says the key is missing for %p, the scheme without a key',
    (authorization) => {
      const ex = exchange({ authorization });
      expect(rejection(sut, ex)).toEqual({
        status: 401,
        body: expect.objectContaining({ message: 'Missing API key: send Authorization: Bearer <key>' }),
      });
      expect(ex.replyHeaders['WWW-Authenticate']).toBe('Bearer realm="refundhub"');
    },
  );

  it.each([`Basic ${Buffer.from(`x:${SHOP_A_KEY}`).toString('base64')}`, SHOP_A_KEY, `Bearer ${SHOP_A_KEY} extra`])(
    'rejects the malformed header %p',
    (authorization) => {
      const ex = exchange({ authorization });
      expect(rejection(sut, ex).status).toBe(401);
      expect(ex.replyHeaders['WWW-Authenticate']).toBe('Bearer realm="refundhub", error="invalid_token"');
      expect(ex.request.caller).toBeUndefined();
    },
  );

  it('rejects an unknown key without echoing it', () => {
    const ex = exchange({ authorization: 'Bearer rk_not_a_key' });
    const { status, body } = rejection(sut, ex);
    expect(status).toBe(401);
    expect(JSON.stringify(body)).not.toContain('rk_not_a_key');
    expect(ex.request.caller).toBeUndefined();
  });

  it('accepts a configured key and attaches its record as the caller', () => {
    const ex = exchange({ authorization: `Bearer ${SHOP_A_KEY}` });
    expect(sut.canActivate(ex.context)).toBe(true);
    expect(ex.request.caller).toEqual(TEST_API_KEYS[0]);
  });

  it('takes the scheme case-insensitively', () => {
    const ex = exchange({ authorization: `bearer ${ADMIN_KEY}` });
    expect(sut.canActivate(ex.context)).toBe(true);
    expect(ex.request.caller?.name).toBe('admin');
  });

  it('matches digests configured in upper-case hex', () => {
    const guard = new ApiKeyGuard(
      [{ name: 'upper', sha256: sha256Hex(SHOP_A_KEY).toUpperCase(), scope: '*' }],
      new Reflector(),
    );
    const ex = exchange({ authorization: `Bearer ${SHOP_A_KEY}` });
    expect(guard.canActivate(ex.context)).toBe(true);
    expect(ex.request.caller?.name).toBe('upper');
  });

  it('lets @Public() routes and controllers through without a key', () => {
    expect(sut.canActivate(exchange({}, Routes.prototype.publicRoute).context)).toBe(true);
    expect(sut.canActivate(exchange({}, PublicRoutes.prototype.anyRoute, PublicRoutes).context)).toBe(true);
  });

  it('refuses to start with a digest that is not SHA-256 hex', () => {
    expect(() => new ApiKeyGuard([{ name: 'typo', sha256: 'abc', scope: '*' }], new Reflector())).toThrow(/'typo'/);
  });
});
