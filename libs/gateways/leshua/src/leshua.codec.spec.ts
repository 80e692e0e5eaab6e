import { buildLeshuaXml, encodeLeshuaForm, LeshuaXmlParseError, parseLeshuaXml } from './leshua.codec';

describe('Leshua codec', () => {
  describe('encodeLeshuaForm', () => {
    it('form-encodes values and leaves out empty and absent ones', () => {
      expect(encodeLeshuaForm({ a: '1 2', b: '', c: undefined, d: null, e: '乐&=' })).toBe('a=1+2&e=%E4%B9%90%26%3D');
    });
  });

  describe('parseLeshuaXml', () => {
    it('reads CDATA and plain values as untrimmed, unparsed strings, unknown fields included', () => {
      const xml =
        '<?xml version="1.0" encoding="utf-8"?>\n<leshua>\n  <resp_code><![CDATA[0]]></resp_code>\n' +
        '  <refund_amount>0100</refund_amount>\n  <error_msg><![CDATA[]]></error_msg><empty/>\n' +
        '  <resp_msg> a &amp; b </resp_msg><mixed><![CDATA[x]]>y</mixed><brand_new>true</brand_new>\n</leshua>\n';
      expect(parseLeshuaXml(xml)).toEqual({
        resp_code: '0',
        refund_amount: '0100',
        error_msg: '',
        empty: '',
        resp_msg: ' a & b ',
        mixed: 'xy',
        brand_new: 'true',
      });
    });

    it('reads an empty root as no fields', () => {
      expect(parseLeshuaXml('<leshua></leshua>')).toEqual({});
    });

    it.each([
      ['not XML at all', 'this is not xml'],
      ['unclosed tags', '<leshua><resp_code>0</resp_code><result_code>0'],
      ['an empty body', ''],
      ['a wrong root', '<xml><a>1</a></xml>'],
      ['two roots', '<leshua><a>1</a></leshua><leshua><a>2</a></leshua>'],
      ['a repeated field', '<leshua><a>1</a><a>2</a></leshua>'],
      ['a nested field', '<leshua><a><b>1</b></a></leshua>'],
      ['stray text', '<leshua>oops<a>1</a></leshua>'],
      ['a DOCTYPE', '<!DOCTYPE leshua [<!ENTITY x "y">]><leshua><a>&x;</a></leshua>'],
    ])('refuses %s with a LeshuaXmlParseError', (_what, xml) => {
      expect(() => parseLeshuaXml(xml)).toThrow(LeshuaXmlParseError);
    });

    it('accepts any single root when asked to', () => {
      expect(parseLeshuaXml('<xml><a>1</a></xml>', null)).toEqual({ a: '1' });
    });
  });

  describe('buildLeshuaXml', () => {
    it('wraps every value in CDATA under <leshua> and round-trips through the parser', () => {
      const fields = { resp_code: '0', resp_msg: '', error_msg: 'a]]>b <c> & 乐刷', status: '10' };
      const xml = buildLeshuaXml(fields);
      expect(xml).toContain('<resp_code><![CDATA[0]]></resp_code>');
      expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?><leshua>')).toBe(true);
      expect(parseLeshuaXml(xml)).toEqual(fields);
    });
  });
});
