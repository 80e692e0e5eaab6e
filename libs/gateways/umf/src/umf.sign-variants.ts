import type { Charset, SignOrder } from '@refundhub/gateway-kit';

/**
 * The readings of UMF's platform signatures that the evidence leaves open (PROTOCOLS.md §3, §5a):
 * - order: `ascii` is what the doc's rule says; its own answer example (`0000|退款成功`) puts `retCode`
 *   before `Memo`, which neither ASCII nor case-insensitive order does, so the `documented` field order
 *   (retCode first, then the doc table's order) is a reading too;
 * - bytes: the doc says UTF-8; UMF's SDK for a sibling API verifies the platform over GBK bytes, keeping
 *   empty values (`_gbk_with_empty`), or, the other half of that evidence unproven, dropping them (`_gbk`).
 * Requests and notification answers are ours to sign: always ASCII, UTF-8, empties dropped.
 */
export const UMF_ANSWER_VARIANTS = [
  'ascii_utf8',
  'case_insensitive_utf8',
  'documented_utf8',
  'ascii_gbk_with_empty',
  'case_insensitive_gbk_with_empty',
  'documented_gbk_with_empty',
  'ascii_gbk',
  'case_insensitive_gbk',
  'documented_gbk',
] as const;
export type UmfAnswerVariant = (typeof UMF_ANSWER_VARIANTS)[number];

/** The notification doc shows its sign string in ASCII order (「注意asc排序」); only the bytes are open. */
export const UMF_NOTIFICATION_VARIANTS = ['ascii_utf8', 'ascii_gbk_with_empty', 'ascii_gbk'] as const;
export type UmfNotificationVariant = (typeof UMF_NOTIFICATION_VARIANTS)[number];

/** Which answer a variant reads: the documented order differs between them. */
export type UmfAnswerMessage = 'refund' | 'query';

/** The field tables of the docs, in their order (`sign` is left out of the string anyway). */
const DOCUMENTED_ORDER: Readonly<Record<UmfAnswerMessage, readonly string[]>> = {
  refund: ['retCode', 'Memo', 'partnerOrderId', 'amount', 'orderDate'],
  query: [
    'retCode',
    'retMsg',
    'resDate',
    'resTime',
    'amount',
    'status',
    'partnerOrderId',
    'refundPartnerOrderId',
    'subMerId',
    'proxyId',
    'orderDate',
    'refundDate',
  ],
};

export interface UmfVariantRule {
  order: SignOrder;
  charset: Charset;
  keepEmpty: boolean;
}

/** How to build the string a variant signs. */
export function umfVariantRule(
  variant: UmfAnswerVariant | UmfNotificationVariant,
  message: UmfAnswerMessage,
): UmfVariantRule {
  const charset: Charset = variant.endsWith('_utf8') ? 'utf8' : 'gbk';
  const keepEmpty = variant.endsWith('_with_empty');
  if (variant.startsWith('documented_')) return { order: documentedOrder(message), charset, keepEmpty };
  return { order: variant.startsWith('case_insensitive_') ? 'case-insensitive' : 'ascii', charset, keepEmpty };
}

/** The doc's fields first, in its order; undocumented ones after them, in ASCII order. */
function documentedOrder(message: UmfAnswerMessage): (a: string, b: string) => number {
  const table = DOCUMENTED_ORDER[message];
  const rank = (name: string) => {
    const index = table.indexOf(name);
    return index < 0 ? table.length : index;
  };
  return (a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
