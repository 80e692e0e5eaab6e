import { notificationIntakeSuite } from '../testing/support/notification-intake.suite';

notificationIntakeSuite('postgresql');
