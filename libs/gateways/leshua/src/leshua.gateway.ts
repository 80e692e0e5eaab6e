import { Injectable, Logger } from '@nestjs/common';

import {
  RefundGatewayProvider,
  type FieldProblem,
  type GatewayOutcome,
  type GatewayQueryOutcome,
  type GatewayRefundQuery,
  type GatewayRefundRequest,
  type InboundNotification,
  type NotificationAnswer,
  type NotificationDisposition,
  type NotificationParseResult,
  type RefundGateway,
} from '@refundhub/core';

import { LeshuaClient } from './leshua.client';
import { LESHUA_GATEWAY_ID, LeshuaCredentials } from './leshua.credentials';
import {
  mapLeshuaQueryAnswer,
  mapLeshuaRefundAnswer,
  newLeshuaNonce,
  toLeshuaQueryParams,
  toLeshuaRefundParams,
} from './leshua.mapper';
import { answerLeshuaNotification, LeshuaNotificationReader } from './leshua.notify';
import { LeshuaSettings } from './leshua.options';
import { LeshuaResponseVerifier } from './leshua.response-verifier';
import { validateLeshuaRefund } from './leshua.validation';

/** {@link RefundGateway} for Leshua: `unified_refund`, `unified_query_refund` and refund notifications. */
@RefundGatewayProvider()
@Injectable()
export class LeshuaGateway implements RefundGateway {
  readonly id = LESHUA_GATEWAY_ID;
  private readonly logger = new Logger(LeshuaGateway.name);

  constructor(
    private readonly client: LeshuaClient,
    private readonly credentials: LeshuaCredentials,
    private readonly verifier: LeshuaResponseVerifier,
    private readonly notifications: LeshuaNotificationReader,
    private readonly settings: LeshuaSettings,
  ) {}

  validate(request: GatewayRefundRequest): FieldProblem[] {
    return validateLeshuaRefund(request, this.settings.notifyUrlEncoding);
  }

  async submit(request: GatewayRefundRequest): Promise<GatewayOutcome> {
    const { tradeKey } = await this.credentials.get(request.merchantId);
    const params = toLeshuaRefundParams(request, {
      nonce: newLeshuaNonce(),
      notifyUrlEncoding: this.settings.notifyUrlEncoding,
    });
    const context = `unified_refund ${request.merchantId}/${request.refundNo}`;
    const result = await this.client.call(params, tradeKey);
    const outcome: GatewayOutcome =
      result.kind === 'transport'
        ? transportOutcome(result.reason)
        : mapLeshuaRefundAnswer(result.fields, {
            signatureValid: this.verifier.verify(result.fields, tradeKey, context) !== null,
            refundNo: request.refundNo,
            amount: request.amount,
            unknownErrorCodes: this.settings.unknownErrorCodes,
          });
    this.report(context, outcome);
    return outcome;
  }

  async query(request: GatewayRefundQuery): Promise<GatewayQueryOutcome> {
    const { tradeKey } = await this.credentials.get(request.merchantId);
    const context = `unified_query_refund ${request.merchantId}/${request.refundNo}`;
    const result = await this.client.call(toLeshuaQueryParams(request, newLeshuaNonce()), tradeKey);
    const outcome: GatewayQueryOutcome =
      result.kind === 'transport'
        ? transportOutcome(result.reason)
        : mapLeshuaQueryAnswer(result.fields, {
            signatureValid: this.verifier.verify(result.fields, tradeKey, context) !== null,
            refundNo: request.refundNo,
            unknownErrorCodes: this.settings.unknownErrorCodes,
            notFoundErrorCodes: this.settings.notFoundErrorCodes,
          });
    this.report(context, outcome);
    return outcome;
  }

  parseNotification(notification: InboundNotification): Promise<NotificationParseResult> {
    return this.notifications.parse(notification);
  }

  answerNotification(disposition: NotificationDisposition): NotificationAnswer {
    return answerLeshuaNotification(disposition);
  }

  private report(context: string, outcome: GatewayQueryOutcome): void {
    if (outcome.kind === 'unknown')
      this.logger.warn(`Leshua ${context}: outcome unknown (${outcome.reason})`);
    else this.logger.debug(`Leshua ${context}: ${outcome.kind}`);
  }
}

/** No readable answer: whether the refund happened is unknown, whatever the cause. */
function transportOutcome(reason: string): Extract<GatewayOutcome, { kind: 'unknown' }> {
  return { kind: 'unknown', reason: `Leshua unreachable: ${reason}`, code: reason === 'timeout' ? 'TIMEOUT' : 'TRANSPORT' };
}
