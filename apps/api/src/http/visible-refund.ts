import { RefundNotFoundError, type RefundService, type RefundView, scopeAllows } from '@refundhub/core';

import type { ApiKeyRecord } from './api-keys';

/** The refund, when the caller's key may see it: another merchant's refund reads as missing, as GET /refunds/:id. */
export async function visibleRefund(refunds: RefundService, id: string, caller: ApiKeyRecord): Promise<RefundView> {
  const refund = await refunds.get(id);
  if (!scopeAllows(caller.scope, refund.gateway, refund.merchantId)) throw new RefundNotFoundError(id);
  return refund;
}
