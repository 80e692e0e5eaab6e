import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * POSTs `body` and resolves the answer as soon as it arrives, without ever ending the request when
 * `end` is false: the answer can then only come from a server that did not wait for the whole body.
 * No `contentLength` sends the body chunked.
 */
export function postRaw(input: {
  url: string;
  body: Buffer;
  contentType?: string;
  contentLength?: number;
  end?: boolean;
}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {};
    if (input.contentType) headers['content-type'] = input.contentType;
    if (input.contentLength !== undefined) headers['content-length'] = input.contentLength;
    const req = request(input.url, { method: 'POST', headers, agent: false });
    let answered = false;
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        answered = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        req.destroy();
      });
    });
    // A server that answers early may close the connection while the body is still being written.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.write(input.body);
    if (input.end !== false) req.end();
  });
}
