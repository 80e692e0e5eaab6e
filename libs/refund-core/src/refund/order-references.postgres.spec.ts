import { orderReferencesSuite } from '../testing/support/order-references.suite';

orderReferencesSuite('postgresql');
