import { encodeText } from './charset';

describe('encodeText', () => {
  it('encodes UTF-8 by default', () => {
    expect(encodeText('退款').toString('hex')).toBe('e98080e6acbe');
    expect(encodeText('a=1', 'utf8').toString('hex')).toBe('613d31');
  });

  it('encodes GBK: ASCII as is, Chinese as two bytes', () => {
    expect(encodeText('中文', 'gbk').toString('hex')).toBe('d6d0cec4');
    expect(encodeText('Memo=退款成功|0000', 'gbk').toString('hex')).toBe(
      Buffer.from('Memo=', 'ascii').toString('hex') +
        'cdcbbfeeb3c9b9a6' +
        Buffer.from('|0000', 'ascii').toString('hex'),
    );
  });

  it('round-trips through the GBK decoder', () => {
    const text = '宝付聚合支付：退款受理成功（￥1.00）€';
    expect(new TextDecoder('gbk').decode(encodeText(text, 'gbk'))).toBe(text);
  });

  it('writes ? for characters GBK cannot represent', () => {
    expect(encodeText('a😀b¥', 'gbk').toString('latin1')).toBe('a?b?');
  });
});
