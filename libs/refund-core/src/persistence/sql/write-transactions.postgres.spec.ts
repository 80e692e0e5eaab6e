import { writeTransactionsSuite } from '../../testing/support/write-transactions.suite';

writeTransactionsSuite('postgresql');
