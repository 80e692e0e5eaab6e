import { Injectable, Logger } from '@nestjs/common';
import {
  RefundGatewayProvider,
  type GatewayCapabilities,
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
  toBaofooQueryBizContent,
  toBaofooRefundBizContent,
  type BaofooAnswerContext,
} from './baofoo.mapper';
import { BaofooNotifications } from './baofoo.notify';
import { BaofooSettings } from './baofoo.options';
import { verifyBaofoo } from './baofoo.signer';
import { BAOFOO_METHOD, type BaofooAnswerEnvelope, type BaofooMerchantCredentials } from './baofoo.types';
import { validateBaofooRefund } from './baofoo.validation';

/**
 * {@link RefundGateway} for Baofoo aggregate pay: `order_refund`, `refund_query` and REFUND notifications.
 * Baofoo refuses a second refund of an order while one is in flight (NOT_SUPPORT_CONCURRENT), so the core
 * submits one refund per order at a time.
 */
@RefundGatewayProvider()
@Injectable()
export class BaofooGateway implements RefundGateway {
  readonly id = BAOFOO_GATEWAY_ID;
  readonly capabilities: Partial<GatewayCapabilities> = { oneRefundInFlightPerOrder: true };
  private readonly reporter = new OutcomeReporter('Baofoo');

  constructor(
    private readonly client: BaofooClient,
    private readonly credentials: BaofooCredentials,
    private readonly settings: BaofooSettings,
    readonly notifications: BaofooNotifications,
  ) {
    // The seed leaves txnTime's meaning open; which reading a deployment runs must show in its logs.
    new Logger(BaofooGateway.name).log(
      settings.txnTime === 'paid_at'
        ? 'txnTime variant paid_at: order_refund sends the order paid time'
        : 'txnTime variant submission: order_refund sends the time of each submission',
    );
  }

  validate(request: GatewayRefundRequest): GatewayValidation {
    return validateBaofooRefund(request);
  }

  async submit(request: GatewayRefundRequest): Promise<GatewayOutcome> {
    const credentials = await this.credentials.get(request.merchantId);
    const answer = await this.client.call({
      method: BAOFOO_METHOD.refund,
      merchantId: request.merchantId,
      credentials,
      bizContent: toBaofooRefundBizContent(request, { terId: credentials.terId, txnTime: this.settings.txnTime }),
      now: request.now,
    });
    return this.reporter.report(
      `${BAOFOO_METHOD.refund} ${request.merchantId}/${request.refundNo}`,
      answer.kind === 'answer'
        ? mapBaofooRefundAnswer(answer.fields, this.context(answer.fields, credentials, request))
        : answer,
    );
  }

  async query(query: GatewayRefundQuery): Promise<GatewayQueryOutcome> {
    const credentials = await this.credentials.get(query.merchantId);
    const answer = await this.client.call({
      method: BAOFOO_METHOD.query,
      merchantId: query.merchantId,
      credentials,
      bizContent: toBaofooQueryBizContent(query, { terId: credentials.terId }),
      now: query.now,
    });
    return this.reporter.report(
      `${BAOFOO_METHOD.query} ${query.merchantId}/${query.refundNo}`,
      answer.kind === 'answer'
        ? mapBaofooQueryAnswer(answer.fields, this.context(answer.fields, credentials, query))
        : answer,
    );
  }

  private context(
    envelope: BaofooAnswerEnvelope,
    credentials: BaofooMerchantCredentials,
    refund: GatewayRefundSnapshot,
  ): BaofooAnswerContext {
    const publicKeyPem = this.settings.platformKey(refund.merchantId, credentials.platformPublicKey);
    return {
      signatureValid:
        !!envelope.dataContent &&
        verifyBaofoo({ publicKeyPem, content: envelope.dataContent, signStr: envelope.signStr }),
      refundNo: refund.refundNo,
      amount: refund.amount,
      codes: this.settings.errorCodes,
    };
  }
}
