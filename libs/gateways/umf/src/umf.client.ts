import { Injectable } from '@nestjs/common';
import type { UnknownOutcome } from '@refundhub/core';
import { GatewayHttp, GatewayTransport } from '@refundhub/gateway-kit';

import { encodeUmfRequest, parseUmfAnswer } from './umf.codec';
import { UmfSettings } from './umf.options';
import { signUmfRequest } from './umf.signer';
import type { UmfFields, UmfOperation, UmfRequestParams } from './umf.types';

/** An answer we could read (not yet verified). */
export interface UmfReadAnswer {
  kind: 'answer';
  fields: UmfFields;
}

/** The only class that talks to UMF: signs, POSTs `context=`, reads the JSON. Never throws for the network. */
@Injectable()
export class UmfClient {
  private readonly http: GatewayHttp;

  constructor(
    transport: GatewayTransport,
    private readonly settings: UmfSettings,
  ) {
    this.http = new GatewayHttp({ gateway: 'UMF', transport });
  }

  call(input: {
    operation: UmfOperation;
    params: UmfRequestParams;
    privateKeyPem: string;
  }): Promise<UmfReadAnswer | UnknownOutcome> {
    const { operation, params, privateKeyPem } = input;
    const sign = signUmfRequest({ fields: params, privateKeyPem, hash: this.settings.signatureHash });
    return this.http.exchange({
      url: operation === 'refund' ? this.settings.refundUrl : this.settings.queryUrl,
      body: encodeUmfRequest({ ...params, sign }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      timeoutMs: this.settings.timeoutMs,
      what: `${operation} for merchant ${params.subMerId}`,
      parse: (text) => parseUmfAnswer(text),
    });
  }
}
