import { refundObserverSuite } from '../testing/support/refund-observer.suite';

refundObserverSuite('sqlite');
