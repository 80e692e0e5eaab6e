import { Injectable, Logger } from '@nestjs/common';
import {
  describeError,
  escapeForLog,
  textForLog,
  type GatewayNotifications,
  type GatewayOutcome,
  type InboundNotification,
  type NotificationAnswer,
  type NotificationAnswerInput,
  type NotificationParseResult,
  type NotifiedOutcomeKind,
  type VerifiedNotification,
} from '@refundhub/core';
import {
  AmountError,
  notificationLimits,
  readNotificationText,
  unknownOutcome,
  wireToFen,
} from '@refundhub/gateway-kit';

import { parseUmfJson, UmfParseError } from './umf.codec';
import { UmfCredentials } from './umf.credentials';
import { UmfSettings } from './umf.options';
import { UmfPlatformVerifier } from './umf.platform-verifier';
import { signUmfNotificationAck } from './umf.signer';
import {
  UMF_RET_CODE,
  UMF_TRADE_STATE,
  type UmfFields,
  type UmfNotification,
  type UmfNotificationAck,
} from './umf.types';

/** The notification fields UMF wants repeated in the answer (「同请求数据」). */
const ECHOED = ['funCode', 'reqDate', 'reqTime', 'partnerOrderId', 'orderDate'] as const;

const JSON_UTF8 = 'application/json; charset=utf-8';

/**
 * A notification is one flat JSON object of about seventeen string fields: 0.8 KB with a 2048-bit
 * signature and every documented field at its longest. 8 KiB and 64 members leave room for the fields
 * the doc lists as "and more"; nothing in it is nested.
 */
export const UMF_NOTIFICATION_LIMITS = notificationLimits({ maxBodyBytes: 8 * 1024, maxFields: 64, maxDepth: 1 });

/**
 * Reads and verifies UMF's 交易结果通知 (JSON, signed by the platform over `k=v&`), and answers it the
 * way UMF expects: a JSON answer signed with the merchant key, `retCode` 0000 once received and verified
 * 「和联动通知商户的交易是否成功无关」. UMF delivers at most four times (now, 30 s, 300 s, 1800 s).
 */
@Injectable()
export class UmfNotifications implements GatewayNotifications {
  private readonly logger = new Logger(UmfNotifications.name);

  readonly maxBodyBytes = UMF_NOTIFICATION_LIMITS.maxBodyBytes;
  /** `amount` comes with both refund results (notify.md lists it without 可选). */
  readonly amountSentWith: readonly NotifiedOutcomeKind[] = ['succeeded', 'failed'];

  constructor(
    private readonly credentials: UmfCredentials,
    private readonly settings: UmfSettings,
    private readonly verifier: UmfPlatformVerifier,
  ) {}

  async parse(notification: InboundNotification): Promise<NotificationParseResult> {
    const read = readNotificationText(notification, { format: 'json', limits: UMF_NOTIFICATION_LIMITS });
    if (read.kind === 'rejected') return read;
    let fields: UmfFields;
    try {
      fields = parseUmfJson(read.text);
    } catch (error) {
      if (!(error instanceof UmfParseError)) throw error;
      return { kind: 'rejected', code: 'NOTIFICATION_UNREADABLE', reason: `unreadable notification: ${error.message}` };
    }
    const body: UmfNotification = fields;
    if (!body.merId) return { kind: 'rejected', reason: 'notification without merId' };
    const merchantId = this.settings.merchantOfNotification(body.merId);
    const refundNo = body.refundPartnerOrderId || undefined;
    const known = { merchantId, ...(refundNo ? { refundNo } : {}) };
    // For log lines and the verifier's context: what the notification names, escaped.
    const what = `merchant ${textForLog(merchantId)} refund ${textForLog(refundNo)}`;

    const certificate = await this.platformCertificate(merchantId);
    if (certificate.kind === 'rejected') return { ...certificate, ...known };
    const variant = this.verifier.notification({
      fields,
      platformCertificate: certificate.pem,
      context: `notification for ${what}`,
    });
    if (variant === null) {
      this.logger.warn(escapeForLog(`UMF notification for ${what} is ${body.sign ? 'wrongly signed' : 'unsigned'}`));
      return { kind: 'rejected', reason: body.sign ? 'wrong signature' : 'unsigned notification', ...known };
    }
    const tradeState = body.tradeState ?? '';
    if (!refundNo) {
      // A payment's own notification (TRADE_SUCCESS...) names no refund: nothing here to apply it to.
      return { kind: 'rejected', reason: `not a refund notification (tradeState '${tradeState}')`, merchantId };
    }
    const echo = Object.fromEntries(ECHOED.map((name) => [name, body[name] ?? '']));
    const verified = { kind: 'verified', merchantId, refundNo, echo } as const;
    if (tradeState !== UMF_TRADE_STATE.refundSuccess && tradeState !== UMF_TRADE_STATE.refundFail) {
      // Verified but not a refund result: an unknown outcome changes no refund, and is still answered 0000.
      return {
        ...verified,
        outcome: unknownOutcome('unrecognized', `UMF notified tradeState '${tradeState}', not a refund result`, {
          rawStatus: tradeState,
        }),
      };
    }
    let amount: number | undefined;
    try {
      amount = body.amount ? wireToFen(body.amount) : undefined;
    } catch (error) {
      if (!(error instanceof AmountError)) throw error;
      return { kind: 'rejected', reason: `amount '${body.amount}' is not an amount`, ...known };
    }
    return { ...verified, amount, outcome: refundOutcome(tradeState) };
  }

