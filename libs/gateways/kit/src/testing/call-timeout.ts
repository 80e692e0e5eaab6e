/**
 * The HTTP timeout of the gateway test apps: short, so that the `timeout` cases are quick, yet long
 * enough that a signed call (RSA for UMF and Baofoo) on a loaded two-core machine is never taken for
 * one.
 */
export const TEST_CALL_TIMEOUT_MS = 1000;
