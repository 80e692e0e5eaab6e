import type { CourierDelivery, DeliveryRecord, FaultMode } from '@refundhub/gateway-kit/sandbox';

import type { BaofooMarketingRefund, BaofooOperation, BaofooRefundState, BaofooSharingRefund } from '../baofoo.types';

/** A merchant the sandbox knows, by `merId`. */
export interface BaofooSandboxMerchant {
  terId: string;
  /** The merchant's private key PEM, as in `gateways.baofoo.merchants`: the sandbox keeps only its public half. */
  privateKey?: string;
  /** The merchant's public key (or certificate) PEM, when the private key is not at hand. */
  publicKey?: string;
}

/** Baofoo's own RSA key pair, PEM: it signs answers and notifications. */
export interface BaofooSandboxKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** How a notification body travels: form fields (default; the sandbox once saw a non-JSON body) or JSON. */
export type BaofooSandboxNotifyBody = 'form' | 'json';

export interface BaofooSandboxOptions {
  /** Merchants the sandbox knows, by `merId`; calls from others are refused MERCHANT_NOT_EXIST. */
  merchants: Readonly<Record<string, BaofooSandboxMerchant>>;
  /** Baofoo's key pair. Default: a 2048-bit pair generated when the sandbox is made. */
  keyPair?: BaofooSandboxKeyPair;
  /** `refund_query` calls after which an accepted refund becomes final. Default 1; overridable per refund. */
  queriesUntilFinal?: number;
  /** The sandbox's clock: timestamps within ±10 min of it, the one-year window, finish times. Default: system clock. */
  now?: () => Date;
  /** Answer and notification `signStr` in upper case hex (Baofoo's own case is undocumented). Default false. */
  uppercaseSignatures?: boolean;
  /**
   * What a `refund_query` for a refund the sandbox never received answers: `abnormal` (default; resultCode
   * SUCCESS, refundState ABNORMAL, as integrators saw, PROTOCOLS.md §5a) or `not_found` (resultCode FAIL,
   * errCode ORDER_NOT_EXIST).
   */
  unknownRefundQuery?: 'abnormal' | 'not_found';
  /**
   * Event-loop turns an `order_refund` answer is held before it is sent, cut short when the next request
   * arrives: widens the window in which a second refund of the order would overlap. Default 0.
   */
  holdRefundAnswerTurns?: number;
  notifications?: BaofooSandboxNotifyOptions;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: a random free port. */
  port?: number;
}

export interface BaofooSandboxNotifyOptions {
  /** Default `form`. */
  body?: BaofooSandboxNotifyBody;
  /** `merId` as a JSON number in `dataContent` (and a JSON body), as one callback carried it (§5a). Default false. */
  merIdAsNumber?: boolean;
  /** Deliveries per notification in all, until `OK`. Default 10 (「最多通知10次」). */
  maxAttempts?: number;
  /** Delay before each redelivery, ms; the last repeats. Default 1, 2, 5, 10, 30, 60 s (Baofoo: 24 h in all). */
  retryDelaysMs?: readonly number[];
  /** Bound of one delivery. Default 5000. */
  timeoutMs?: number;
}

export interface BaofooSandboxOrderSeed {
  merchantId: string;
  /** 商户订单号 (`originOutTradeNo`). */
  originOutTradeNo: string;
  /** 宝付交易号 (`originTradeNo`). Generated when absent. */
  originTradeNo?: string;
  /** Paid amount, fen. */
  totalAmount: number;
  /** Default: the sandbox clock when seeded. */
  paidAt?: Date;
}

export interface BaofooSandboxOrder {
  merchantId: string;
  originOutTradeNo: string;
  originTradeNo: string;
  totalAmount: number;
  paidAt: Date;
  /** What is left to refund (in `totalAmt`), fen; accepted refunds already count against it. */
  balance: number;
}

/** How a refund ends: SUCCESS, REFUND_ERROR (money back to the order) or ABNORMAL (stays unsettled). */
export type BaofooSandboxOutcome = 'success' | 'fail' | 'abnormal';

export interface BaofooSandboxRefundPlan {
  outcome: BaofooSandboxOutcome;
  /** `refund_query` calls until the outcome; 0 makes the `order_refund` answer final. Default: `queriesUntilFinal`. */
  afterQueries?: number;
  /** `errCode` / `errMsg` of a REFUND_ERROR refund. Default none / 退款失败. */
  errCode?: string;
  errMsg?: string;
}

export interface BaofooSandboxRefund {
  merchantId: string;
  terId: string;
  /** Our refund number. */
  outTradeNo: string;
  /** Baofoo's refund number. */
  tradeNo: string;
  originTradeNo: string;
  originOutTradeNo: string;
  refundAmt: number;
  totalAmt: number;
  state: BaofooRefundState;
  /** `refund_query` calls that found this refund. */
  queries: number;
  notifyUrl?: string;
  refundReason: string;
  /** The marketing and sharing parts exactly as received, for tests to assert. */
  mktRefundInfo?: BaofooMarketingRefund;
  sharingRefundInfo?: BaofooSharingRefund[];
  advanceAmt?: number;
  txnTime: string;
  createdAt: Date;
  /** Set once final. */
  finishTime?: Date;
  errCode?: string;
  errMsg?: string;
}

export interface BaofooSandboxFaultOptions {
  /** Only calls of this `method` consume the fault. Default: any. */
  operation?: BaofooOperation;
  /** How many matching calls it affects. Default 1. */
  times?: number;
  /**
   * Process the call as usual before misbehaving (so a timed-out refund exists afterwards). The modes that
   * alter the real answer (`badsign`, `unsigned`, `other_refund`, `other_amount`) always process.
   */
  process?: boolean;
}

/** What {@link BaofooSandbox.rejectNext} answers, signed, instead of doing the call. */
export interface BaofooSandboxRejection {
  errCode: string;
  errMsg: string;
  /** Default `FAIL`. `SUCCESS` with an errCode is what the sandbox of the real one did (§4). */
  resultCode?: string;
  refundState?: BaofooRefundState;
}

export interface BaofooSandboxRequestRecord {
  /** The envelope's `method` (`''` when missing or the body was not a form). */
  operation: string;
  /** The envelope as received (signatures are not secrets; keys never travel). */
  envelope: Readonly<Record<string, string>>;
  /** `bizContent` parsed, when it was JSON. */
  bizContent?: Readonly<Record<string, unknown>>;
  fault?: FaultMode;
  at: Date;
}

/**
 * An `order_refund` that arrived while another refund of the same order was in flight: Baofoo answers
 * NOT_SUPPORT_CONCURRENT (请分批次执行). A correct client never causes one.
 */
export interface BaofooSandboxViolation {
  merchantId: string;
  /** The order as the request named it (`originTradeNo`, else `originOutTradeNo`). */
  orderRef: string;
  outTradeNo: string;
  /** Refund numbers of the requests in flight for the order when this one arrived. */
  inFlight: string[];
  at: Date;
}

/** One notification delivery: the envelope POSTed to the refund's `notifyUrl`. */
export interface BaofooSandboxDelivery extends CourierDelivery {
  merchantId: string;
  outTradeNo: string;
  /** 1 for the first delivery of this notification, 2+ for redeliveries. */
  attempt: number;
  /** Sent by {@link BaofooSandbox.sendForgedNotification}. */
  forged: boolean;
}

/** A delivery with what the receiver answered; `acknowledged` = it answered exactly `OK`. */
export type BaofooSandboxNotificationRecord = DeliveryRecord<BaofooSandboxDelivery>;
