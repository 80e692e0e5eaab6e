import fc from 'fast-check';

import { codePointCount, truncateCodePoints, truncateText } from './text';

// Failures print fast-check's seed and path: pass them to fc.assert to replay one.

/** Characters that combine with what comes before them: combining marks, ZWJ, a variation selector, a skin tone. */
const EXTENDERS = ['\u0301', '\u0308', '\u20dd', '\u200d', '\ufe0f', '\u{1f3fd}'];

/** Bases: ASCII, CJK (BMP and astral), emoji, regional indicators, Hangul jamo. No controls, no lone surrogates. */
const BASES = ['a', 'Z', '7', ' ', '-', '退', '款', '失', '败', '𠀀', '😀', '👍', '👨', '👩', '🇨', '🇳', 'ᄀ', 'ᅡ', 'ᆨ'];

/** Controls (a break after them, CR LF together), lone surrogates, a Devanagari conjunct, a prepended mark. */
const OTHERS = ['\r', '\n', '\t', '\ud83d', '\ude00', '\udbff', 'क', '\u094d', 'ष', '\u0600'];

/** Text of bases and extenders only: after a cut between clusters, the next character is never an extender. */
const marked = fc.string({ unit: fc.constantFrom(...BASES, ...EXTENDERS), maxLength: 60 });

/** Anything: the pool with controls and lone surrogates, fast-check's graphemes and code points, raw UTF-16 units. */
const anyText = fc.oneof(
  marked,
  fc.string({ unit: fc.constantFrom(...BASES, ...EXTENDERS, ...OTHERS), maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 60 }).map((units) => String.fromCharCode(...units)),
);

const limit = fc.oneof(fc.nat({ max: 8 }), fc.nat({ max: 80 }));

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** Where each grapheme cluster of `text` ends (UTF-16 index), with its size in code points. */
function clusters(text: string): { end: number; size: number }[] {
  return Array.from(graphemes.segment(text), ({ segment, index }) => ({
    end: index + segment.length,
    size: Array.from(segment).length,
  }));
}

/** Code points, counted independently of the helper: the string iterator yields a lone surrogate on its own. */
const codePoints = (text: string) => Array.from(text).length;

/** UTF-16 indexes of the surrogates of `text` that are not half of a pair. */
function loneSurrogates(text: string): number[] {
  const lone: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const high = unit >= 0xd800 && unit <= 0xdbff;
    const low = unit >= 0xdc00 && unit <= 0xdfff;
    const next = text.charCodeAt(i + 1);
    const prev = text.charCodeAt(i - 1);
    if (high && !(next >= 0xdc00 && next <= 0xdfff)) lone.push(i);
    else if (low && !(prev >= 0xd800 && prev <= 0xdbff)) lone.push(i);
  }
  return lone;
}

/** The result is a prefix of `text`, within the limit, and has no lone surrogate that `text` did not have there. */
function expectCleanPrefix(text: string, max: number, result: string): void {
  expect(text.startsWith(result)).toBe(true);
  expect(codePoints(result)).toBeLessThanOrEqual(max);
  const inText = new Set(loneSurrogates(text));
  for (const at of loneSurrogates(result)) expect(inText.has(at)).toBe(true);
}

