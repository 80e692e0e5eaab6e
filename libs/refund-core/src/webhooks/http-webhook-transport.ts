import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

import { WebhookHttpRequest, WebhookHttpResponse, WebhookTransport } from './webhook-transport';

/** What is read of an answer before the connection is dropped: the status is all that counts. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * The default transport, on node's own http and https clients. Not `fetch`: fetch cannot be told
 * which addresses to connect to, and connecting only to the addresses the target policy checked is
 * what keeps a name that resolves to a private address a moment later (DNS rebinding) from being
 * reached. node's clients never follow redirects.
 */
export class HttpWebhookTransport extends WebhookTransport {
  post(input: WebhookHttpRequest): Promise<WebhookHttpResponse> {
    const url = new URL(input.url);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<WebhookHttpResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        req.destroy(new Error(`timeout after ${input.timeoutMs} ms`));
      }, input.timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      const req = send(
        url,
        {
          method: 'POST',
          headers: { ...input.headers, 'content-length': String(Buffer.byteLength(input.body)) },
          agent: false,
          ...(input.addresses ? { lookup: pinnedLookup(input.addresses) } : {}),
        },
        (res: IncomingMessage) => {
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_ANSWER_BYTES) res.destroy();
          });
          const done = () => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0 });
          };
          res.on('end', done);
          // An answer cut short (too long, or closed) still answered with its status.
          res.on('close', done);
          res.on('error', done);
        },
      );
      req.on('error', fail);
      req.end(input.body);
    });
  }
}

/** A `lookup` that answers only the checked addresses, in the shape node asks for (one, or all). */
function pinnedLookup(addresses: NonNullable<WebhookHttpRequest['addresses']>): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : null;
    const usable = addresses.filter((a) => wanted === null || a.family === wanted);
    if (usable.length === 0) {
      const error: NodeJS.ErrnoException = new Error(`no IPv${wanted} address among the checked ones`);
      error.code = 'ENOTFOUND';
      callback(error, '');
      return;
    }
    if (options.all)
      callback(
        null,
        usable.map(({ address, family }) => ({ address, family })),
      );
    else callback(null, usable[0].address, usable[0].family);
  };
}
