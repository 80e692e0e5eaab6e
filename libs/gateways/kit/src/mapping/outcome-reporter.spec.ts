import { Logger } from '@nestjs/common';

import { OutcomeReporter } from './outcome-reporter';

describe(OutcomeReporter.name, () => {
  afterEach(() => jest.restoreAllMocks());

  it('warns about unknown outcomes with their reason and returns every outcome unchanged', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    const sut = new OutcomeReporter('Leshua');
    const unknown = { kind: 'unknown' as const, reason: 'timeout' as const, detail: 'no answer' };
    const processing = { kind: 'processing' as const, rawStatus: '10' };

    expect(sut.report('unified_refund m/R1', unknown)).toBe(unknown);
    expect(sut.report('unified_refund m/R2', processing)).toBe(processing);

    expect(warn).toHaveBeenCalledWith('Leshua unified_refund m/R1: outcome unknown (timeout: no answer)');
    expect(debug).toHaveBeenCalledWith('Leshua unified_refund m/R2: processing');
  });
});
