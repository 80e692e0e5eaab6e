import { Logger } from '@nestjs/common';
import { escapeForLog } from '@refundhub/core';

import { isUnknownOutcome } from './unknown-outcome';

/**
 * Logs what a gateway call came to, the same way for every gateway: an unknown outcome at warn
 * level with its typed reason and detail (someone will ask why a refund is UNKNOWN), anything else
 * at debug. Never logs request or answer fields.
 */
export class OutcomeReporter {
  private readonly logger: Logger;

  constructor(private readonly gateway: string) {
    this.logger = new Logger(`${gateway}Gateway`);
  }

  /** @param what the call, for people: `unified_refund 0000000018/R1`. Returns the outcome unchanged. */
  report<T extends { kind: string }>(what: string, outcome: T): T {
    // The detail quotes the gateway's answer, and `what` names the caller's refund number.
    if (isUnknownOutcome(outcome))
      this.logger.warn(escapeForLog(`${this.gateway} ${what}: outcome unknown (${outcome.reason}: ${outcome.detail})`));
    else this.logger.debug(escapeForLog(`${this.gateway} ${what}: ${outcome.kind}`));
    return outcome;
  }
}
