import { createHash } from 'node:crypto';

import { md5Hex, sameSignature } from './digest';

describe('md5Hex', () => {
  it('hashes UTF-8 by default (RFC 1321 vectors)', () => {
    expect(md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5Hex('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
  });

  it('hashes the GBK bytes when asked', () => {
    // md5 of the GBK bytes d6 d0 ce c4, not of the UTF-8 bytes of 中文.
    expect(md5Hex('中文', { charset: 'gbk' })).toBe(
      createHash('md5').update(Buffer.from('d6d0cec4', 'hex')).digest('hex'),
    );
    expect(md5Hex('中文', { charset: 'gbk' })).not.toBe(md5Hex('中文'));
    expect(md5Hex('abc', { charset: 'gbk' })).toBe(md5Hex('abc'));
  });
});

describe('sameSignature', () => {
  it('matches an identical signature', () => {
    expect(
      sameSignature({
        expected: '0E34E6DD2B567D3DAC65BB9814B6242F',
        received: '0E34E6DD2B567D3DAC65BB9814B6242F',
      }),
    ).toBe(true);
  });

  it('is case-sensitive unless asked otherwise', () => {
    const input = {
      expected: '0E34E6DD2B567D3DAC65BB9814B6242F',
      received: '0e34e6dd2b567d3dac65bb9814b6242f',
    };

    expect(sameSignature(input)).toBe(false);
    expect(sameSignature({ ...input, caseInsensitive: true })).toBe(true);
  });

  it('refuses a different or truncated signature', () => {
    expect(sameSignature({ expected: 'ABCDEF', received: 'ABCDEE' })).toBe(false);
    expect(sameSignature({ expected: 'ABCDEF', received: 'ABCDE' })).toBe(false);
  });

  it.each([undefined, null, ''])('refuses a missing or empty signature (%p)', (received) => {
    expect(sameSignature({ expected: 'ABCDEF', received, caseInsensitive: true })).toBe(false);
    expect(sameSignature({ expected: '', received })).toBe(false);
  });
});
