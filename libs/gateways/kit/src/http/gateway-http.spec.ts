import { Logger } from '@nestjs/common';

import { GatewayTransport, type TransportRequest, type TransportResult } from './gateway-transport';
import { classifyAnswer, GatewayHttp, parseOrUnknown } from './gateway-http';

class ScriptedTransport extends GatewayTransport {
  readonly calls: TransportRequest[] = [];

  constructor(private readonly result: TransportResult) {
    super();
  }

  async post(request: TransportRequest): Promise<TransportResult> {
    this.calls.push(request);
    return this.result;
  }
}

describe('classifyAnswer', () => {
  it('hands a 2xx body over as text', () => {
    const result: TransportResult = {
      kind: 'answer',
      status: 200,
      body: '<leshua/>',
      headers: { 'content-type': 'text/xml' },
    };

    expect(classifyAnswer({ gateway: 'Leshua', result })).toEqual({
      kind: 'body',
      text: '<leshua/>',
      status: 200,
      headers: { 'content-type': 'text/xml' },
    });
  });

  it.each([502, 500, 404, 302, 199])('makes HTTP %i an unknown http_5xx outcome', (status) => {
    const result: TransportResult = { kind: 'answer', status, body: 'oops', headers: {} };

    expect(classifyAnswer({ gateway: 'Leshua', result })).toEqual({
      kind: 'unknown',
      reason: 'http_5xx',
      detail: `Leshua answered HTTP ${status}`,
    });
  });

  it.each(['timeout', 'connection'] as const)('keeps the %s reason of a transport failure', (reason) => {
    const result: TransportResult = { kind: 'failure', reason, detail: 'no answer within 100 ms' };

    expect(classifyAnswer({ gateway: 'UMF', result })).toEqual({
      kind: 'unknown',
      reason,
      detail: 'UMF: no answer within 100 ms',
    });
  });
});

describe('parseOrUnknown', () => {
  it('returns what the parser returned', () => {
    expect(
      parseOrUnknown({ gateway: 'Baofoo', text: '{"a":1}', parse: (text) => JSON.parse(text) as unknown }),
    ).toEqual({
      kind: 'parsed',
      value: { a: 1 },
    });
  });

  it('turns a parser error into a malformed unknown outcome', () => {
    const outcome = parseOrUnknown({
      gateway: 'Baofoo',
      text: '<html>',
      parse: () => {
        throw new SyntaxError('Unexpected token <');
      },
    });

    expect(outcome).toEqual({
      kind: 'unknown',
      reason: 'malformed',
      detail: 'Baofoo answered an unreadable body: Unexpected token <',
    });
  });
});

describe('GatewayHttp', () => {
  let debug: jest.SpyInstance;

  beforeEach(() => {
    debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('posts through the transport and classifies the answer', async () => {
    const transport = new ScriptedTransport({ kind: 'answer', status: 200, body: 'ok', headers: {} });
    const http = new GatewayHttp({ gateway: 'Leshua', transport });

    const answer = await http.post({
      url: 'https://gateway.test/cgi',
      body: 'sign=SECRET-DERIVED',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      timeoutMs: 1000,
      what: 'unified_refund for merchant 18',
    });

    expect(answer).toMatchObject({ kind: 'body', text: 'ok' });
    expect(transport.calls).toEqual([
      {
        url: 'https://gateway.test/cgi',
        body: 'sign=SECRET-DERIVED',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        timeoutMs: 1000,
      },
    ]);
    expect(debug).toHaveBeenCalledWith('unified_refund for merchant 18: answered HTTP 200 (2 bytes)');
    expect(JSON.stringify(debug.mock.calls)).not.toContain('SECRET');
  });

  it('returns the unknown outcome of a failed call and logs why', async () => {
    const transport = new ScriptedTransport({
      kind: 'failure',
      reason: 'timeout',
      detail: 'no answer within 5 ms',
    });
    const http = new GatewayHttp({ gateway: 'Leshua', transport });

    const answer = await http.post({
      url: 'https://gateway.test/',
      body: '',
      headers: {},
      timeoutMs: 5,
      what: 'query',
    });

    expect(answer).toEqual({ kind: 'unknown', reason: 'timeout', detail: 'Leshua: no answer within 5 ms' });
    expect(debug).toHaveBeenCalledWith('query: Leshua: no answer within 5 ms');
  });

  it('exchanges: posts, then parses a 2xx body, or says why there is no answer to read', async () => {
    const call = { url: 'https://gateway.test/', body: 'a=1', headers: {}, timeoutMs: 10, what: 'refund' };
    const parse = (text: string) => JSON.parse(text) as Record<string, string>;
    const ok = new GatewayHttp({
      gateway: 'ChaoYing',
      transport: new ScriptedTransport({ kind: 'answer', status: 200, body: '{"state":"SUCCESS"}', headers: {} }),
    });
    await expect(ok.exchange({ ...call, parse })).resolves.toEqual({ kind: 'answer', fields: { state: 'SUCCESS' } });
    const garbage = new GatewayHttp({
      gateway: 'ChaoYing',
      transport: new ScriptedTransport({ kind: 'answer', status: 200, body: '<html>', headers: {} }),
    });
    await expect(garbage.exchange({ ...call, parse })).resolves.toMatchObject({ kind: 'unknown', reason: 'malformed' });
    const down = new GatewayHttp({
      gateway: 'ChaoYing',
      transport: new ScriptedTransport({ kind: 'answer', status: 503, body: '', headers: {} }),
    });
    await expect(down.exchange({ ...call, parse })).resolves.toMatchObject({ kind: 'unknown', reason: 'http_5xx' });
  });

  it('parses with the gateway name and logs an unreadable body', () => {
    const http = new GatewayHttp({
      gateway: 'ChaoYing',
      transport: new ScriptedTransport({ kind: 'failure', reason: 'connection', detail: '' }),
    });

    expect(http.parse({ text: '1', parse: Number, what: 'refund' })).toEqual({ kind: 'parsed', value: 1 });
    expect(
      http.parse({
        text: 'x',
        parse: () => {
          throw new Error('not JSON');
        },
        what: 'refund',
      }),
    ).toEqual({
      kind: 'unknown',
      reason: 'malformed',
      detail: 'ChaoYing answered an unreadable body: not JSON',
    });
    expect(debug).toHaveBeenCalledWith('refund: ChaoYing answered an unreadable body: not JSON');
  });
});
