import { Injectable, Logger } from '@nestjs/common';
import {
  describeError,
  textForLog,
  type GatewayNotifications,
  type InboundNotification,
  type NotificationAnswer,
  type NotificationAnswerInput,
  type NotificationParseResult,
  type NotifiedOutcomeKind,
} from '@refundhub/core';
import {
  AmountError,
  jsonToFen,
  notificationLimits,
  notificationShapeRefusal,
  readNotificationText,
} from '@refundhub/gateway-kit';

import {
  BaofooParseError,
  baofooNotificationFormat,
  parseBaofooNotification,
  parseBaofooNotificationData,
} from './baofoo.codec';
import { BaofooCredentials } from './baofoo.credentials';
import { mapBaofooNotificationData } from './baofoo.mapper';
import { BaofooSettings } from './baofoo.options';
import { verifyBaofoo } from './baofoo.signer';
import {
  BAOFOO_NOTIFICATION_ACK,
  BAOFOO_NOTIFY_TYPE,
  type BaofooNotificationEnvelope,
  type BaofooRefundNotificationData,
} from './baofoo.types';

type Rejected = Extract<NotificationParseResult, { kind: 'rejected' }>;

/**
 * A notification is the public envelope (about eleven fields) as a form or a JSON object, with the
 * business fields as a JSON text in `dataContent`: 2.3 KB as a form with a 2048-bit signature, a
 * 128-character Chinese `errMsg` and every id at its longest (a form triples each Chinese character).
 * 16 KiB leaves room for a 4096-bit key and undocumented fields; 64 fields for the envelope and again
 * for `dataContent`, each; four levels, since undocumented fields of `dataContent` are skipped whatever
 * they hold (the refund request's own sharing and marketing fields are arrays and objects).
 */
export const BAOFOO_NOTIFICATION_LIMITS = notificationLimits({ maxBodyBytes: 16 * 1024, maxFields: 64, maxDepth: 4 });

/**
 * Reads and verifies REFUND notifications (退款结果通知) posted to the refund's `notifyUrl`, and answers
 * them the way Baofoo expects. The signature covers the raw `dataContent` string, so it is verified
 * first and the fields are read leniently after (a numeric `merId` has been seen).
 */
@Injectable()
export class BaofooNotifications implements GatewayNotifications {
  private readonly logger = new Logger(BaofooNotifications.name);

  readonly maxBodyBytes = BAOFOO_NOTIFICATION_LIMITS.maxBodyBytes;
  /** `succAmt` (成功金额) comes with a success; a failure refunded nothing and carries none. */
  readonly amountSentWith: readonly NotifiedOutcomeKind[] = ['succeeded'];

  constructor(
    private readonly credentials: BaofooCredentials,
    private readonly settings: BaofooSettings,
  ) {}

