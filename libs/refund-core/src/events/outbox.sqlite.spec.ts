import { outboxSuite } from '../testing/support/outbox.suite';

outboxSuite('sqlite');
