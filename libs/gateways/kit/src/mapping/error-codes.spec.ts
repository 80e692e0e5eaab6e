import { errorCodeOptionsOf, errorCodesOf, unlistedCodeOutcome } from './error-codes';

describe('errorCodesOf', () => {
  it("merges the module's documented codes with the operator's, and assumes none without either", () => {
    expect(errorCodesOf({})).toEqual({ failed: new Set(), busy: new Set(), notFound: new Set() });
    expect(
      errorCodesOf(
        { failedErrorCodes: ['B'], busyErrorCodes: ['SYSTEM_BUSY'], notFoundErrorCodes: [] },
        { failedErrorCodes: ['A', 'B'], notFoundErrorCodes: ['ORDER_NOT_EXIST'] },
      ),
    ).toEqual({ failed: new Set(['A', 'B']), busy: new Set(['SYSTEM_BUSY']), notFound: new Set(['ORDER_NOT_EXIST']) });
  });

  it('picks the three lists out of a configuration section', () => {
    const section = { baseUrl: 'x', failedErrorCodes: ['F'], busyErrorCodes: ['B'], notFoundErrorCodes: ['N'] };
    expect(errorCodeOptionsOf(section)).toEqual({
      failedErrorCodes: ['F'],
      busyErrorCodes: ['B'],
      notFoundErrorCodes: ['N'],
    });
  });
});

describe('unlistedCodeOutcome', () => {
  const codes = errorCodesOf({ busyErrorCodes: ['SYSTEM_BUSY'] });

  it('is gateway_busy for a busy code and unrecognized for any other, keeping what the gateway said', () => {
    expect(unlistedCodeOutcome({ gateway: 'Acme', code: 'SYSTEM_BUSY', message: '系统繁忙', codes })).toEqual({
      kind: 'unknown',
      reason: 'gateway_busy',
      detail: 'Acme is busy; the refund is queried',
      code: 'SYSTEM_BUSY',
      message: '系统繁忙',
    });
    expect(unlistedCodeOutcome({ gateway: 'Acme', code: 'E9', rawStatus: 'FAIL', codes })).toEqual({
      kind: 'unknown',
      reason: 'unrecognized',
      detail: 'Acme code E9 is not listed as a refusal; the refund is queried',
      code: 'E9',
      rawStatus: 'FAIL',
    });
  });
});
