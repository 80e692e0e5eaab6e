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

import { ChaoyingClient } from './chaoying.client';
import { CHAOYING_GATEWAY_ID, ChaoyingCredentials } from './chaoying.credentials';
import {
  mapChaoyingQueryAnswer,
  mapChaoyingRefundAnswer,
  toChaoyingQueryParams,
  toChaoyingRefundParams,
  type ChaoyingAnswerContext,
} from './chaoying.mapper';
import { ChaoyingSettings } from './chaoying.options';
import { verifyChaoying } from './chaoying.signer';
import type { ChaoyingFields } from './chaoying.types';
import { validateChaoyingRefund } from './chaoying.validation';

/**
 * {@link RefundGateway} for ChaoYing / UnifiedPay: `method=refund` and `method=refundquery`.
 *
 * No `notifications`: ChaoYing documents none for refunds, so the core sends no notify URL and the sync
 * loop is the only way a refund reaches its final state.
 */
@RefundGatewayProvider()
@Injectable()
export class ChaoyingGateway implements RefundGateway {
  readonly id = CHAOYING_GATEWAY_ID;
  private readonly reporter = new OutcomeReporter('ChaoYing');

  constructor(
    private readonly client: ChaoyingClient,
    private readonly credentials: ChaoyingCredentials,
    private readonly settings: ChaoyingSettings,
  ) {}

  validate(request: GatewayRefundRequest): GatewayValidation {
    return validateChaoyingRefund(request);
  }

  async submit(request: GatewayRefundRequest): Promise<GatewayOutcome> {
    const key = await this.signingKey(request.merchantId);
    const answer = await this.client.call(toChaoyingRefundParams(request, this.settings), key);
    return this.reporter.report(
      `refund ${request.merchantId}/${request.refundNo}`,
      answer.kind === 'answer'
        ? mapChaoyingRefundAnswer(answer.fields, this.context(answer.fields, key, request))
        : answer,
    );
  }

  async query(query: GatewayRefundQuery): Promise<GatewayQueryOutcome> {
    const key = await this.signingKey(query.merchantId);
    const answer = await this.client.call(toChaoyingQueryParams(query, this.settings), key);
    return this.reporter.report(
      `refundquery ${query.merchantId}/${query.refundNo}`,
      answer.kind === 'answer'
        ? mapChaoyingQueryAnswer(answer.fields, this.context(answer.fields, key, query))
        : answer,
    );
  }

  private async signingKey(merchantId: string): Promise<string> {
    const { key } = await this.credentials.get(merchantId);
    return this.settings.signingKey(merchantId, key);
  }

  private context(fields: ChaoyingFields, key: string, refund: GatewayRefundSnapshot): ChaoyingAnswerContext {
    return {
      signatureValid: verifyChaoying(fields, key),
      refundNo: refund.refundNo,
      amount: refund.amount,
      codes: this.settings.errorCodes,
    };
  }
}
