// `@refundhub/gateway-kit/testing`: what a gateway package and a host app test with.
export { describeGatewayContract } from './gateway-contract';
export type { ContractOperation, GatewayContractHarness, GatewayContractOptions } from './gateway-contract';
export { CONTRACT_NOW, gatewayRefundQuery, gatewayRefundRequest } from './gateway-request.builder';
export { FakeClock, FakeGateway, waitUntil } from '@refundhub/core/testing';
export type { FakeGatewayOptions, FakeNotification, Scripted } from '@refundhub/core/testing';
export { TEST_CALL_TIMEOUT_MS } from './call-timeout';
export { TestCredentialsModule } from './credentials.module';
