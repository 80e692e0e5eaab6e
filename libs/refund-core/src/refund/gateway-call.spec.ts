import { Logger } from '@nestjs/common';

import type { GatewayQueryOutcome } from '../gateway/refund-gateway.port';
import { NoopRefundObserver } from '../observability/refund-observer';
import { callGateway } from './gateway-call';

const options = {
  gateway: 'leshua',
  operation: 'submit' as const,
  refundId: 'rf_1',
  timeoutMs: 1000,
  observer: new NoopRefundObserver(),
};
const accepted: GatewayQueryOutcome = { kind: 'processing', rawStatus: '0' };

describe('callGateway', () => {
  let errors: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers();
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    errors.mockRestore();
    jest.useRealTimers();
  });

  it("answers the gateway's outcome, and leaves no timer behind", async () => {
    await expect(callGateway(options, async () => accepted)).resolves.toEqual(accepted);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('turns a throw, before or after the call is under way, into an UNKNOWN adapter_error, logged once', async () => {
    const before = callGateway(options, () => {
      throw new Error('bad draft');
    });
    const after = callGateway(options, async () => {
      throw new Error('socket hang up');
    });

    await expect(before).resolves.toEqual({
      kind: 'unknown',
      reason: 'adapter_error',
      detail: expect.stringContaining('bad draft'),
    });
    await expect(after).resolves.toMatchObject({ kind: 'unknown', reason: 'adapter_error' });
    expect(errors).toHaveBeenCalledTimes(2);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('is UNKNOWN timeout at the deadline; what the call does later changes nothing and logs nothing', async () => {
    let fail: (error: Error) => void = () => undefined;
    const outcome = callGateway(options, () => new Promise<GatewayQueryOutcome>((_, reject) => (fail = reject)));

    jest.advanceTimersByTime(options.timeoutMs);
    await expect(outcome).resolves.toEqual({
      kind: 'unknown',
      reason: 'timeout',
      detail: 'no answer through the gateway port within 1000 ms',
    });
    fail(new Error('too late'));
    await Promise.resolve();
    expect(errors).not.toHaveBeenCalled();
  });
});
