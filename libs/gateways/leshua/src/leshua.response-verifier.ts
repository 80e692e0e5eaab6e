import { Injectable, Logger } from '@nestjs/common';

import { LeshuaSettings } from './leshua.options';
import { verifyLeshuaResponse, type LeshuaResponseVariant } from './leshua.signer';
import type { LeshuaFields } from './leshua.types';

/**
 * Verifies answers with the configured rule and says which variant matched, so operators can pin
 * `responseVerification` once the real gateway's behaviour is known (PROTOCOLS.md §1 ambiguity 1).
 */
@Injectable()
export class LeshuaResponseVerifier {
  private readonly logger = new Logger(LeshuaResponseVerifier.name);
  private readonly seen = new Set<LeshuaResponseVariant>();

  constructor(private readonly settings: LeshuaSettings) {}

  verify(fields: LeshuaFields, tradeKey: string, context: string): LeshuaResponseVariant | null {
    const variant = verifyLeshuaResponse(fields, tradeKey, this.settings.responseVerification);
    if (variant === null) return null;
    if (this.seen.has(variant)) {
      this.logger.debug(`Leshua answer to ${context} verified with the ${variant} rule`);
    } else {
      this.seen.add(variant);
      this.logger.log(`Leshua answers verify with the ${variant} rule (first seen on ${context})`);
    }
    return variant;
  }
}
