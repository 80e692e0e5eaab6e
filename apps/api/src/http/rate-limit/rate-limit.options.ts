/** Requests allowed per window (`api.rateLimit`). */
export interface RateLimitOptions {
  /** Requests one API key may make per window, across every route. */
  perKey: number;
  /** Requests one client address may make per window without a valid key (notify, health, docs, bad keys). */
  perAddress: number;
  windowMs: number;
}

/** Injection token for {@link RateLimitOptions}; `false` turns limiting off. */
export const RATE_LIMIT_OPTIONS = Symbol('RATE_LIMIT_OPTIONS');
