import { orderRefMigrationSuite } from '../testing/support/order-ref-migration.suite';

orderRefMigrationSuite('postgresql');
