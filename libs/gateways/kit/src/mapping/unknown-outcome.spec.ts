import { isUnknownOutcome, unknownOutcome } from './unknown-outcome';

describe('unknownOutcome', () => {
  it('builds an unknown outcome with the reason and detail', () => {
    expect(unknownOutcome('bad_signature', 'Leshua answer has a wrong signature')).toEqual({
      kind: 'unknown',
      reason: 'bad_signature',
      detail: 'Leshua answer has a wrong signature',
    });
  });

  it('keeps the extras that are present and drops the empty ones', () => {
    const outcome = unknownOutcome('unrecognized', 'Leshua status 99 is not a refund state', {
      rawStatus: '99',
      code: '',
      message: undefined,
    });

    expect(outcome).toStrictEqual({
      kind: 'unknown',
      reason: 'unrecognized',
      detail: 'Leshua status 99 is not a refund state',
      rawStatus: '99',
    });
  });

  it('narrows by kind', () => {
    expect(isUnknownOutcome(unknownOutcome('timeout', 'x'))).toBe(true);
    expect(isUnknownOutcome({ kind: 'body' })).toBe(false);
  });
});
