import { refundOverviewSuite } from '../testing/support/refund-overview.suite';

refundOverviewSuite('sqlite');
