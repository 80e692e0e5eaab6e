import fc from 'fast-check';

import { escapeForLog, textForLog } from './text';

// Failures print fast-check's seed and path: pass them to fc.assert to replay one.

/** Anything a line of a log could be broken, restyled or reordered with. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** What the escapes write. */
const ESCAPE = /\\(?:[nrt]|u[0-9a-f]{4})/g;

const HOSTILE = [
  '\n',
  '\r',
  '\t',
  '\u001b',
  '\u001b[2K',
  '\u009b',
  '\u007f',
  '\u0000',
  '\u2028',
  '\u202e',
  '\u2066',
  '\\',
  '\\n',
];

/** Any text: raw UTF-16 units (lone surrogates too), code points, and a pool dense in controls and escapes. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 80 }).map((units) => String.fromCharCode(...units)),
  fc.string({ unit: fc.constantFrom(...HOSTILE, 'a', '退', '😀', ' ', 'e\u0301'), maxLength: 40 }),
);

describe(escapeForLog.name, () => {
  it('leaves nothing that can break, restyle or reorder a log line, and is the same when escaped twice', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const escaped = escapeForLog(text);
        expect(escaped.replace(ESCAPE, '')).not.toMatch(UNSAFE);
        expect(escaped).not.toMatch(/[\ud800-\udfff]/u);
        expect(escapeForLog(escaped)).toBe(escaped);
      }),
    );
  });

  it('keeps printable text as it is', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'Z', '7', ' ', '-', '退', '款', '😀', 'e\u0301', '👨‍👩') }),
        (text) => expect(escapeForLog(text)).toBe(text),
      ),
    );
  });

  it.each([
    ['escapes a line break and an ANSI erase', 'R1\n[Nest] LOG forged\u001b[2K', 'R1\\n[Nest] LOG forged\\u001b[2K'],
    ['escapes a carriage return and a tab', 'a\rb\tc', 'a\\rb\\tc'],
    ['leaves a typed backslash alone: it cannot start a line', 'a\\nb', 'a\\nb'],
    ['escapes a C1 control sequence introducer', 'x\u009b31m', 'x\\u009b31m'],
    ['escapes a right-to-left override', 'pay\u202eyap', 'pay\\u202eyap'],
    ['escapes a lone surrogate', 'a\ud800b', 'a\\ud800b'],
    ['keeps an emoji whole', '😀', '😀'],
  ])('%s', (_name, text, expected) => {
    expect(escapeForLog(text)).toBe(expected);
  });
});

describe(textForLog.name, () => {
  it('cuts a long value on a character boundary, marks the cut, then escapes', () => {
    expect(textForLog('😀'.repeat(200), 3)).toBe('😀😀😀…');
    expect(textForLog(`${'\n'.repeat(5)}`, 2)).toBe('\\n\\n…');
    expect(textForLog('0000000018')).toBe('0000000018');
  });

  it('says ? for a missing value', () => {
    expect(textForLog(undefined)).toBe('?');
    expect(textForLog(null)).toBe('?');
  });

  it('never leaves a line break, whatever it is given', () => {
    fc.assert(
      fc.property(anyText, fc.nat({ max: 50 }), (text, max) => {
        expect(textForLog(text, max).replace(ESCAPE, '')).not.toMatch(UNSAFE);
      }),
    );
  });
});
