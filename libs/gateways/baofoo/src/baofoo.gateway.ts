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

import { BaofooClient } from './baofoo.client';
import { BAOFOO_GATEWAY_ID, BaofooCredentials } from './baofoo.credentials';
import {
  mapBaofooQueryAnswer,
  mapBaofooRefundAnswer,
  newBaofooNonce,
  toBaofooQueryParams,
  toBaofooRefundParams,
  type BaofooAnswerContext,
} from './baofoo.mapper';
import { BaofooSettings } from './baofoo.options';
import { verifyBaofoo } from './baofoo.signer';
import type { BaofooFields } from './baofoo.types';
import { validateBaofooRefund } from './baofoo.validation';

/**
 * {@link RefundGateway} for Baofoo: submits and queries refunds.
 *
 * No `notifications`: the core then relies on queries alone and sends no notify URL. If Baofoo notifies
 * refund results, add an `baofoo.notify.ts` with an injectable `BaofooNotifications implements
 * GatewayNotifications` (`parse` verifies and maps the notification, `answer` gives the exact body Baofoo
 * expects; see `leshua.notify.ts`), list it in `BaofooModule`'s providers, take it here as
 * `readonly notifications: BaofooNotifications` in the constructor, and switch the contract spec to
 * `notifications: true` with the harness's `notifications` controls.
 */
@RefundGatewayProvider()
@Injectable()
export class BaofooGateway implements RefundGateway {
  readonly id = BAOFOO_GATEWAY_ID;
  private readonly reporter = new OutcomeReporter('Baofoo');

  constructor(
    private readonly client: BaofooClient,
    private readonly credentials: BaofooCredentials,
    private readonly settings: BaofooSettings,
  ) {}

  validate(request: GatewayRefundRequest): GatewayValidation {
    return validateBaofooRefund(request);
  }

  async submit(request: GatewayRefundRequest): Promise<GatewayOutcome> {
    const { key } = await this.credentials.get(request.merchantId);
    const what = `refund ${request.merchantId}/${request.refundNo}`;
    const answer = await this.client.call('refund', toBaofooRefundParams(request, newBaofooNonce()), key);
    return this.reporter.report(
      what,
      answer.kind === 'answer'
        ? mapBaofooRefundAnswer(answer.fields, this.context(answer.fields, key, request))
        : answer,
    );
  }

  async query(query: GatewayRefundQuery): Promise<GatewayQueryOutcome> {
    const { key } = await this.credentials.get(query.merchantId);
    const what = `query ${query.merchantId}/${query.refundNo}`;
    const answer = await this.client.call('query', toBaofooQueryParams(query, newBaofooNonce()), key);
    return this.reporter.report(
      what,
      answer.kind === 'answer' ? mapBaofooQueryAnswer(answer.fields, this.context(answer.fields, key, query)) : answer,
    );
  }

  private context(fields: BaofooFields, key: string, refund: GatewayRefundSnapshot): BaofooAnswerContext {
    return {
      signatureValid: verifyBaofoo(fields, key),
      refundNo: refund.refundNo,
      amount: refund.amount,
      codes: this.settings.errorCodes,
    };
  }
}
