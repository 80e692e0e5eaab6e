import { Injectable } from '@nestjs/common';
import type { UnknownOutcome } from '@refundhub/core';
import { GatewayHttp, GatewayTransport } from '@refundhub/gateway-kit';

import { encodeUmfRequest, parseUmfAnswer } from './umf.codec';
import { UmfSettings } from './umf.options';
import { signUmf } from './umf.signer';
import type { UmfFields, UmfOperation, UmfRequestParams } from './umf.types';

/** An answer we could read (not yet verified). */
export interface UmfReadAnswer {
  kind: 'answer';
  fields: UmfFields;
}

/** The only class that talks to Umf: signs, POSTs the JSON, reads the answer. Never throws. */
@Injectable()
export class UmfClient {
  private readonly http: GatewayHttp;

  constructor(
    transport: GatewayTransport,
    private readonly settings: UmfSettings,
  ) {
    this.http = new GatewayHttp({ gateway: 'Umf', transport });
  }

  call(operation: UmfOperation, params: UmfRequestParams, key: string): Promise<UmfReadAnswer | UnknownOutcome> {
    return this.http.exchange({
      url: operation === 'refund' ? this.settings.refundUrl : this.settings.queryUrl,
      body: encodeUmfRequest({ ...params, sign: signUmf(params, key) }),
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      timeoutMs: this.settings.timeoutMs,
      what: `${operation} for merchant ${params.merchant_id}`,
      parse: (text) => parseUmfAnswer(text),
    });
  }
}
