import { Injectable, Logger } from '@nestjs/common';
import {
  describeError,
  textForLog,
  type GatewayNotifications,
  type GatewayOutcome,
  type InboundNotification,
  type NotificationAnswer,
  type NotificationAnswerInput,
  type NotificationParseResult,
  type NotifiedOutcomeKind,
} from '@refundhub/core';
import {
  AmountError,
  notificationLimits,
  readNotificationText,
  unknownOutcome,
  wireToFen,
} from '@refundhub/gateway-kit';

import { LeshuaXmlParseError, parseLeshuaXml } from './leshua.codec';
import { LeshuaCredentials } from './leshua.credentials';
import { mapLeshuaRefundStatus } from './leshua.mapper';
import { LeshuaSettings } from './leshua.options';
import { verifyLeshuaNotification } from './leshua.signer';
import { LESHUA_STATUS, type LeshuaFields, type LeshuaRefundNotification } from './leshua.types';

/** Leshua redelivers until it reads exactly this body (doc 1099889). */
export const LESHUA_NOTIFICATION_ACK = '000000';

/**
 * A notification is one flat XML document (`<leshua>` or another root, then about fifteen fields):
 * 1.3 KB at most with every documented field at its longest and a 128-character Chinese
 * `failure_reason`. 8 KiB, 64 elements and two levels leave room for undocumented fields.
 */
export const LESHUA_NOTIFICATION_LIMITS = notificationLimits({ maxBodyBytes: 8 * 1024, maxFields: 64, maxDepth: 2 });

/** Reads and verifies refund result notifications, and answers them the way Leshua expects. */
@Injectable()
export class LeshuaNotifications implements GatewayNotifications {
  private readonly logger = new Logger(LeshuaNotifications.name);

  readonly maxBodyBytes = LESHUA_NOTIFICATION_LIMITS.maxBodyBytes;
  /** `refund_amount` comes with every notification, whatever its status (doc 1099889). */
  readonly amountSentWith: readonly NotifiedOutcomeKind[] = ['processing', 'succeeded', 'failed'];

  constructor(
    private readonly credentials: LeshuaCredentials,
    private readonly settings: LeshuaSettings,
  ) {}

  async parse(notification: InboundNotification): Promise<NotificationParseResult> {
    // The body is XML whatever the Content-Type says (doc 1099901 asks receivers to expect form-urlencoded).
    const read = readNotificationText(notification, { format: 'xml', limits: LESHUA_NOTIFICATION_LIMITS });
    if (read.kind === 'rejected') return read;
    let fields: LeshuaFields;
    try {
      fields = parseLeshuaXml(read.text, null);
    } catch (error) {
      if (!(error instanceof LeshuaXmlParseError)) throw error;
      return { kind: 'rejected', code: 'NOTIFICATION_UNREADABLE', reason: `unreadable notification: ${error.message}` };
    }
    const body: LeshuaRefundNotification = fields;
    const merchantId = body.merchant_id;
    const refundNo = body.merchant_refund_id;
    if (!merchantId || !refundNo) {
      return { kind: 'rejected', reason: 'notification without merchant_id or merchant_refund_id' };
    }
    const known = { merchantId, refundNo };
    const credentials = await this.credentials.find(merchantId).catch((error: unknown) => {
      this.logger.error(
        `Leshua notification for merchant ${textForLog(merchantId)}: ${textForLog(describeError(error), 512)}`,
      );
      return null;
    });
    if (credentials === null) return { kind: 'rejected', reason: 'merchant credentials are misconfigured', ...known };
    if (credentials === undefined) return { kind: 'rejected', reason: `unknown merchant ${merchantId}`, ...known };
    const key = this.settings.notifyKey === 'notify' ? credentials.notifyKey : credentials.tradeKey;
    if (!verifyLeshuaNotification(fields, key)) {
      this.logger.warn(
        `Leshua notification for merchant ${textForLog(merchantId)} refund ${textForLog(refundNo)} has a wrong signature`,
      );
      return { kind: 'rejected', reason: 'wrong signature', ...known };
    }
    let amount: number | undefined;
    try {
      amount =
        body.refund_amount === undefined || body.refund_amount === '' ? undefined : wireToFen(body.refund_amount);
    } catch (error) {
      if (!(error instanceof AmountError)) throw error;
      return { kind: 'rejected', reason: `refund_amount '${body.refund_amount}' is not an amount`, ...known };
    }
    return {
      kind: 'verified',
      ...known,
      gatewayRefundNo: body.leshua_refund_id || undefined,
      amount,
      outcome: notificationOutcome(body),
    };
  }

  /** `000000` acknowledges; anything else makes Leshua deliver again. */
  answer({ disposition }: NotificationAnswerInput): NotificationAnswer {
    const contentType = 'text/plain; charset=utf-8';
    switch (disposition) {
      case 'applied':
        return { status: 200, contentType, body: LESHUA_NOTIFICATION_ACK };
      case 'rejected':
        return { status: 400, contentType, body: 'FAIL' };
      case 'unknown_refund':
        return { status: 404, contentType, body: 'FAIL' };
      case 'error':
        return { status: 500, contentType, body: 'FAIL' };
    }
  }
}

function notificationOutcome(body: LeshuaRefundNotification): GatewayOutcome {
  const errorCode = body.error_code ?? '';
  // Success with an error code is contradictory: let a query settle it rather than trust either half.
  if (body.status === LESHUA_STATUS.refunded && errorCode !== '' && errorCode !== '0') {
    return unknownOutcome('mismatch', `Leshua notified success with error_code ${errorCode}`, {
      rawStatus: body.status,
    });
  }
  return mapLeshuaRefundStatus(body);
}
