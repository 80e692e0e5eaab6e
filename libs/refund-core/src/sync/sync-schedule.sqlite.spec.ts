import { syncScheduleSuite } from '../testing/support/sync-schedule.suite';

syncScheduleSuite('sqlite');
