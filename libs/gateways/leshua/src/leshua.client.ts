import { HttpService } from '@nestjs/axios';
import { Injectable, Logger } from '@nestjs/common';
import { AxiosError } from 'axios';
import { firstValueFrom } from 'rxjs';

import { encodeLeshuaForm, LeshuaXmlParseError, parseLeshuaXml } from './leshua.codec';
import { LeshuaSettings } from './leshua.options';
import { signLeshuaRequest } from './leshua.signer';
import type { LeshuaFields, LeshuaRequestParams } from './leshua.types';

/** An answer we could read (not yet verified), or why there was none. */
export type LeshuaCallResult =
  { kind: 'answer'; fields: LeshuaFields } | { kind: 'transport'; reason: string };

/** The only class that talks HTTP to Leshua: signs, POSTs the form, reads the XML. Never throws. */
@Injectable()
export class LeshuaClient {
  private readonly logger = new Logger(LeshuaClient.name);

  constructor(
    private readonly http: HttpService,
    private readonly settings: LeshuaSettings,
  ) {}

  async call(params: LeshuaRequestParams, tradeKey: string): Promise<LeshuaCallResult> {
    const body = encodeLeshuaForm({ ...params, sign: signLeshuaRequest(params, tradeKey) });
    const what = `${params.service} for merchant ${params.merchant_id}`;
    let status: number;
    let text: unknown;
    try {
      const response = await firstValueFrom(
        this.http.post<string>(this.settings.cgiUrl, body, {
          headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
          timeout: this.settings.timeoutMs,
          // The socket timeout alone does not bound a server that trickles bytes; this bounds the whole call.
          signal: AbortSignal.timeout(this.settings.timeoutMs),
          responseType: 'text',
          transformResponse: [(data: unknown) => data],
          validateStatus: () => true,
          maxRedirects: 0,
        }),
      );
      status = response.status;
      text = response.data;
    } catch (error) {
      const reason = describeTransportError(error);
      this.logger.debug(`Leshua ${what} got no answer: ${reason}`);
      return { kind: 'transport', reason };
    }
    if (status < 200 || status > 299) {
      this.logger.debug(`Leshua ${what} answered HTTP ${status}`);
      return { kind: 'transport', reason: `HTTP ${status}` };
    }
    if (typeof text !== 'string') return { kind: 'transport', reason: 'answer body is not text' };
    try {
      const fields = parseLeshuaXml(text);
      this.logger.debug(
        `Leshua ${what} answered resp_code=${fields['resp_code'] ?? '?'} result_code=${fields['result_code'] ?? '?'}`,
      );
      return { kind: 'answer', fields };
    } catch (error) {
      const message = error instanceof LeshuaXmlParseError ? error.message : String(error);
      this.logger.debug(`Leshua ${what} answered an unreadable body: ${message}`);
      return { kind: 'transport', reason: `unparsable answer: ${message}` };
    }
  }
}

function describeTransportError(error: unknown): string {
  if (error instanceof AxiosError) {
    if (
      error.code === AxiosError.ECONNABORTED ||
      error.code === AxiosError.ETIMEDOUT ||
      error.code === AxiosError.ERR_CANCELED
    ) {
      return 'timeout';
    }
    return `connection error (${error.code ?? error.message})`;
  }
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'timeout';
  return `connection error (${error instanceof Error ? error.message : String(error)})`;
}
