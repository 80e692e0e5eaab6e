import { Injectable } from '@nestjs/common';
import type { UnknownOutcome } from '@refundhub/core';
import { GatewayHttp, GatewayTransport } from '@refundhub/gateway-kit';

import { encodeBaofooRequest, parseBaofooAnswer } from './baofoo.codec';
import { BaofooSettings } from './baofoo.options';
import { signBaofoo } from './baofoo.signer';
import type { BaofooFields, BaofooOperation, BaofooRequestParams } from './baofoo.types';

/** An answer we could read (not yet verified). */
export interface BaofooReadAnswer {
  kind: 'answer';
  fields: BaofooFields;
}

/** The only class that talks to Baofoo: signs, POSTs the JSON, reads the answer. Never throws. */
@Injectable()
export class BaofooClient {
  private readonly http: GatewayHttp;

  constructor(
    transport: GatewayTransport,
    private readonly settings: BaofooSettings,
  ) {
    this.http = new GatewayHttp({ gateway: 'Baofoo', transport });
  }

  call(
    operation: BaofooOperation,
    params: BaofooRequestParams,
    key: string,
  ): Promise<BaofooReadAnswer | UnknownOutcome> {
    return this.http.exchange({
      url: operation === 'refund' ? this.settings.refundUrl : this.settings.queryUrl,
      body: encodeBaofooRequest({ ...params, sign: signBaofoo(params, key) }),
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      timeoutMs: this.settings.timeoutMs,
      what: `${operation} for merchant ${params.merchant_id}`,
      parse: (text) => parseBaofooAnswer(text),
    });
  }
}
