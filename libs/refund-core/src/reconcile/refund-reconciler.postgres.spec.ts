import { reconcileSuite } from '../testing/support/reconcile.suite';

reconcileSuite('postgresql');
