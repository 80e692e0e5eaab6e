import { refundExchangesSuite } from '../testing/support/refund-exchanges.suite';

refundExchangesSuite('sqlite');
