import { refundResolveSuite } from '../testing/support/refund-resolve.suite';

refundResolveSuite('postgresql');
