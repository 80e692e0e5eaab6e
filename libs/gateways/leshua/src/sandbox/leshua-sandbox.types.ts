import type { CourierDelivery, DeliveryRecord, FaultMode } from '@refundhub/gateway-kit/sandbox';

import type { LeshuaResponseVariant } from '../leshua.signer';
import type { LeshuaMerchantCredentials, LeshuaService } from '../leshua.types';

export interface LeshuaSandboxOptions {
  /** Merchants the sandbox knows, by merchant id; requests from others are refused like a bad sign. */
  merchants: Readonly<Record<string, LeshuaMerchantCredentials>>;
  /** Queries after which a pending refund becomes final. Default 1; overridable per refund. */
  queriesUntilFinal?: number;
  /** Rule the sandbox signs its answers with. Default `doc` (empty values kept). */
  responseSignVariant?: LeshuaResponseVariant;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: a random free port. */
  port?: number;
  /** Timeout of one notification delivery. Default 5000. */
  notifyTimeoutMs?: number;
}

/** Refund states the sandbox uses (Leshua 附录 订单状态). */
export type LeshuaSandboxRefundStatus = '10' | '11' | '12';

export interface LeshuaSandboxOrderSeed {
  merchantId: string;
  thirdOrderId: string;
  /** Generated when absent. */
  leshuaOrderId?: string;
  /** Paid amount in fen. */
  totalAmount: number;
}

export interface LeshuaSandboxOrder {
  merchantId: string;
  thirdOrderId: string;
  leshuaOrderId: string;
  totalAmount: number;
  /** What is left to refund; refunds in progress already count against it. */
  balance: number;
}

export interface LeshuaSandboxRefundPlan {
  outcome: 'success' | 'fail';
  /** Queries until final; 0 makes the refund answer itself final. Default: the sandbox's `queriesUntilFinal`. */
  afterQueries?: number;
  /** `failure_reason` when the outcome is `fail`. */
  failureReason?: string;
}

export interface LeshuaSandboxRefund {
  merchantId: string;
  merchantRefundId: string;
  leshuaRefundId: string;
  thirdOrderId: string;
  leshuaOrderId: string;
  amount: number;
  status: LeshuaSandboxRefundStatus;
  /** unified_query_refund calls that found this refund. */
  queries: number;
  /** The decoded URL notifications go to, when the refund request carried one. */
  notifyUrl?: string;
  refundTime?: Date;
  failureReason?: string;
}

/** The kit's fault modes (`@refundhub/gateway-kit/sandbox`). */
export type LeshuaSandboxFaultMode = FaultMode;

export interface LeshuaSandboxFaultOptions {
  /** Only calls of this service consume the fault. Default: any. */
  service?: LeshuaService;
  /** How many matching calls it affects. Default 1. */
  times?: number;
  /**
   * Process the call as usual before misbehaving (so a timed-out refund exists afterwards). `badsign`
   * always processes; the others default to false.
   */
  process?: boolean;
}

export interface LeshuaSandboxRequestRecord {
  service: string;
  /** The form as received (signs are not secrets; keys never travel). */
  params: Readonly<Record<string, string>>;
  fault?: LeshuaSandboxFaultMode;
  at: Date;
}

/** One notification the sandbox POSTs: the XML `body` to the refund's `url`. */
export interface LeshuaSandboxDelivery extends CourierDelivery {
  merchantId: string;
  merchantRefundId: string;
  body: string;
}

/** A delivery with what the receiver answered (or why it failed); `acknowledged` = it answered exactly `000000`. */
export type LeshuaSandboxNotificationRecord = DeliveryRecord<LeshuaSandboxDelivery>;
