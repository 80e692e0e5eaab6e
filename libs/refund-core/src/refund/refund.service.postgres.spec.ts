import { refundServiceSuite } from '../testing/refund-service.suite';

refundServiceSuite('postgresql');
