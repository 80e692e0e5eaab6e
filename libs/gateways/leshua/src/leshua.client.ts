import { Injectable } from '@nestjs/common';
import type { UnknownOutcome } from '@refundhub/core';
import { GatewayHttp, GatewayTransport } from '@refundhub/gateway-kit';

import { encodeLeshuaForm, parseLeshuaXml } from './leshua.codec';
import { LeshuaSettings } from './leshua.options';
import { signLeshuaRequest } from './leshua.signer';
import type { LeshuaFields, LeshuaRequestParams } from './leshua.types';

/** An answer we could read (not yet verified). */
export interface LeshuaAnswer {
  kind: 'answer';
  fields: LeshuaFields;
}

/** The only class that talks to Leshua: signs, POSTs the form, reads the XML. Never throws. */
@Injectable()
export class LeshuaClient {
  private readonly http: GatewayHttp;

  constructor(
    transport: GatewayTransport,
    private readonly settings: LeshuaSettings,
  ) {
    this.http = new GatewayHttp({ gateway: 'Leshua', transport });
  }

  call(params: LeshuaRequestParams, tradeKey: string): Promise<LeshuaAnswer | UnknownOutcome> {
    return this.http.exchange({
      url: this.settings.cgiUrl,
      body: encodeLeshuaForm({ ...params, sign: signLeshuaRequest(params, tradeKey) }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      timeoutMs: this.settings.timeoutMs,
      what: `${params.service} for merchant ${params.merchant_id}`,
      parse: (text) => parseLeshuaXml(text),
    });
  }
}
