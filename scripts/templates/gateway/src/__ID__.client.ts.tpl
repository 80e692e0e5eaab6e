import { Injectable } from '@nestjs/common';
import type { UnknownOutcome } from '@refundhub/core';
import { GatewayHttp, GatewayTransport } from '@refundhub/gateway-kit';

import { encode__Id__Request, parse__Id__Answer } from './__ID__.codec';
import { __Id__Settings } from './__ID__.options';
import { sign__Id__ } from './__ID__.signer';
import type { __Id__Fields, __Id__Operation, __Id__RequestParams } from './__ID__.types';

/** An answer we could read (not yet verified). */
export interface __Id__ReadAnswer {
  kind: 'answer';
  fields: __Id__Fields;
}

/** The only class that talks to __Id__: signs, POSTs the JSON, reads the answer. Never throws. */
@Injectable()
export class __Id__Client {
  private readonly http: GatewayHttp;

  constructor(
    transport: GatewayTransport,
    private readonly settings: __Id__Settings,
  ) {
    this.http = new GatewayHttp({ gateway: '__Id__', transport });
  }

  call(operation: __Id__Operation, params: __Id__RequestParams, key: string): Promise<__Id__ReadAnswer | UnknownOutcome> {
    return this.http.exchange({
      url: operation === 'refund' ? this.settings.refundUrl : this.settings.queryUrl,
      body: encode__Id__Request({ ...params, sign: sign__Id__(params, key) }),
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      timeoutMs: this.settings.timeoutMs,
      what: `${operation} for merchant ${params.merchant_id}`,
      parse: (text) => parse__Id__Answer(text),
    });
  }
}
