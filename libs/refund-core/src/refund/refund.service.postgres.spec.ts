import { refundServiceSuite } from '../testing/support/refund-service.suite';

refundServiceSuite('postgresql');
