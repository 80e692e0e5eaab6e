import { runWithLogContext } from '@refundhub/core';

import { createLogRoot } from './log-root';

describe('createLogRoot', () => {
  const capture = () => {
    const lines: string[] = [];
    return { lines, destination: { write: (line: string) => lines.push(line) } };
  };

  it('writes JSON lines with the level by name, an ISO time, and the refund and gateway of the work under way', () => {
    const { lines, destination } = capture();
    const root = createLogRoot({ level: 'info', format: 'json' }, { destination });

    runWithLogContext({ refundId: 'rf_1', gateway: 'leshua' }, () => root.info('inside'));
    root.info('outside');
    root.debug('below the level');

    const [inside, outside] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(inside).toMatchObject({ level: 'info', refundId: 'rf_1', gateway: 'leshua', msg: 'inside' });
    expect(inside.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(outside).not.toHaveProperty('refundId');
  });

  it('redacts credentials in any logged object, at the top and nested', () => {
    const { lines, destination } = capture();
    const root = createLogRoot({ level: 'info', format: 'json' }, { destination });

    root.info(
      {
        authorization: 'Bearer rh_live_1',
        headers: { authorization: 'Bearer rh_live_2', 'x-api-key': 'rh_live_3' },
        merchant: { key: 'K1', privateKey: 'PEM', tradeKey: 'T', notifyKey: 'N' },
        webhook: { secret: 'whsec_1', signature: 'v1,abc' },
        config: { gateways: { password: 'pw' } },
        refundId: 'rf_1',
      },
      'with secrets',
    );

    expect(lines[0]).not.toMatch(/rh_live|K1|PEM|"T"|"N"|whsec_1|v1,abc|"pw"/);
    expect(JSON.parse(lines[0])).toMatchObject({
      authorization: '[redacted]',
      headers: { authorization: '[redacted]', 'x-api-key': '[redacted]' },
      merchant: { key: '[redacted]', privateKey: '[redacted]', tradeKey: '[redacted]', notifyKey: '[redacted]' },
      webhook: { secret: '[redacted]', signature: '[redacted]' },
      config: { gateways: { password: '[redacted]' } },
      refundId: 'rf_1',
    });
  });

  it('prints pretty lines for a person in the pretty format', () => {
    const { lines, destination } = capture();
    const root = createLogRoot({ level: 'info', format: 'pretty' }, { destination });

    root.info({ context: 'RefundhubApi' }, 'Listening');

    expect(lines).toEqual([expect.stringMatching(/^\[[\d :.-]+\] INFO: \[RefundhubApi\] Listening\n$/)]);
  });
});
