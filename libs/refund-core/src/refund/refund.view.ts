import type { RefundStatus } from '../domain/refund-status';

/** The outside shape of a refund: what the API returns and what hosts script against. */
export interface RefundView {
  id: string;
  gateway: string;
  merchantId: string;
  refundNo: string;
  amount: number;
  status: RefundStatus;
  gatewayRefundNo: string | null;
  order: {
    merchantOrderNo: string | null;
    gatewayOrderNo: string | null;
    totalAmount: number;
    refundedAmount: number;
    reservedAmount: number;
  };
  reason: string | null;
  notifyUrl: string | null;
  /** The gateway's definite reason for FAILED, or the last reason an outcome was UNKNOWN. */
  failure: { code: string; message: string } | null;
  gatewayStatus: string | null;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface RefundHistoryView {
  at: string;
  from: RefundStatus | null;
  to: RefundStatus;
  source: string;
  applied: boolean;
  gatewayStatus: string | null;
  code: string | null;
  message: string | null;
}

export interface RefundListFilter {
  gateway?: string;
  merchantId?: string;
  status?: RefundStatus;
  merchantOrderNo?: string;
  createdFrom?: Date;
  createdTo?: Date;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  /** 1..200, default 50. */
  limit?: number;
}

export interface RefundPage {
  items: RefundView[];
  nextCursor: string | null;
}

export interface RequestRefundResult {
  refund: RefundView;
  /** false when an identical earlier request was replayed. */
  created: boolean;
}
