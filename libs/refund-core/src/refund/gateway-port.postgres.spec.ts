import { gatewayPortSuite } from '../testing/support/gateway-port.suite';

gatewayPortSuite('postgresql');
