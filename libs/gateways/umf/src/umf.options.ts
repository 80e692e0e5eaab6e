import {
  checkBaseUrl,
  errorCodesOf,
  oneOf,
  positiveInteger,
  rsaPublicKey,
  type ErrorCodeOptions,
  type ErrorCodes,
  type GatewayTransportOption,
} from '@refundhub/gateway-kit';

import {
  UMF_ANSWER_VARIANTS,
  UMF_NOTIFICATION_VARIANTS,
  type UmfAnswerVariant,
  type UmfNotificationVariant,
} from './umf.sign-variants';
import type { UmfSignatureHash } from './umf.signer';

/**
 * Options of {@link UmfModule}. Every option can be set in the operator file under `gateways.umf`
 * (see `umfConfigSchema`).
 */
export interface UmfOptions extends GatewayTransportOption, ErrorCodeOptions {
  /** Gateway origin: `https://mofunapi.umfintech.com` (UMF tests on production with test certificates). */
  baseUrl: string;
  /** Per-call HTTP timeout. Default 10000. */
  timeoutMs?: number;
  /**
   * UMF's platform certificate (X.509 PEM) or public key (SPKI PEM), the same for every merchant; a
   * merchant's own `platformCertificate` wins over it.
   */
  platformCertificate?: string;
  /** Digest of every RSA signature. Default `sha1` (SHA1withRSA, inferred); `sha256` if UMF says so. */
  signatureHash?: UmfSignatureHash;
  /** `auto` (default) tries every reading of the answer signature in order, logging which matched; a variant name pins it. */
  answerVerification?: 'auto' | UmfAnswerVariant;
  /** As `answerVerification`, for notifications (their order is ASCII; only the bytes are open). */
  notificationVerification?: 'auto' | UmfNotificationVariant;
  /**
   * A notification names the merchant by `merId` (联动商户号), taken to be the `subMerId` refunds are
   * made under; where they differ, this maps `merId` to `subMerId`.
   */
  notifyMerchantIds?: Readonly<Record<string, string>>;
  // failedErrorCodes, busyErrorCodes, notFoundErrorCodes (ErrorCodeOptions): added to the documented ones below.
}

/**
 * The `retCode`s UMF documents (globalparamexplain.md). `3333` 验签失败 proves the refund was refused
 * unread (the FAQ: any code but 0000 is a failed refund; DESIGN limits that to listed codes). `9999`
 * 系统异常 says nothing about the refund, and the 支付中 codes `01000000`, `02000000`, `03000000` say "in
 * progress": all "ask later" (unknown, `gateway_busy`). Any code not listed is unknown (`unrecognized`).
 * No "no such refund" code is published: an operator who sees one adds it to `notFoundErrorCodes`.
 */
export const UMF_DOCUMENTED_ERROR_CODES: ErrorCodeOptions = {
  failedErrorCodes: ['3333'],
  busyErrorCodes: ['9999', '01000000', '02000000', '03000000'],
  notFoundErrorCodes: [],
};

/** Paths of the two calls. */
export const UMF_REFUND_PATH = '/in-pay-client/online/refund';
export const UMF_QUERY_PATH = '/in-pay-client/refund/query';

/** {@link UmfOptions} with defaults applied and checked once at boot. */
export class UmfSettings {
  readonly refundUrl: string;
  readonly queryUrl: string;
  readonly timeoutMs: number;
  readonly signatureHash: UmfSignatureHash;
  readonly answerVerification: 'auto' | UmfAnswerVariant;
  readonly notificationVerification: 'auto' | UmfNotificationVariant;
  readonly errorCodes: ErrorCodes;
  private readonly platformCertificate: string | null;
  private readonly notifyMerchantIds: ReadonlyMap<string, string>;

  constructor(options: UmfOptions) {
    const gateway = 'UMF';
    const baseUrl = checkBaseUrl({ gateway, baseUrl: options.baseUrl });
    this.refundUrl = `${baseUrl}${UMF_REFUND_PATH}`;
    this.queryUrl = `${baseUrl}${UMF_QUERY_PATH}`;
    this.timeoutMs = positiveInteger({ gateway, name: 'timeoutMs', value: options.timeoutMs, fallback: 10_000 });
    this.signatureHash = oneOf({
      gateway,
      name: 'signatureHash',
      value: options.signatureHash,
      allowed: ['sha1', 'sha256'],
    });
    this.answerVerification = oneOf({
      gateway,
      name: 'answerVerification',
      value: options.answerVerification,
      allowed: ['auto', ...UMF_ANSWER_VARIANTS],
    });
    this.notificationVerification = oneOf({
      gateway,
      name: 'notificationVerification',
      value: options.notificationVerification,
      allowed: ['auto', ...UMF_NOTIFICATION_VARIANTS],
    });
    this.platformCertificate = options.platformCertificate || null;
    // A bad certificate is a boot error, not a first-refund surprise.
    if (this.platformCertificate) rsaPublicKey(this.platformCertificate, 'UMF platformCertificate');
    this.notifyMerchantIds = new Map(Object.entries(options.notifyMerchantIds ?? {}));
    this.errorCodes = errorCodesOf(options, UMF_DOCUMENTED_ERROR_CODES);
  }

  /** The certificate that verifies a merchant's answers and notifications: its own, else the module's. */
  platformCertificateFor(merchantId: string, merchantCertificate: string | undefined): string {
    const certificate = merchantCertificate || this.platformCertificate;
    if (!certificate) {
      throw new Error(`UMF merchant ${merchantId} has no platformCertificate and the module sets none`);
    }
    return certificate;
  }

  /** The `subMerId` a notification's `merId` stands for. */
  merchantOfNotification(merId: string): string {
    return this.notifyMerchantIds.get(merId) ?? merId;
  }
}
