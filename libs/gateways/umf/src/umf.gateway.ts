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

import { UmfClient } from './umf.client';
import { UMF_GATEWAY_ID, UmfCredentials } from './umf.credentials';
import {
  mapUmfQueryAnswer,
  mapUmfRefundAnswer,
  newUmfNonce,
  toUmfQueryParams,
  toUmfRefundParams,
  type UmfAnswerContext,
} from './umf.mapper';
import { UmfSettings } from './umf.options';
import { verifyUmf } from './umf.signer';
import type { UmfFields } from './umf.types';
import { validateUmfRefund } from './umf.validation';

/**
 * {@link RefundGateway} for Umf: submits and queries refunds.
 *
 * No `notifications`: the core then relies on queries alone and sends no notify URL. If Umf notifies
 * refund results, add an `umf.notify.ts` with an injectable `UmfNotifications implements
 * GatewayNotifications` (`parse` verifies and maps the notification, `answer` gives the exact body Umf
 * expects; see `leshua.notify.ts`), list it in `UmfModule`'s providers, take it here as
 * `readonly notifications: UmfNotifications` in the constructor, and switch the contract spec to
 * `notifications: true` with the harness's `notifications` controls.
 */
@RefundGatewayProvider()
@Injectable()
export class UmfGateway implements RefundGateway {
  readonly id = UMF_GATEWAY_ID;
  private readonly reporter = new OutcomeReporter('Umf');

  constructor(
    private readonly client: UmfClient,
    private readonly credentials: UmfCredentials,
    private readonly settings: UmfSettings,
  ) {}

  validate(request: GatewayRefundRequest): GatewayValidation {
    return validateUmfRefund(request);
  }

  async submit(request: GatewayRefundRequest): Promise<GatewayOutcome> {
    const { key } = await this.credentials.get(request.merchantId);
    const what = `refund ${request.merchantId}/${request.refundNo}`;
    const answer = await this.client.call('refund', toUmfRefundParams(request, newUmfNonce()), key);
    return this.reporter.report(
      what,
      answer.kind === 'answer' ? mapUmfRefundAnswer(answer.fields, this.context(answer.fields, key, request)) : answer,
    );
  }

  async query(query: GatewayRefundQuery): Promise<GatewayQueryOutcome> {
    const { key } = await this.credentials.get(query.merchantId);
    const what = `query ${query.merchantId}/${query.refundNo}`;
    const answer = await this.client.call('query', toUmfQueryParams(query, newUmfNonce()), key);
    return this.reporter.report(
      what,
      answer.kind === 'answer' ? mapUmfQueryAnswer(answer.fields, this.context(answer.fields, key, query)) : answer,
    );
  }

  private context(fields: UmfFields, key: string, refund: GatewayRefundSnapshot): UmfAnswerContext {
    return {
      signatureValid: verifyUmf(fields, key),
      refundNo: refund.refundNo,
      amount: refund.amount,
      codes: this.settings.errorCodes,
    };
  }
}
