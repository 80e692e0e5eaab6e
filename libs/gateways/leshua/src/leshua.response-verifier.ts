import { Injectable } from '@nestjs/common';
import { VariantVerifier } from '@refundhub/gateway-kit';

import { LeshuaSettings } from './leshua.options';
import { LESHUA_RESPONSE_VARIANTS, leshuaResponseMatches, type LeshuaResponseVariant } from './leshua.signer';
import type { LeshuaFields } from './leshua.types';

/**
 * Verifies answers with the configured rule and says which variant matched, so operators can pin
 * `responseVerification` once the real gateway's behaviour is known (PROTOCOLS.md §1 ambiguity 1).
 */
@Injectable()
export class LeshuaResponseVerifier {
  private readonly variants: VariantVerifier<LeshuaResponseVariant>;

  constructor(settings: LeshuaSettings) {
    const mode = settings.responseVerification;
    this.variants = new VariantVerifier({
      gateway: 'Leshua',
      variants: LESHUA_RESPONSE_VARIANTS,
      pinned: mode === 'auto' ? undefined : mode,
    });
  }

  verify(fields: LeshuaFields, tradeKey: string, context: string): LeshuaResponseVariant | null {
    return this.variants.verify({ check: (variant) => leshuaResponseMatches(fields, tradeKey, variant), context });
  }
}
