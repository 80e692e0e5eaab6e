import { FakeClock } from '../testing/fake-clock';
import { RefundSettings } from '../refund-settings';
import { MerchantRateLimiter } from './merchant-rate-limiter';

describe(MerchantRateLimiter.name, () => {
  const clock = new FakeClock();
  const sut = new MerchantRateLimiter(
    clock,
    RefundSettings.from({ sync: { rateLimitPerSecond: { leshua: { m1: 2, slow: 0.5 } } } }),
  );

  it('lets a merchant make its calls per second, then holds the rest until the budget refills', () => {
    expect([sut.tryTake('leshua', 'm1'), sut.tryTake('leshua', 'm1'), sut.tryTake('leshua', 'm1')]).toEqual([
      true,
      true,
      false,
    ]);
    clock.advance(500);
    expect([sut.tryTake('leshua', 'm1'), sut.tryTake('leshua', 'm1')]).toEqual([true, false]);
  });

  it('counts a rate under one call per second over the seconds it takes', () => {
    expect(sut.tryTake('leshua', 'slow')).toBe(true);
    clock.advance(1_000);
    expect(sut.tryTake('leshua', 'slow')).toBe(false);
    clock.advance(1_000);
    expect(sut.tryTake('leshua', 'slow')).toBe(true);
  });

  it('does not limit merchants and gateways without a rate', () => {
    for (let i = 0; i < 100; i += 1) expect(sut.tryTake('leshua', 'other') && sut.tryTake('umf', 'm1')).toBe(true);
  });
});
