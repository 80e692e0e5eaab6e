import type { FieldProblem } from '@refundhub/core';

import type { BaofooMarketingRefund, BaofooSharingRefund } from './baofoo.types';

/** Merchant ids inside bizContent are S(16) (宝付支付分配的商户号). */
const MERCHANT_ID_MAX = 16;
const KNOWN = ['sharingRefundInfo', 'mktRefundInfo', 'advanceAmt'];

/**
 * The refund's Baofoo-specific parts, from the request's `gatewayOptions`: profit-sharing merchants'
 * parts (`sharingRefundInfo`), the marketing amount (`mktRefundInfo`) and the merchant's advance
 * (`advanceAmt`), all in fen.
 */
export interface BaofooRefundExtras {
  sharingRefundInfo?: BaofooSharingRefund[];
  mktRefundInfo?: BaofooMarketingRefund;
  advanceAmt?: number;
}

/**
 * Reads `gatewayOptions` field by field; every problem names its path (`gatewayOptions.sharingRefundInfo[1].sharingAmt`).
 * Only the shapes and types are judged here; the sums against the refund are `validateBaofooRefund`'s.
 */
export function readBaofooRefundExtras(options: Readonly<Record<string, unknown>>): {
  extras: BaofooRefundExtras;
  problems: FieldProblem[];
} {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string): void => {
    problems.push({ field: `gatewayOptions.${field}`, message });
  };
  const extras: BaofooRefundExtras = {};

  for (const name of Object.keys(options)) {
    if (!KNOWN.includes(name)) problem(name, `is not a Baofoo option (known: ${KNOWN.join(', ')})`);
  }
  const { sharingRefundInfo, mktRefundInfo, advanceAmt } = options;

  if (sharingRefundInfo !== undefined) {
    if (!Array.isArray(sharingRefundInfo) || sharingRefundInfo.length === 0) {
      problem('sharingRefundInfo', 'must be a non-empty array of { sharingMerId, sharingAmt }');
    } else {
      const parts: BaofooSharingRefund[] = [];
      sharingRefundInfo.forEach((entry: unknown, index) => {
        const path = `sharingRefundInfo[${index}]`;
        if (!isObject(entry)) {
          problem(path, 'must be an object { sharingMerId, sharingAmt }');
          return;
        }
        const sharingMerId = merchantId(entry['sharingMerId'], `${path}.sharingMerId`, problem);
        const sharingAmt = fen(entry['sharingAmt'], `${path}.sharingAmt`, problem);
        if (sharingMerId !== undefined && sharingAmt !== undefined) parts.push({ sharingMerId, sharingAmt });
      });
      if (parts.length === sharingRefundInfo.length) extras.sharingRefundInfo = parts;
    }
  }

  if (mktRefundInfo !== undefined) {
    if (!isObject(mktRefundInfo)) {
      problem('mktRefundInfo', 'must be an object { mktMerId, mktAmt }');
    } else {
      const mktMerId = merchantId(mktRefundInfo['mktMerId'], 'mktRefundInfo.mktMerId', problem);
      const mktAmt = fen(mktRefundInfo['mktAmt'], 'mktRefundInfo.mktAmt', problem);
      if (mktMerId !== undefined && mktAmt !== undefined) extras.mktRefundInfo = { mktMerId, mktAmt };
    }
  }

  if (advanceAmt !== undefined) {
    const amount = fen(advanceAmt, 'advanceAmt', problem);
    if (amount !== undefined) extras.advanceAmt = amount;
  }
  return { extras, problems };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merchantId(
  value: unknown,
  field: string,
  problem: (field: string, message: string) => void,
): string | undefined {
  if (typeof value !== 'string' || value === '' || value.length > MERCHANT_ID_MAX) {
    problem(field, `must be a Baofoo merchant number: a string of 1 to ${MERCHANT_ID_MAX} characters`);
    return undefined;
  }
  return value;
}

function fen(value: unknown, field: string, problem: (field: string, message: string) => void): number | undefined {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    problem(field, 'must be a positive integer number of fen');
    return undefined;
  }
  return value;
}