  async parse(notification: InboundNotification): Promise<NotificationParseResult> {
    const { contentType } = notification;
    const read = readNotificationText(notification, {
      format: (body) => baofooNotificationFormat({ body, contentType }),
      limits: BAOFOO_NOTIFICATION_LIMITS,
    });
    if (read.kind === 'rejected') return read;
    let envelope: BaofooNotificationEnvelope;
    try {
      envelope = parseBaofooNotification({ body: read.text, contentType });
    } catch (error) {
      if (!(error instanceof BaofooParseError)) throw error;
      return { kind: 'rejected', code: 'NOTIFICATION_UNREADABLE', reason: `unreadable notification: ${error.message}` };
    }
    // Payment, sharing and signing notifications may share the URL; they are not about our refunds.
    if (envelope.notifyType !== BAOFOO_NOTIFY_TYPE.refund) {
      return { kind: 'rejected', reason: `notifyType '${envelope.notifyType ?? ''}' is not a refund notification` };
    }
    const dataContent = envelope.dataContent;
    if (!dataContent) return rejected('notification without dataContent', { merchantId: envelope.merId });
    const tooComplex = notificationShapeRefusal(dataContent, {
      format: 'json',
      limits: BAOFOO_NOTIFICATION_LIMITS,
      what: 'dataContent',
    });
    if (tooComplex) return tooComplex;
    let data: BaofooRefundNotificationData;
    try {
      data = parseBaofooNotificationData(dataContent);
    } catch (error) {
      if (!(error instanceof BaofooParseError)) throw error;
      return {
        ...rejected(`unreadable dataContent: ${error.message}`, { merchantId: envelope.merId }),
        code: 'NOTIFICATION_UNREADABLE',
      };
    }
    const merchantId = data.merId || envelope.merId;
    const refundNo = data.outTradeNo;
    const known = { merchantId, refundNo };
    if (!merchantId || !refundNo) return rejected('notification without merId or outTradeNo', known);
    if (envelope.merId && data.merId && envelope.merId !== data.merId) {
      return rejected(`envelope merId ${envelope.merId} differs from the signed merId`, known);
    }

    if (!envelope.signStr) return rejected('unsigned notification', known);
    const problem = await this.signatureProblem({ merchantId, dataContent, signStr: envelope.signStr });
    if (problem) {
      this.logger.warn(
        `Baofoo notification for merchant ${textForLog(merchantId)} refund ${textForLog(refundNo)}: ${textForLog(problem, 512)}`,
      );
      return rejected(problem, known);
    }

    let amount: number | undefined;
    try {
      amount = data.succAmt === undefined || data.succAmt === '' ? undefined : jsonToFen(data.succAmt);
    } catch (error) {
      if (!(error instanceof AmountError)) throw error;
      return rejected(`succAmt ${JSON.stringify(data.succAmt)} is not an amount`, known);
    }
    return {
      kind: 'verified',
      merchantId,
      refundNo,
      ...(data.tradeNo ? { gatewayRefundNo: data.tradeNo } : {}),
      ...(amount !== undefined ? { amount } : {}),
      outcome: mapBaofooNotificationData(data, this.settings.errorCodes),
    };
  }

  /**
   * `OK` stops Baofoo's redelivery (at most 10 times within 24 h), so only an applied notification gets
   * it. Anything else answers `FAIL`: a notification we could not verify or place may be delivered
   * again, and meanwhile the refund is queried.
   */
  answer({ disposition }: NotificationAnswerInput): NotificationAnswer {
    const contentType = 'text/plain; charset=utf-8';
    switch (disposition) {
      case 'applied':
        return { status: 200, contentType, body: BAOFOO_NOTIFICATION_ACK };
      case 'rejected':
        return { status: 400, contentType, body: 'FAIL' };
      case 'unknown_refund':
        return { status: 404, contentType, body: 'FAIL' };
      case 'error':
        return { status: 500, contentType, body: 'FAIL' };
    }
  }

  /** Why `signStr` does not prove that Baofoo sent `dataContent` for this merchant; undefined when it does. */
  private async signatureProblem(input: {
    merchantId: string;
    dataContent: string;
    signStr: string;
  }): Promise<string | undefined> {
    const { merchantId, dataContent, signStr } = input;
    try {
      const credentials = await this.credentials.find(merchantId);
      if (credentials === undefined) return `unknown merchant ${merchantId}`;
      const publicKeyPem = this.settings.platformKey(merchantId, credentials.platformPublicKey);
      return verifyBaofoo({ publicKeyPem, content: dataContent, signStr }) ? undefined : 'wrong signature';
    } catch (error) {
      // A missing or unreadable key is the deployment's fault, not the sender's: logged, never shown to it.
      this.logger.error(
        `Baofoo notification for merchant ${textForLog(merchantId)}: ${textForLog(describeError(error), 512)}`,
      );
      return 'merchant credentials are misconfigured';
    }
  }
}

function rejected(reason: string, known: { merchantId?: string; refundNo?: string }): Rejected {
  return {
    kind: 'rejected',
    reason,
    ...(known.merchantId ? { merchantId: known.merchantId } : {}),
    ...(known.refundNo ? { refundNo: known.refundNo } : {}),
  };
}
