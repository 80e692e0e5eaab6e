import { Injectable } from '@nestjs/common';
import type { UnknownOutcome } from '@refundhub/core';
import { GatewayHttp, GatewayTransport } from '@refundhub/gateway-kit';

import { encodeChaoyingForm, parseChaoyingAnswer } from './chaoying.codec';
import { ChaoyingSettings } from './chaoying.options';
import { signChaoying } from './chaoying.signer';
import type { ChaoyingFields, ChaoyingRequestParams } from './chaoying.types';

/** An answer we could read (not yet verified). */
export interface ChaoyingReadAnswer {
  kind: 'answer';
  fields: ChaoyingFields;
}

/** The only class that talks to ChaoYing: signs, POSTs the form, reads the JSON. Never throws. */
@Injectable()
export class ChaoyingClient {
  private readonly http: GatewayHttp;

  constructor(
    transport: GatewayTransport,
    private readonly settings: ChaoyingSettings,
  ) {
    this.http = new GatewayHttp({ gateway: 'ChaoYing', transport });
  }

  call(params: ChaoyingRequestParams, key: string): Promise<ChaoyingReadAnswer | UnknownOutcome> {
    return this.http.exchange({
      url: this.settings.gatewayUrl,
      body: encodeChaoyingForm({ ...params, sign: signChaoying(params, key) }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      timeoutMs: this.settings.timeoutMs,
      what: `${params.method} for merchant ${params.mch_id}`,
      parse: (text) => parseChaoyingAnswer(text),
    });
  }
}
