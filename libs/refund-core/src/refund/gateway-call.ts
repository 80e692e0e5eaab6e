import { Logger } from '@nestjs/common';

import type { UnknownOutcome } from '../gateway/refund-gateway.port';
import { describeError, errorFrames } from '../logging/error-summary';

const logger = new Logger('GatewayCall');

/**
 * Runs one call through the gateway port. Whatever goes wrong on the way (a throw, a call
 * that outlives its deadline) is an UNKNOWN outcome: we asked and did not learn the answer.
 */
export async function callGateway<T extends { kind: string }>(
  label: string,
  timeoutMs: number,
  call: () => Promise<T>,
): Promise<T | UnknownOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<UnknownOutcome>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          kind: 'unknown',
          reason: 'timeout',
          detail: `no answer through the gateway port within ${timeoutMs} ms`,
        }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([call(), deadline]);
  } catch (error) {
    logger.error(`${label} threw; outcome recorded as UNKNOWN: ${describeError(error)}`, errorFrames(error));
    // The detail is stored and shown in the refund's failure: the same safe description as the log's.
    return { kind: 'unknown', reason: 'adapter_error', detail: `gateway adapter error: ${describeError(error)}` };
  } finally {
    clearTimeout(timer);
  }
}
