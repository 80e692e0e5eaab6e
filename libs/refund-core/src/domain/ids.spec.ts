import { idTimeBound, newId } from './ids';

describe(idTimeBound.name, () => {
  const at = new Date('2026-11-30T12:00:00.000Z');

  it('sorts every id made at or after the time at or above it, and every earlier one below it', () => {
    const bound = idTimeBound('rf', at);
    expect(newId('rf', at) >= bound).toBe(true);
    expect(newId('rf', new Date(at.getTime() + 1)) >= bound).toBe(true);
    expect(newId('rf', new Date(at.getTime() - 1)) < bound).toBe(true);
  });

  it('bounds below every id for a time before 1970, and stays 12 digits up to year 9999', () => {
    expect(idTimeBound('rf', new Date('0001-01-01T00:00:00Z'))).toBe('rf_000000000000');
    expect(idTimeBound('rf', new Date('9999-12-31T23:59:59.999Z'))).toMatch(/^rf_[0-9a-f]{12}$/);
  });
});
