import { Injectable } from '@nestjs/common';
import {
  RefundGatewayProvider,
  type GatewayOutcome,
  type GatewayQueryOutcome,
  type GatewayRefundQuery,
  type GatewayRefundRequest,
  type GatewayRefundSnapshot,
  type GatewayValidation,
  type RefundGateway,
} from '@refundhub/core';
import { OutcomeReporter } from '@refundhub/gateway-kit';

import { LeshuaClient } from './leshua.client';
import { LESHUA_GATEWAY_ID, LeshuaCredentials } from './leshua.credentials';
import {
  mapLeshuaQueryAnswer,
  mapLeshuaRefundAnswer,
  newLeshuaNonce,
  toLeshuaQueryParams,
  toLeshuaRefundParams,
  type LeshuaAnswerContext,
} from './leshua.mapper';
import { LeshuaNotifications } from './leshua.notify';
import { LeshuaSettings } from './leshua.options';
import { LeshuaResponseVerifier } from './leshua.response-verifier';
import type { LeshuaFields } from './leshua.types';
import { validateLeshuaRefund } from './leshua.validation';

/** {@link RefundGateway} for Leshua: `unified_refund`, `unified_query_refund` and refund notifications. */
@RefundGatewayProvider()
@Injectable()
export class LeshuaGateway implements RefundGateway {
  readonly id = LESHUA_GATEWAY_ID;
  private readonly reporter = new OutcomeReporter('Leshua');

  constructor(
    private readonly client: LeshuaClient,
    private readonly credentials: LeshuaCredentials,
    private readonly verifier: LeshuaResponseVerifier,
    private readonly settings: LeshuaSettings,
    readonly notifications: LeshuaNotifications,
  ) {}

  validate(request: GatewayRefundRequest): GatewayValidation {
    return validateLeshuaRefund(request, this.settings.notifyUrlEncoding);
  }

  async submit(request: GatewayRefundRequest): Promise<GatewayOutcome> {
    const { tradeKey } = await this.credentials.get(request.merchantId);
    const what = `unified_refund ${request.merchantId}/${request.refundNo}`;
    const params = toLeshuaRefundParams(request, {
      nonce: newLeshuaNonce(),
      notifyUrlEncoding: this.settings.notifyUrlEncoding,
    });
    const answer = await this.client.call(params, tradeKey);
    return this.reporter.report(
      what,
      answer.kind === 'answer'
        ? mapLeshuaRefundAnswer(answer.fields, this.context(answer.fields, { tradeKey, what, refund: request }))
        : answer,
    );
  }

  async query(query: GatewayRefundQuery): Promise<GatewayQueryOutcome> {
    const { tradeKey } = await this.credentials.get(query.merchantId);
    const what = `unified_query_refund ${query.merchantId}/${query.refundNo}`;
    const answer = await this.client.call(toLeshuaQueryParams(query, newLeshuaNonce()), tradeKey);
    return this.reporter.report(
      what,
      answer.kind === 'answer'
        ? mapLeshuaQueryAnswer(answer.fields, this.context(answer.fields, { tradeKey, what, refund: query }))
        : answer,
    );
  }

  private context(
    fields: LeshuaFields,
    call: { tradeKey: string; what: string; refund: GatewayRefundSnapshot },
  ): LeshuaAnswerContext {
    return {
      signatureValid: this.verifier.verify(fields, call.tradeKey, call.what) !== null,
      refundNo: call.refund.refundNo,
      amount: call.refund.amount,
      codes: this.settings.errorCodes,
    };
  }
}
