import { createHash, timingSafeEqual } from 'node:crypto';

import type { ApiKeyRecord } from './api-keys';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

interface KnownKey {
  digest: Buffer;
  record: ApiKeyRecord;
}

/**
 * The configured API keys, found by the key a client presents. Only digests are held; the key
 * itself is hashed on each lookup and never kept.
 */
export class ApiKeyDirectory {
  private readonly keys: KnownKey[];

  constructor(records: readonly ApiKeyRecord[]) {
    this.keys = records.map((record) => {
      const hex = record.sha256.toLowerCase();
      // A typo in a digest would silently lock a client out: fail the boot instead.
      if (!SHA256_HEX.test(hex)) throw new Error(`API key '${record.name}': sha256 must be 64 hex characters`);
      return { digest: Buffer.from(hex, 'hex'), record };
    });
  }

  get size(): number {
    return this.keys.length;
  }

  /** The key a well-formed `Authorization: Bearer <key>` header presents, if any. */
  static bearerToken(header: string | undefined): string | undefined {
    return header ? BEARER.exec(header)?.[1] : undefined;
  }

  find(key: string): ApiKeyRecord | undefined {
    const digest = createHash('sha256').update(key, 'utf8').digest();
    let found: ApiKeyRecord | undefined;
    // No early exit: the time taken should not tell which configured key came closest.
    for (const known of this.keys) {
      if (timingSafeEqual(known.digest, digest) && !found) found = known.record;
    }
    return found;
  }

  /** The record of the key an Authorization header presents, when it is a configured one. */
  fromHeader(header: string | undefined): ApiKeyRecord | undefined {
    const key = ApiKeyDirectory.bearerToken(header);
    return key ? this.find(key) : undefined;
  }
}
