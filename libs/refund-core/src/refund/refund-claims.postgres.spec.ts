import { refundClaimsSuite } from '../testing/support/refund-claims.suite';

refundClaimsSuite('postgresql');
