/** A `POST /refunds` body that passes every check, every optional field given; a new object each time. */
export function validRefundBody(): Record<string, unknown> {
  return {
    gateway: 'leshua',
    merchantId: '0000000018',
    refundNo: 'R20250101000001',
    amount: 100,
    order: {
      merchantOrderNo: 'T20250101000001',
      gatewayOrderNo: null,
      totalAmount: 300,
      paidAt: '2025-01-01T12:00:00+08:00',
      payMethod: 'WECHAT',
    },
    reason: 'customer returned the goods',
    notifyUrl: 'https://shop.example.com/hooks/refunds',
    gatewayOptions: {},
  };
}
