import { checkBaseUrl, oneOf, positiveInteger } from './option-checks';

describe('option checks', () => {
  describe('checkBaseUrl', () => {
    it('accepts http(s) URLs and strips trailing slashes', () => {
      expect(checkBaseUrl({ gateway: 'Leshua', baseUrl: 'https://paygate.leshuazf.com/' })).toBe(
        'https://paygate.leshuazf.com',
      );
      expect(checkBaseUrl({ gateway: 'Baofoo', baseUrl: 'http://127.0.0.1:8080/api//' })).toBe(
        'http://127.0.0.1:8080/api',
      );
      expect(checkBaseUrl({ gateway: 'UMF', baseUrl: 'https://mofunapi.umfintech.com/in-pay-client' })).toBe(
        'https://mofunapi.umfintech.com/in-pay-client',
      );
    });

    it.each([
      ['paygate.leshuazf.com', "Leshua option baseUrl must be an absolute URL, got 'paygate.leshuazf.com'"],
      ['ftp://example.com', "Leshua option baseUrl must be http(s), got 'ftp://example.com'"],
      [
        'https://example.com/?a=1',
        "Leshua option baseUrl must not have a query or a fragment, got 'https://example.com/?a=1'",
      ],
      [
        'https://example.com/#x',
        "Leshua option baseUrl must not have a query or a fragment, got 'https://example.com/#x'",
      ],
      [undefined, 'Leshua option baseUrl must be an absolute URL, got undefined'],
      [42, 'Leshua option baseUrl must be an absolute URL, got 42'],
    ])('refuses %p', (baseUrl, message) => {
      expect(() => checkBaseUrl({ gateway: 'Leshua', baseUrl })).toThrow(message);
    });

    it('names the option it checks', () => {
      expect(() => checkBaseUrl({ gateway: 'Baofoo', name: 'backupUrl', baseUrl: 'nope' })).toThrow(
        "Baofoo option backupUrl must be an absolute URL, got 'nope'",
      );
    });
  });

  describe('oneOf', () => {
    const allowed = ['auto', 'doc', 'skip-empty'] as const;

    it('defaults to the first allowed value', () => {
      expect(oneOf({ gateway: 'Leshua', name: 'responseVerification', value: undefined, allowed })).toBe('auto');
    });

    it('returns an allowed value', () => {
      const value: 'auto' | 'doc' | 'skip-empty' = oneOf({
        gateway: 'Leshua',
        name: 'responseVerification',
        value: 'doc',
        allowed,
      });

      expect(value).toBe('doc');
    });

    it('refuses anything else', () => {
      expect(() => oneOf({ gateway: 'Leshua', name: 'responseVerification', value: 'DOC', allowed })).toThrow(
        "Leshua option responseVerification must be one of auto, doc, skip-empty, got 'DOC'",
      );
      expect(() => oneOf({ gateway: 'Leshua', name: 'notifyKey', value: null, allowed: ['notify', 'trade'] })).toThrow(
        'Leshua option notifyKey must be one of notify, trade, got null',
      );
    });
  });

  describe('positiveInteger', () => {
    it('returns the value or the fallback', () => {
      expect(positiveInteger({ gateway: 'UMF', name: 'timeoutMs', value: 2500, fallback: 10_000 })).toBe(2500);
      expect(positiveInteger({ gateway: 'UMF', name: 'timeoutMs', value: undefined, fallback: 10_000 })).toBe(10_000);
    });

    it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '100', null, {}])('refuses %p', (value) => {
      expect(() => positiveInteger({ gateway: 'UMF', name: 'timeoutMs', value, fallback: 10_000 })).toThrow(
        /^UMF option timeoutMs must be a positive integer, got /,
      );
    });

    it('checks the fallback too', () => {
      expect(() => positiveInteger({ gateway: 'UMF', name: 'timeoutMs', value: undefined, fallback: 0 })).toThrow(
        'UMF option timeoutMs must be a positive integer, got 0',
      );
    });
  });
});
