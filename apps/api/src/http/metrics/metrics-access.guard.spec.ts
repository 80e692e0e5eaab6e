import { ExecutionContext, UnauthorizedException } from '@nestjs/common';

import type { ApiKeyRecord } from '../api-keys';
import { MetricsAccessGuard } from './metrics-access.guard';

const KEY: ApiKeyRecord = { name: 'shop', sha256: 'a'.repeat(64), scope: ['leshua:0000000018'] };

function contextOf(request: { caller?: ApiKeyRecord; authorization?: string }) {
  const headers: Record<string, string> = {};
  const reply = { header: jest.fn((name: string, value: string) => (headers[name] = value)) };
  const context = {
    switchToHttp: () => ({
      getRequest: () => ({ caller: request.caller, headers: { authorization: request.authorization } }),
      getResponse: () => reply,
    }),
  } as unknown as ExecutionContext;
  return { context, headers };
}

function refusal(guard: MetricsAccessGuard, request: { authorization?: string }) {
  const { context, headers } = contextOf(request);
  try {
    guard.canActivate(context);
  } catch (error) {
    expect(error).toBeInstanceOf(UnauthorizedException);
    return { body: (error as UnauthorizedException).getResponse(), headers };
  }
  throw new Error('let through');
}

describe(MetricsAccessGuard.name, () => {
  it('lets through a caller the API key guard named (any valid key, whatever its scopes)', () => {
    expect(new MetricsAccessGuard({ apiKeys: [KEY] }).canActivate(contextOf({ caller: KEY }).context)).toBe(true);
  });

  it('lets anyone through when the metrics are public', () => {
    const guard = new MetricsAccessGuard({ apiKeys: [], metrics: { public: true } });
    expect(guard.canActivate(contextOf({}).context)).toBe(true);
  });

  it('answers 401 without a key, and 401 invalid_token with one that named nobody', () => {
    const guard = new MetricsAccessGuard({ apiKeys: [KEY], metrics: { public: false } });
    expect(refusal(guard, {})).toEqual({
      body: expect.objectContaining({
        statusCode: 401,
        code: 'UNAUTHORIZED',
        message: expect.stringContaining('Missing'),
      }),
      headers: { 'WWW-Authenticate': 'Bearer realm="refundhub"' },
    });
    expect(refusal(guard, { authorization: 'Bearer wrong' })).toEqual({
      body: expect.objectContaining({
        statusCode: 401,
        code: 'UNAUTHORIZED',
        message: expect.stringContaining('Invalid'),
      }),
      headers: { 'WWW-Authenticate': 'Bearer realm="refundhub", error="invalid_token"' },
    });
  });
});
