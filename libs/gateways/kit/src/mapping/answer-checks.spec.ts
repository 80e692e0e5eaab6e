import { answerMismatch } from './answer-checks';

describe('answerMismatch', () => {
  const expected = { refundNo: 'R1', amount: 100 };

  it('accepts an answer about the same refund and amount', () => {
    expect(
      answerMismatch({ gateway: 'Leshua', expected, answered: { refundNo: 'R1', amount: '100' } }),
    ).toBeUndefined();
    expect(answerMismatch({ gateway: 'Baofoo', expected, answered: { refundNo: 'R1', amount: 100 } })).toBeUndefined();
    expect(
      answerMismatch({ gateway: 'Leshua', expected, answered: { refundNo: 'R1', amount: '0100' } }),
    ).toBeUndefined();
  });

  it('does not count absent fields as mismatches', () => {
    expect(answerMismatch({ gateway: 'ChaoYing', expected, answered: {} })).toBeUndefined();
    expect(
      answerMismatch({ gateway: 'ChaoYing', expected, answered: { refundNo: null, amount: null } }),
    ).toBeUndefined();
    expect(
      answerMismatch({
        gateway: 'ChaoYing',
        expected: { refundNo: 'R1' },
        answered: { refundNo: 'R1', amount: '5' },
      }),
    ).toBeUndefined();
  });

  it('flags an answer about another refund', () => {
    expect(
      answerMismatch({
        gateway: 'Leshua',
        expected,
        answered: { refundNo: 'R2', amount: '100' },
        rawStatus: '11',
      }),
    ).toEqual({
      kind: 'unknown',
      reason: 'mismatch',
      detail: "Leshua answered about refund 'R2', not 'R1'",
      rawStatus: '11',
    });
  });

  it('flags another amount, as a string or a number', () => {
    expect(answerMismatch({ gateway: 'Leshua', expected, answered: { amount: '99' } })).toEqual({
      kind: 'unknown',
      reason: 'mismatch',
      detail: "Leshua answered amount '99' for a refund of 100 fen",
    });
    expect(answerMismatch({ gateway: 'Baofoo', expected, answered: { amount: 101 } })).toMatchObject({
      reason: 'mismatch',
      detail: "Baofoo answered amount '101' for a refund of 100 fen",
    });
  });

  it.each(['1.00', '', ' 100', '-100', 100.5, -100])('flags an unreadable amount %p', (amount) => {
    expect(answerMismatch({ gateway: 'UMF', expected, answered: { refundNo: 'R1', amount } })).toMatchObject({
      kind: 'unknown',
      reason: 'mismatch',
    });
  });
});
