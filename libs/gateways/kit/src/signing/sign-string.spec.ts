import { md5Hex } from './digest';
import { canonicalEntries, canonicalPairs, joinPairs, joinValues, withKey } from './sign-string';

/** PROTOCOLS.md test vectors: made-up keys, published canonical strings and signatures. */
const CHAOYING_KEY = 'TESTCYKEY0123456789ABCDEF0123456';

/** The request rule shared by Leshua and ChaoYing: all but sign, empties dropped, `&key=`, MD5 upper. */
function md5Request(fields: Record<string, string>, key: string, order: 'ascii' | 'case-insensitive' = 'ascii') {
  const signString = withKey(joinPairs(canonicalPairs({ fields, exclude: ['sign'], order })), key);
  return { signString, sign: md5Hex(signString).toUpperCase() };
}

describe('sign strings', () => {
  // Leshua's vectors A and C run through these functions in leshua.signer.spec.ts.
  describe('Leshua rules', () => {
    it('keeps empty values for the answer rule', () => {
      const pairs = canonicalPairs({
        fields: { resp_code: '0', result_code: '0', error_code: '', status: '10', sign: 'X', leshua: '' },
        exclude: ['sign', 'leshua', 'resp_code'],
        keepEmpty: true,
      });

      expect(pairs).toEqual(['error_code=', 'result_code=0', 'status=10']);
    });
  });

  describe('ChaoYing vectors', () => {
    const common = {
      agent_id: '13000000000000001',
      version: '1.0',
      pid: 'yunpos',
      paytype: 'WECHAT',
      mch_id: '00000001',
    };

    it.each(['ascii', 'case-insensitive'] as const)('reproduces the refund vector (%s order)', (order) => {
      const { signString, sign } = md5Request(
        {
          method: 'refund',
          ...common,
          out_trade_no: '1497769914931',
          transaction_id: '',
          out_refund_no: 'TK-1497769914931-01',
          total_fee: '1',
          refund_fee: '1',
          op_user_id: '00000001',
        },
        CHAOYING_KEY,
        order,
      );

      expect(signString).toBe(
        'agent_id=13000000000000001&mch_id=00000001&method=refund&op_user_id=00000001&out_refund_no=TK-1497769914931-01' +
          '&out_trade_no=1497769914931&paytype=WECHAT&pid=yunpos&refund_fee=1&total_fee=1&version=1.0&key=' +
          CHAOYING_KEY,
      );
      expect(sign).toBe('D9018F0530A755830F5C06532EA019B3');
    });

    it('reproduces the refund query vector', () => {
      const { signString, sign } = md5Request(
        { method: 'refundquery', ...common, out_refund_no: 'TK-1497769914931-01' },
        CHAOYING_KEY,
        'case-insensitive',
      );

      expect(signString).toBe(
        'agent_id=13000000000000001&mch_id=00000001&method=refundquery&out_refund_no=TK-1497769914931-01' +
          '&paytype=WECHAT&pid=yunpos&version=1.0&key=' +
          CHAOYING_KEY,
      );
      expect(sign).toBe('F6208317EAC5BE5EB9F1FB181A0489E5');
    });
  });

  describe('UMF', () => {
    it('reproduces the canonical request string of the refund vector', () => {
      const fields = {
        subMerId: '30000101',
        payType: 'AL',
        proxyId: '0025',
        amount: '1',
        partnerOrderId: '0101180116193952366',
        refundPartnerOrderId: 'R0101180116193952366',
        orderDate: '20180115',
        apiVersion: '1.0',
        reqDate: '20180313',
        reqTime: '105252',
        shopNo: '',
        operator: '',
        notifyUrl: 'https://example.com/umf/notify',
      };

      expect(joinPairs(canonicalPairs({ fields, exclude: ['sign'] }))).toBe(
        'amount=1&apiVersion=1.0&notifyUrl=https://example.com/umf/notify&orderDate=20180115' +
          '&partnerOrderId=0101180116193952366&payType=AL&proxyId=0025&refundPartnerOrderId=R0101180116193952366' +
          '&reqDate=20180313&reqTime=105252&subMerId=30000101',
      );
    });

    it("reproduces the doc's request example with the empty shopId dropped", () => {
      const fields = {
        subMerId: '99960001',
        payType: 'AL',
        proxyId: '0025',
        amount: '1234',
        partnerOrderId: 'HSAPI619585101312876',
        shopId: '',
      };

      expect(joinPairs(canonicalPairs({ fields }))).toBe(
        'amount=1234&partnerOrderId=HSAPI619585101312876&payType=AL&proxyId=0025&subMerId=99960001',
      );
    });

    it("reproduces the doc's notification-ack values string", () => {
      const ack = {
        funCode: 'PayResultNotify',
        reqDate: '20180316',
        reqTime: '163323',
        partnerOrderId: '88800D****192486',
        orderDate: '20180316',
        retCode: '0000',
        retMsg: '',
        sign: 'X',
      };

      expect(joinValues({ fields: ack, exclude: ['sign'] })).toBe(
        'PayResultNotify|20180316|88800D****192486|20180316|163323|0000',
      );
      expect(joinValues({ fields: ack, exclude: ['sign'], keepEmpty: true })).toBe(
        'PayResultNotify|20180316|88800D****192486|20180316|163323|0000|',
      );
    });

    it('orders an answer by ASCII, case-insensitively, or by a given comparator', () => {
      const fields = { retCode: '0000', Memo: '退款成功' };
      const docOrder = (a: string, b: string) => (a === 'retCode' ? -1 : b === 'retCode' ? 1 : 0);

      expect(joinValues({ fields })).toBe('退款成功|0000');
      expect(joinValues({ fields: { retCode: '0000', memo: 'x', Amount: '1' }, order: 'case-insensitive' })).toBe(
        '1|x|0000',
      );
      expect(joinValues({ fields, order: docOrder })).toBe('0000|退款成功');
    });
  });

  describe('general rules', () => {
    it('never URL-encodes or trims values and drops null and undefined even when keeping empties', () => {
      const entries = canonicalEntries({
        fields: { notify_url: 'http%3A%2F%2Fa', note: ' a b ', gone: null, missing: undefined, empty: '' },
        keepEmpty: true,
      });

      expect(entries).toEqual([
        ['empty', ''],
        ['note', ' a b '],
        ['notify_url', 'http%3A%2F%2Fa'],
      ]);
    });

    it('signs numbers and booleans as written by String()', () => {
      expect(joinPairs(canonicalPairs({ fields: { b: 1, a: true, c: 0 } }))).toBe('a=true&b=1&c=0');
    });

    it('breaks case-insensitive ties in ASCII order, so the string is deterministic', () => {
      expect(canonicalPairs({ fields: { b: '1', B: '2', a: '3' }, order: 'case-insensitive' })).toEqual([
        'a=3',
        'B=2',
        'b=1',
      ]);
    });

    it('appends the key', () => {
      expect(withKey('a=1', 'K')).toBe('a=1&key=K');
      expect(withKey('', 'K')).toBe('&key=K');
    });
  });
});