describe('truncateCodePoints', () => {
  it('is the longest prefix of whole code points within the limit', () => {
    fc.assert(
      fc.property(anyText, limit, (text, max) => {
        const result = truncateCodePoints(text, max);
        expectCleanPrefix(text, max, result);
        // Longest: only a text that fits is kept whole, and a cut keeps exactly the limit.
        expect(codePoints(result)).toBe(Math.min(max, codePoints(text)));
        expect(result).toBe(Array.from(text).slice(0, max).join(''));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('truncateText', () => {
  it('keeps a text that fits, unchanged', () => {
    fc.assert(
      fc.property(anyText, fc.nat({ max: 40 }), (text, extra) => {
        expect(truncateText(text, codePoints(text) + extra)).toBe(text);
      }),
    );
  });

  it('returns a clean prefix within the limit: no half surrogate pair, at most the limit in code points', () => {
    fc.assert(
      fc.property(anyText, limit, (text, max) => {
        const result = truncateText(text, max);
        expectCleanPrefix(text, max, result);
        // Never longer than the code-point cut, and the same text for a text that fits.
        expect(truncateCodePoints(text, max).startsWith(result)).toBe(true);
        if (codePoints(text) <= max) expect(result).toBe(text);
        // Something is kept of any text when the limit is at least one character.
        if (text !== '' && max > 0) expect(result).not.toBe('');
        expect(truncateText(result, max)).toBe(result);
      }),
      { numRuns: 1000 },
    );
  });

  it('cuts between grapheme clusters, keeping as many as fit; only a cluster longer than the limit is cut on code points', () => {
    fc.assert(
      fc.property(anyText, limit, (text, max) => {
        const result = truncateText(text, max);
        if (result === text) return;
        const all = clusters(text);
        const straddling = all.find((c) => c.end > result.length)!;
        if (straddling.size > max) {
          // No cut could keep that cluster whole: the code-point cut keeps what fits of it.
          expect(result).toBe(truncateCodePoints(text, max));
        } else {
          // The cut is at a cluster boundary, and the next cluster does not fit.
          expect(result.length === 0 || all.some((c) => c.end === result.length)).toBe(true);
          expect(codePoints(result) + straddling.size).toBeGreaterThan(max);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('never leaves a base without the combining marks that follow it, when the limit allows', () => {
    fc.assert(
      fc.property(marked, limit, (text, max) => {
        const result = truncateText(text, max);
        if (result === text || result === '') return;
        const straddling = clusters(text).find((c) => c.end > result.length)!;
        if (straddling.size > max) return;
        const next = String.fromCodePoint(text.codePointAt(result.length)!);
        expect(EXTENDERS).not.toContain(next);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    [
      'the issue: 255 × 退 then 300 × 😀, to 512',
      '退'.repeat(255) + '😀'.repeat(300),
      512,
      '退'.repeat(255) + '😀'.repeat(257),
    ],
    ['an emoji is one character', '😀😀😀', 2, '😀😀'],
    ['a decomposed é is kept or left whole', 'abe\u0301', 3, 'ab'],
    ['a ZWJ sequence is kept whole when it fits', 'x👨\u200d👩\u200d👧y', 6, 'x👨\u200d👩\u200d👧'],
    ['a ZWJ sequence that fits the limit but not what is left is left out', 'x👨\u200d👩\u200d👧y', 5, 'x'],
    ['a cluster longer than the limit is cut on code points', 'e\u0301\u0308\u0301', 2, 'e\u0301'],
    ['a cluster longer than the limit after others too', `xe${'\u0301'.repeat(10)}`, 5, `xe${'\u0301'.repeat(3)}`],
    ['a long cluster past the first 512', `xe${'\u0301'.repeat(600)}`, 512, `xe${'\u0301'.repeat(510)}`],
    ['a long cluster that ends just past the cut', `${'a'.repeat(500)}e${'\u0301'.repeat(20)}`, 512, 'a'.repeat(500)],
    ['a lone surrogate is kept as it is', 'a\ud800b', 2, 'a\ud800'],
    ['nothing for a limit of 0', '退款', 0, ''],
    ['a text that fits', '退款失败', 4, '退款失败'],
  ])('%s', (_name, text, max, expected) => {
    expect(truncateText(text, max)).toBe(expected);
  });

  it('differs from the code-point cut only at a cluster', () => {
    expect(truncateCodePoints('abe\u0301', 3)).toBe('abe');
    expect(truncateCodePoints('退'.repeat(255) + '😀'.repeat(300), 512)).toBe('退'.repeat(255) + '😀'.repeat(257));
  });

  it('segments only the start of a long text (the whole of 4 million characters takes seconds)', () => {
    const huge = '退款失败'.repeat(1_000_000);
    const started = performance.now();
    expect(truncateText(huge, 512)).toBe('退款失败'.repeat(128));
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a limit of %p', (max) => {
    expect(() => truncateText('abc', max)).toThrow(RangeError);
    expect(() => truncateCodePoints('abc', max)).toThrow(RangeError);
  });
});

describe('codePointCount', () => {
  it('counts as PostgreSQL does: an astral character or a lone surrogate is one', () => {
    fc.assert(fc.property(anyText, (text) => expect(codePointCount(text)).toBe(codePoints(text))));
    expect(codePointCount('退😀\ud800')).toBe(3);
  });
});
