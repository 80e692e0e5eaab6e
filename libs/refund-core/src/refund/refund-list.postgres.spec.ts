import { refundListSuite } from '../testing/support/refund-list.suite';

refundListSuite('postgresql');
