import type { CourierDelivery, DeliveryRecord, FaultMode } from '@refundhub/gateway-kit/sandbox';

import type { UmfAnswerVariant, UmfNotificationVariant } from '../umf.signer';
import type { UmfOperation } from '../umf.types';

/**
 * A merchant the sandbox knows, by `subMerId`. It verifies the merchant's requests and notification
 * answers with `publicKey`, or with the public half of `privateKey` (what the operator file holds),
 * and keeps only that public half.
 */
export interface UmfSandboxMerchant {
  /** 集成商ID every call of this merchant must carry. */
  proxyId: string;
  publicKey?: string;
  privateKey?: string;
}

export interface UmfSandboxOptions {
  merchants: Readonly<Record<string, UmfSandboxMerchant>>;
  /** The platform's private key PEM. Default: a 1024-bit key pair made when the sandbox is built. */
  platformPrivateKey?: string;
  /** Rule the sandbox signs its answers with. Default `ascii_utf8` (ASCII order, UTF-8 bytes, empties dropped). */
  answerSignVariant?: UmfAnswerVariant;
  /** Rule the sandbox signs its notifications with. Default: UTF-8 bytes. */
  notificationSignVariant?: UmfNotificationVariant;
  /** Queries after which a pending refund becomes final. Default 1; overridable per refund. */
  queriesUntilFinal?: number;
  /**
   * The wait before each delivery of a notification, from the end of the previous one; its length is
   * the number of deliveries. Default UMF's `[0, 30 s, 300 s, 1800 s]`; tests shorten it.
   */
  notifyDelaysMs?: readonly number[];
  /** Bound of one notification delivery. Default 5000. */
  notifyTimeoutMs?: number;
  /** The clock for dates on the wire, the refund window and the request log. Default `() => new Date()`. */
  now?: () => Date;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: a random free port. */
  port?: number;
}

export interface UmfSandboxOrderSeed {
  /** `subMerId`. */
  merchantId: string;
  partnerOrderId: string;
  /** Paid amount in fen. */
  amount: number;
  /** `payType` a refund must carry; any documented one is accepted when absent. */
  payType?: string;
  /** When it was paid; the 90-day window counts from it. Default: the sandbox's now. */
  paidAt?: Date;
  /** 原订单日期 `yyyyMMdd`. Default: `paidAt`'s China date. */
  orderDate?: string;
}

export interface UmfSandboxOrder {
  merchantId: string;
  partnerOrderId: string;
  orderDate: string;
  amount: number;
  payType?: string;
  paidAt: Date;
  /** The platform's payment serial, sent as `paySeq` in notifications. */
  paySeq: string;
  /** What is left to refund, fen; refunds in progress already count against it. */
  balance: number;
}

/** A query answer's `status`: 1 成功, 2 失败; the sandbox says `0` for 受理中 ("anything else"). */
export type UmfSandboxRefundStatus = '0' | '1' | '2';

export type UmfSandboxOutcome = 'success' | 'fail';

export interface UmfSandboxRefundPlan {
  outcome: UmfSandboxOutcome;
  /** Queries until final; 0 makes the refund final when it is accepted. Default: `queriesUntilFinal`. */
  afterQueries?: number;
  /** Answered as the query's `retMsg` once failed (the wire has no field for a reason). */
  failReason?: string;
}

export interface UmfSandboxRefund {
  merchantId: string;
  refundPartnerOrderId: string;
  partnerOrderId: string;
  orderDate: string;
  payType: string;
  /** Fen. */
  amount: number;
  status: UmfSandboxRefundStatus;
  /** Query calls that found this refund. */
  queries: number;
  /** 发起退费日期 `yyyyMMdd`. */
  refundDate: string;
  /** Where notifications go, when the refund request carried a `notifyUrl`. */
  notifyUrl?: string;
  createdAt: Date;
  finishedAt?: Date;
  failReason?: string;
}

export interface UmfSandboxFaultOptions {
  /** Only calls of this operation (`refund`: `/online/refund`, `query`: `/refund/query`) consume it. Default: any. */
  operation?: UmfOperation;
  /** How many matching calls it affects. Default 1. */
  times?: number;
  /**
   * Process the call as usual before misbehaving (so a timed-out refund exists afterwards). The modes
   * that alter the real answer (`badsign`, `unsigned`, `other_refund`, `other_amount`) always process.
   */
  process?: boolean;
}

/** What {@link UmfSandbox.rejectNext} answers, signed, instead of doing the call. */
export interface UmfSandboxRejection {
  retCode: string;
  /** `Memo` of a refund answer, `retMsg` of a query answer. */
  message: string;
}

export interface UmfSandboxRequestRecord {
  operation: UmfOperation;
  /** The `context` JSON as received (signs are not secrets; keys never travel); empty when unreadable. */
  params: Readonly<Record<string, string>>;
  fault?: FaultMode;
  at: Date;
}

/** One POST of a notification: the JSON `body` to the refund's `url`. */
export interface UmfSandboxDelivery extends CourierDelivery {
  merchantId: string;
  refundPartnerOrderId: string;
  /** 1 for the first delivery of this notification, up to the length of `notifyDelaysMs`. */
  attempt: number;
  /** Signed with a key that is not the platform's (a test's forgery). */
  forged: boolean;
  /** The notification as sent, `sign` included. */
  fields: Readonly<Record<string, string>>;
  body: string;
}

/** How the sandbox judged the merchant's answer to a notification. */
export interface UmfSandboxAckCheck {
  /** The answer's `retCode`, when it was a JSON object. */
  retCode?: string;
  /** The answer's `sign` verified with the merchant's public key over its `|`-joined values. */
  signatureValid: boolean;
  /** Why it does not acknowledge the notification; absent when it does. */
  problem?: string;
}

/**
 * A delivery with what the receiver answered (or why it failed). `acknowledged`: HTTP 200, JSON,
 * `retCode` 0000, the notification's `funCode`, `reqDate`, `reqTime`, `partnerOrderId` and `orderDate`
 * repeated, and a valid merchant signature. Anything else is retried, up to the last delay.
 */
export type UmfSandboxNotificationRecord = DeliveryRecord<UmfSandboxDelivery> & { ack: UmfSandboxAckCheck };
