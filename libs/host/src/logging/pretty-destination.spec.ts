import { prettyDestination } from './pretty-destination';

describe('prettyDestination', () => {
  const printed = (entry: Record<string, unknown>): string[] => {
    const lines: string[] = [];
    prettyDestination({ write: (line) => lines.push(line) }, { colorize: false }).write(`${JSON.stringify(entry)}\n`);
    return lines;
  };

  it('prints the time, the level, the context and the message, then the other fields as JSON on the same line', () => {
    const lines = printed({
      level: 30,
      time: '2026-01-05T04:00:00.000Z',
      pid: 1,
      hostname: 'h',
      context: 'RefundService',
      refundId: 'rf_1',
      msg: 'Refund rf_1 SUCCEEDED',
    });

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.000\] INFO: \[RefundService\] Refund rf_1 SUCCEEDED \{"refundId":"rf_1"\}\n$/,
    );
  });

  it('escapes control characters in the message, the context and every other field', () => {
    const [line] = printed({
      level: 40,
      time: '2026-01-05T04:00:00.000Z',
      context: 'Ctx\n',
      msg: 'one\nFORGED \u001b[31mred\u2028',
      detail: 'two\r\nthree\u0000',
    });

    expect(line).toContain('WARN: [Ctx\\n] one\\nFORGED \\u001b[31mred\\u2028');
    expect(line).toContain('"detail":"two\\r\\nthree\\u0000"');
    // eslint-disable-next-line no-control-regex -- control characters are what it looks for
    expect(line.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  });
});
