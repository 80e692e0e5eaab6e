import { truncateText } from '@refundhub/core';
import fc from 'fast-check';

import { AmountError, fenToWire, jsonToFen, wireToFen } from './fen';

/** Random text: ASCII, CJK, emoji (astral), combining marks, ZWJ, lone surrogates; and fast-check's own. */
const anyText = fc.oneof(
  fc.string({
    unit: fc.constantFrom(
      '1',
      'a',
      ' ',
      '退',
      '款',
      '𠀀',
      '😀',
      '👨',
      '\u200d',
      '\u0301',
      '\u0308',
      '\ud83d',
      '\ude00',
    ),
    maxLength: 80,
  }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
);

const isLoneSurrogateAt = (text: string, i: number) => {
  const unit = text.charCodeAt(i);
  if (unit >= 0xd800 && unit <= 0xdbff) return !(text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff);
  if (unit >= 0xdc00 && unit <= 0xdfff) return !(text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff);
  return false;
};

describe('fen', () => {
  describe('fenToWire', () => {
    it.each([
      [0, '0'],
      [1, '1'],
      [100, '100'],
      [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    ])('writes %p as %p', (fen, wire) => {
      expect(fenToWire(fen)).toBe(wire);
    });

    it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])('refuses %p', (fen) => {
      expect(() => fenToWire(fen)).toThrow(AmountError);
    });
  });

  describe('wireToFen', () => {
    it.each([
      ['0', 0],
      ['100', 100],
      ['0100', 100],
      ['9007199254740991', Number.MAX_SAFE_INTEGER],
    ])('reads %p as %p', (wire, fen) => {
      expect(wireToFen(wire)).toBe(fen);
    });

    it.each([
      '',
      ' 1',
      '1 ',
      '1.00',
      '1.5',
      '-1',
      '+1',
      '1e3',
      '0x10',
      '１００',
      '9007199254740992',
      '12345678901234567',
    ])('refuses %p', (wire) => {
      expect(() => wireToFen(wire)).toThrow(AmountError);
    });

    it('says which value it refused', () => {
      expect(() => wireToFen('1.00')).toThrow("Not an integer fen amount: '1.00'");
    });

    it('shows a long refused value cut to 40 characters, never inside one, then …', () => {
      expect(() => wireToFen('😀'.repeat(41))).toThrow(`Not an integer fen amount: '${'😀'.repeat(40)}…'`);
      expect(() => wireToFen(`${'1'.repeat(38)}e\u0301`)).toThrow(
        `Not an integer fen amount: '${'1'.repeat(38)}e\u0301'`,
      );
      expect(() => wireToFen(`${'1'.repeat(39)}e\u0301`)).toThrow(`Not an integer fen amount: '${'1'.repeat(39)}…'`);
    });

    it('shows any refused text as a clean prefix of at most 40 code points (property)', () => {
      fc.assert(
        fc.property(anyText, (value) => {
          const message = new AmountError(value).message;
          const opening = "Not an integer fen amount: '";
          expect(message.startsWith(opening)).toBe(true);
          const cut = Array.from(value).length > 40;
          const closing = cut ? "…'" : "'";
          expect(message.endsWith(closing)).toBe(true);
          const shown = message.slice(opening.length, message.length - closing.length);
          expect(value.startsWith(shown)).toBe(true);
          expect(Array.from(shown).length).toBeLessThanOrEqual(40);
          expect(shown).toBe(cut ? truncateText(value, 40) : value);
          for (let i = 0; i < shown.length; i++) {
            if (isLoneSurrogateAt(shown, i)) expect(isLoneSurrogateAt(value, i)).toBe(true);
          }
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('jsonToFen', () => {
    it('reads a JSON integer or a digit string', () => {
      expect(jsonToFen(100)).toBe(100);
      expect(jsonToFen(JSON.parse('{"refundAmt":100.0}').refundAmt)).toBe(100);
      expect(jsonToFen('100')).toBe(100);
    });

    it.each([1.5, -1, Number.MAX_SAFE_INTEGER + 1, '1.5', '', null, undefined, true, {}, [100]])(
      'refuses %p',
      (value) => {
        expect(() => jsonToFen(value)).toThrow(AmountError);
      },
    );

    it('keeps the refused value on the error', () => {
      const error = (() => {
        try {
          jsonToFen({ amount: 1 });
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();

      expect(error).toBeInstanceOf(AmountError);
      expect(error).toMatchObject({
        name: 'AmountError',
        value: { amount: 1 },
        message: 'Not an integer fen amount: (object)',
      });
    });
  });
});
