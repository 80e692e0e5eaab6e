import { Logger } from '@nestjs/common';

import { VariantVerifier } from './variant-verifier';

type Rule = 'doc' | 'skip-empty';

describe('VariantVerifier', () => {
  let log: jest.SpyInstance;
  let debug: jest.SpyInstance;

  beforeEach(() => {
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('returns the first variant that verifies, trying them in order', () => {
    const verifier = new VariantVerifier<Rule>({ gateway: 'Leshua', variants: ['doc', 'skip-empty'] });
    const tried: Rule[] = [];

    const variant = verifier.verify({ check: (v) => (tried.push(v), true), context: 'unified_refund' });

    expect(variant).toBe('doc');
    expect(tried).toEqual(['doc']);
  });

  it('returns null when no variant verifies', () => {
    const verifier = new VariantVerifier<Rule>({ gateway: 'Leshua', variants: ['doc', 'skip-empty'] });
    const tried: Rule[] = [];

    expect(verifier.verify({ check: (v) => (tried.push(v), false), context: 'query' })).toBeNull();
    expect(tried).toEqual(['doc', 'skip-empty']);
    expect(log).not.toHaveBeenCalled();
  });

  it('tries only the pinned variant', () => {
    const verifier = new VariantVerifier<Rule>({
      gateway: 'Leshua',
      variants: ['doc', 'skip-empty'],
      pinned: 'skip-empty',
    });
    const tried: Rule[] = [];

    expect(verifier.variants).toEqual(['skip-empty']);
    expect(verifier.verify({ check: (v) => (tried.push(v), v === 'doc'), context: 'query' })).toBeNull();
    expect(tried).toEqual(['skip-empty']);
  });

  it('refuses a pinned variant it does not know', () => {
    expect(
      () =>
        new VariantVerifier<string>({
          gateway: 'UMF',
          variants: ['ascii', 'case-insensitive'],
          pinned: 'doc-order',
        }),
    ).toThrow("UMF has no signature variant 'doc-order'; expected one of ascii, case-insensitive");
  });

  it('logs the first match of each variant at log level, later ones at debug', () => {
    const verifier = new VariantVerifier<Rule>({ gateway: 'Leshua', variants: ['doc', 'skip-empty'] });

    verifier.verify({ check: (v) => v === 'doc', context: 'unified_refund for merchant 18' });
    verifier.verify({ check: (v) => v === 'doc', context: 'unified_query_refund for merchant 18' });

    expect(log.mock.calls).toEqual([
      ['Leshua answers verify with the doc rule (first seen on unified_refund for merchant 18)'],
    ]);
    expect(debug.mock.calls).toEqual([
      ['Leshua answers: unified_query_refund for merchant 18 verified with the doc rule'],
    ]);
  });

  it('says so when a variant other than the first matched', () => {
    const verifier = new VariantVerifier<string>({
      gateway: 'UMF',
      subject: 'notifications',
      variants: ['ascii/utf8', 'ascii/gbk', 'case-insensitive/utf8'],
    });

    verifier.verify({ check: (v) => v === 'case-insensitive/utf8', context: 'R1' });
    verifier.verify({ check: (v) => v === 'case-insensitive/utf8', context: 'R2' });

    expect(log).toHaveBeenCalledWith(
      'UMF notifications verify with the case-insensitive/utf8 rule after ascii/utf8, ascii/gbk did not match (first seen on R1)',
    );
    expect(debug).toHaveBeenCalledWith(
      'UMF notifications: R2 verified with the case-insensitive/utf8 rule after ascii/utf8, ascii/gbk did not match',
    );
  });

  it('remembers first matches per instance', () => {
    const make = () => new VariantVerifier<Rule>({ gateway: 'Leshua', variants: ['doc', 'skip-empty'] });
    make().verify({ check: () => true, context: 'a' });
    make().verify({ check: () => true, context: 'b' });

    expect(log).toHaveBeenCalledTimes(2);
  });
});
