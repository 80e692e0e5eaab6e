export * from '../../libs/refund-core/src/testing/test-databases';
