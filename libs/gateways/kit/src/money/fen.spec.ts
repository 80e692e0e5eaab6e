import { AmountError, fenToWire, jsonToFen, wireToFen } from './fen';

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
