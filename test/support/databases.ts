export * from '../../libs/refund-core/src/testing/support/test-databases';