  /**
   * A verified notification gets 0000, signed with the merchant key, whatever became of it (applied,
   * about a refund we do not hold, or not a refund result); UMF then stops. An unverified one cannot be
   * signed for (its merchant is unproven) and gets an unsigned refusal, so UMF delivers it again.
   */
  async answer({ disposition, notification }: NotificationAnswerInput): Promise<NotificationAnswer> {
    if (disposition === 'error') return refusal(500, UMF_RET_CODE.systemError, '系统异常');
    if (!notification) return refusal(400, UMF_RET_CODE.signatureRefused, '验签失败或报文无法识别');
    try {
      return { status: 200, contentType: JSON_UTF8, body: JSON.stringify(await this.acknowledgement(notification)) };
    } catch (error) {
      this.logger.error(
        `UMF notification answer for merchant ${textForLog(notification.merchantId)}: ${textForLog(describeError(error), 512)}`,
      );
      return refusal(500, UMF_RET_CODE.systemError, '系统异常');
    }
  }

  private async acknowledgement(notification: VerifiedNotification): Promise<UmfNotificationAck> {
    const { privateKey } = await this.credentials.get(notification.merchantId);
    const echo = notification.echo ?? {};
    const unsigned = {
      funCode: echo['funCode'] ?? '',
      reqDate: echo['reqDate'] ?? '',
      reqTime: echo['reqTime'] ?? '',
      retCode: UMF_RET_CODE.success,
      retMsg: '',
      partnerOrderId: echo['partnerOrderId'] ?? '',
      orderDate: echo['orderDate'] ?? '',
    };
    const sign = signUmfNotificationAck({
      fields: unsigned,
      privateKeyPem: privateKey,
      hash: this.settings.signatureHash,
    });
    return { ...unsigned, sign };
  }

  private async platformCertificate(
    merchantId: string,
  ): Promise<{ kind: 'certificate'; pem: string } | { kind: 'rejected'; reason: string }> {
    try {
      const credentials = await this.credentials.find(merchantId);
      if (!credentials) return { kind: 'rejected', reason: `unknown merchant ${merchantId}` };
      return {
        kind: 'certificate',
        pem: this.settings.platformCertificateFor(merchantId, credentials.platformCertificate),
      };
    } catch (error) {
      this.logger.error(
        `UMF notification for merchant ${textForLog(merchantId)}: ${textForLog(describeError(error), 512)}`,
      );
      return { kind: 'rejected', reason: 'merchant credentials are misconfigured' };
    }
  }
}

function refundOutcome(tradeState: string): GatewayOutcome {
  return tradeState === UMF_TRADE_STATE.refundSuccess
    ? { kind: 'succeeded', rawStatus: tradeState }
    : { kind: 'failed', rawStatus: tradeState, code: 'UMF_REFUND_FAIL', message: '联动优势通知退款失败 (REFUND_FAIL)' };
}

function refusal(status: number, retCode: string, retMsg: string): NotificationAnswer {
  return { status, contentType: JSON_UTF8, body: JSON.stringify({ retCode, retMsg }) };
}
