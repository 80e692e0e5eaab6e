import { UMF_PAY_TYPES, type UmfPayType } from './umf.types';

/** The domain's pay methods (as ChaoYing names them) and UMF's own codes, upper-cased. */
const PAY_TYPE_OF: Readonly<Record<string, UmfPayType>> = {
  ALIPAY: 'AL',
  WECHAT: 'WX',
  WEIXIN: 'WX',
  UNIONPAY: 'YL',
  AL: 'AL',
  WX: 'WX',
  YL: 'YL',
};

/** The pay methods accepted, for messages. */
export const UMF_PAY_METHODS = Object.keys(PAY_TYPE_OF);

/** UMF's `payType` for an order's `payMethod`, or undefined when UMF has none for it. */
export function umfPayTypeOf(payMethod: string | null | undefined): UmfPayType | undefined {
  if (!payMethod) return undefined;
  const payType = PAY_TYPE_OF[payMethod.trim().toUpperCase()];
  return payType && (UMF_PAY_TYPES as readonly string[]).includes(payType) ? payType : undefined;
}
