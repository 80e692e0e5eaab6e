import { Injectable } from '@nestjs/common';

import { CredentialsProvider } from '@refundhub/core';

import type { LeshuaMerchantCredentials } from './leshua.types';

export const LESHUA_GATEWAY_ID = 'leshua';

/** Looks up a merchant's Leshua keys and checks their shape. Never logs them. */
@Injectable()
export class LeshuaCredentials {
  constructor(private readonly provider: CredentialsProvider) {}

  /** The merchant's keys, `undefined` for an unknown merchant; throws when they are misconfigured. */
  async find(merchantId: string): Promise<LeshuaMerchantCredentials | undefined> {
    const raw = await this.provider.get(LESHUA_GATEWAY_ID, merchantId);
    if (raw === undefined) return undefined;
    const { tradeKey, notifyKey } = raw;
    if (
      typeof tradeKey !== 'string' ||
      tradeKey === '' ||
      typeof notifyKey !== 'string' ||
      notifyKey === ''
    ) {
      throw new Error(
        `Leshua credentials of merchant ${merchantId} need non-empty string tradeKey and notifyKey`,
      );
    }
    return { tradeKey, notifyKey };
  }

  /** For submit and query: the core has already checked that the merchant exists. */
  async get(merchantId: string): Promise<LeshuaMerchantCredentials> {
    const credentials = await this.find(merchantId);
    if (!credentials) throw new Error(`No Leshua credentials for merchant ${merchantId}`);
    return credentials;
  }
}
