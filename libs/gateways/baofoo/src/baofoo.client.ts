import { Injectable } from '@nestjs/common';
import type { UnknownOutcome } from '@refundhub/core';
import { formatChinaTime, GatewayHttp, GatewayTransport } from '@refundhub/gateway-kit';

import { encodeBaofooRequestEnvelope, parseBaofooAnswer, stringifyBaofooContent } from './baofoo.codec';
import { BaofooSettings } from './baofoo.options';
import { signBaofoo } from './baofoo.signer';
import {
  BAOFOO_ENVELOPE,
  type BaofooAnswerEnvelope,
  type BaofooBizContent,
  type BaofooMerchantCredentials,
  type BaofooMethod,
} from './baofoo.types';

/** An answer we could read (not yet verified). */
export interface BaofooReadAnswer {
  kind: 'answer';
  fields: BaofooAnswerEnvelope;
}

/** The only class that talks to Baofoo: builds and signs the envelope, POSTs the form, reads the JSON. Never throws for the network. */
@Injectable()
export class BaofooClient {
  private readonly http: GatewayHttp;

  constructor(
    transport: GatewayTransport,
    private readonly settings: BaofooSettings,
  ) {
    this.http = new GatewayHttp({ gateway: 'Baofoo', transport });
  }

  /**
   * One call. `now` is the core's clock: `timestamp` is China time whatever the server's zone (Baofoo
   * refused UTC stamps in its sandbox).
   */
  call(input: {
    method: BaofooMethod;
    merchantId: string;
    credentials: BaofooMerchantCredentials;
    bizContent: BaofooBizContent;
    now: Date;
  }): Promise<BaofooReadAnswer | UnknownOutcome> {
    const { method, merchantId, credentials, now } = input;
    // Signed and sent as this one string: re-serialising it would break the signature.
    const bizContent = stringifyBaofooContent(input.bizContent);
    const body = encodeBaofooRequestEnvelope({
      merId: merchantId,
      terId: credentials.terId,
      method,
      ...BAOFOO_ENVELOPE,
      timestamp: formatChinaTime(now, 'yyyyMMddHHmmss'),
      signSn: credentials.signSn,
      ncrptnSn: credentials.ncrptnSn,
      dgtlEnvlp: '',
      signStr: signBaofoo({ privateKeyPem: credentials.privateKey, content: bizContent }),
      bizContent,
    });
    return this.http.exchange({
      url: this.settings.apiUrl,
      body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      timeoutMs: this.settings.timeoutMs,
      what: `${method} for merchant ${merchantId}`,
      parse: (text) => parseBaofooAnswer(text),
    });
  }
}
