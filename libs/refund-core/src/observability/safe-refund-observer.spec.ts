import { Logger } from '@nestjs/common';

import { NoopRefundObserver, type RejectionObservation, type SyncAttemptObservation } from './refund-observer';
import { safeRefundObserver } from './safe-refund-observer';

class BrokenRejections extends NoopRefundObserver {
  readonly heard: string[] = [];

  override rejection({ code }: RejectionObservation): void {
    this.heard.push(code);
    throw new Error(`counter broke on ${code}`);
  }

  override syncAttempt({ gateway }: SyncAttemptObservation): void {
    this.heard.push(gateway);
  }
}

describe('safeRefundObserver', () => {
  afterEach(() => jest.restoreAllMocks());

  it("swallows an observer's throw, logs the first one of each method only, and keeps calling it", () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const inner = new BrokenRejections();
    const observer = safeRefundObserver(inner);

    expect(() => observer.rejection({ gateway: 'fake', operation: 'submit', code: 'A' })).not.toThrow();
    expect(() => observer.rejection({ gateway: 'fake', operation: 'query', code: 'B' })).not.toThrow();
    observer.syncAttempt({ gateway: 'fake' });

    expect(inner.heard).toEqual(['A', 'B', 'fake']);
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0][0]).toContain("The observer's rejection threw");
    expect(error.mock.calls[0][0]).toContain('counter broke on A');
  });
});
