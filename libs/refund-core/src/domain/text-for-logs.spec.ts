import fc from 'fast-check';

import { escapeForLog, unstorableTextReason } from './text';

describe(escapeForLog.name, () => {
  it('writes newlines, tabs and terminal escapes as escapes', () => {
    expect(escapeForLog('a\nb\r\nc\td')).toBe('a\\nb\\r\\nc\\td');
    expect(escapeForLog('\u001b[31mred\u001b[0m')).toBe('\\u001b[31mred\\u001b[0m');
    expect(escapeForLog('nul\u0000del\u007fcsi\u009b')).toBe('nul\\u0000del\\u007fcsi\\u009b');
  });

  it('escapes the Unicode line separators, bidi controls and lone surrogates', () => {
    expect(escapeForLog('a\u2028b\u2029c')).toBe('a\\u2028b\\u2029c');
    expect(escapeForLog('x\u202ey\u2066z\u200f')).toBe('x\\u202ey\\u2066z\\u200f');
    expect(escapeForLog('x\ud800y\udc00')).toBe('x\\ud800y\\udc00');
  });

  it('keeps printable text as it is: CJK, emoji, combining marks, backslashes', () => {
    const text = '退款 😀 👨‍👩 é \\n C:\\path "quoted"';
    expect(escapeForLog(text)).toBe(text);
  });

  it('gives one line without controls, and escaping twice changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const once = escapeForLog(text);
        // eslint-disable-next-line no-control-regex -- asserting there are none.
        expect(once).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
        expect(unstorableTextReason(once)).toBeNull();
        expect(escapeForLog(once)).toBe(once);
      }),
      { seed: 20260101, numRuns: 500 },
    );
  });
});

describe(unstorableTextReason.name, () => {
  it('refuses a NUL and a lone surrogate, with a message for a field problem', () => {
    expect(unstorableTextReason('a\u0000b')).toBe('must not contain a NUL character (U+0000)');
    expect(unstorableTextReason('x\ud800y')).toBe('must be well-formed Unicode: it contains a lone surrogate');
    expect(unstorableTextReason('\udfff')).toBe('must be well-formed Unicode: it contains a lone surrogate');
    expect(unstorableTextReason('😀\ud83d')).toBe('must be well-formed Unicode: it contains a lone surrogate');
  });

  it('accepts surrogate pairs and every other control character', () => {
    expect(unstorableTextReason('😀 𠀀 退款')).toBeNull();
    expect(unstorableTextReason('line\nbreak\u001b[31m')).toBeNull();
    expect(unstorableTextReason('')).toBeNull();
  });

  it('accepts exactly the texts that survive a round trip through UTF-8 without a NUL', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const survives = Buffer.from(text, 'utf8').toString('utf8') === text && !text.includes('\u0000');
        expect(unstorableTextReason(text) === null).toBe(survives);
      }),
      { seed: 20260102, numRuns: 1000 },
    );
  });
});
