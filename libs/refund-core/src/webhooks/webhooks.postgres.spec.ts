import { webhooksSuite } from '../testing/support/webhooks.suite';

webhooksSuite('postgresql');
