import { createHash } from 'node:crypto';

import { encodeChaoyingForm } from './chaoying.codec';
import { toChaoyingQueryParams, toChaoyingRefundParams } from './chaoying.mapper';
import { chaoyingSignString, signChaoying, verifyChaoying } from './chaoying.signer';
import { gatewayRefundQuery, gatewayRefundRequest } from '@refundhub/gateway-kit/testing';

/** PROTOCOLS.md §2 test vectors (made-up key). */
const KEY = 'TESTCYKEY0123456789ABCDEF0123456';
const V1 = { agentId: '13000000000000001', version: '1.0', pid: 'yunpos' };
const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex').toUpperCase();

const request = gatewayRefundRequest({
  merchantId: '00000001',
  refundNo: 'TK-1497769914931-01',
  amount: 1,
  order: { merchantOrderNo: '1497769914931', gatewayOrderNo: null, totalAmount: 1, payMethod: 'WECHAT' },
});

describe('ChaoYing signer', () => {
  it('reproduces the v1 refund vector from the params the mapper builds (mch_id sorts before method)', () => {
    const params = toChaoyingRefundParams(request, V1);
    expect(chaoyingSignString(params, KEY)).toBe(
      'agent_id=13000000000000001&mch_id=00000001&method=refund&op_user_id=00000001&out_refund_no=TK-1497769914931-01' +
        '&out_trade_no=1497769914931&paytype=WECHAT&pid=yunpos&refund_fee=1&total_fee=1&version=1.0&key=' +
        KEY,
    );
    expect(signChaoying(params, KEY)).toBe('D9018F0530A755830F5C06532EA019B3');
  });

  it('reproduces the v1 refundquery vector', () => {
    const params = toChaoyingQueryParams(gatewayRefundQuery(request), V1);
    expect(chaoyingSignString(params, KEY)).toBe(
      'agent_id=13000000000000001&mch_id=00000001&method=refundquery&out_refund_no=TK-1497769914931-01' +
        '&paytype=WECHAT&pid=yunpos&version=1.0&key=' +
        KEY,
    );
    expect(signChaoying(params, KEY)).toBe('F6208317EAC5BE5EB9F1FB181A0489E5');
  });

  it('signs v2 without agent_id, with the merchant key', () => {
    const merchantKey = 'MERCHANTKEY0123456789ABCDEF01234';
    const params = toChaoyingRefundParams(request, { agentId: null, version: '1.0', pid: null });
    expect(params).not.toHaveProperty('agent_id');
    const expected =
      'mch_id=00000001&method=refund&op_user_id=00000001&out_refund_no=TK-1497769914931-01&out_trade_no=1497769914931' +
      `&paytype=WECHAT&refund_fee=1&total_fee=1&version=1.0&key=${merchantKey}`;
    expect(chaoyingSignString(params, merchantKey)).toBe(expected);
    expect(signChaoying(params, merchantKey)).toBe(md5(expected));
    expect(verifyChaoying({ ...params, sign: signChaoying(params, merchantKey) }, KEY)).toBe(false);
  });

  it('leaves out empty values and sign, and sorts names case-insensitively', () => {
    expect(chaoyingSignString({ b: '2', A: '1', c: '', d: null, sign: 'X' }, 'K')).toBe('A=1&b=2&key=K');
  });

  it('verifies answers over the values as received, refund_list as the raw string, in either case', () => {
    const answer = {
      state: 'SUCCESS',
      code: '10000',
      refund_list: '[{"out_refund_no":"R1","refund_fee":"1"}]',
      undocumented: 'kept',
    };
    const sign = signChaoying(answer, KEY);
    expect(verifyChaoying({ ...answer, sign }, KEY)).toBe(true);
    expect(verifyChaoying({ ...answer, sign: sign.toLowerCase() }, KEY)).toBe(true);
    expect(verifyChaoying({ ...answer, refund_list: '[{"out_refund_no":"R1", "refund_fee":"1"}]', sign }, KEY)).toBe(
      false,
    );
    expect(verifyChaoying({ ...answer, undocumented: 'changed', sign }, KEY)).toBe(false);
    expect(verifyChaoying(answer, KEY)).toBe(false);
    expect(verifyChaoying({ ...answer, sign: '' }, KEY)).toBe(false);
  });

  it('sends the form with empty values left out', () => {
    expect(encodeChaoyingForm({ method: 'refund', out_trade_no: '', paytype: 'WECHAT', x: undefined })).toBe(
      'method=refund&paytype=WECHAT',
    );
  });
});
