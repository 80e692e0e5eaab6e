import { errorCodeOptionsOf, errorCodesOf } from './error-codes';

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
