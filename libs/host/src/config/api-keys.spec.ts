import { isMerchantInScope, parseMerchantScope, sha256Hex } from './api-keys';

describe(sha256Hex.name, () => {
  it('is the lowercase hex SHA-256 of the UTF-8 text', () => {
    expect(sha256Hex('test')).toBe('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08');
  });
});

describe(parseMerchantScope.name, () => {
  it('is * as soon as one entry is *', () => {
    expect(parseMerchantScope(['leshua:0000000018', '*'])).toBe('*');
  });

  it('otherwise keeps the entries, without duplicates', () => {
    expect(parseMerchantScope(['leshua:1', 'umf:2', 'leshua:1'])).toEqual(['leshua:1', 'umf:2']);
  });
});

describe(isMerchantInScope.name, () => {
  it('matches the gateway and the merchant id exactly', () => {
    expect(isMerchantInScope('*', 'umf', '1')).toBe(true);
    expect(isMerchantInScope(['leshua:0000000018'], 'leshua', '0000000018')).toBe(true);
    expect(isMerchantInScope(['leshua:0000000018'], 'leshua', '18')).toBe(false);
    expect(isMerchantInScope(['leshua:0000000018'], 'umf', '0000000018')).toBe(false);
  });
});
